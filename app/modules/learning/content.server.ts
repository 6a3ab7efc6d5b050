// What the learning services need from the published content: a course's lessons, its question
// bank (with answers: server only) and its final quiz. Read from the in-memory store and the
// database mirror; never from a request.
import type { PrismaClient } from '@prisma/client'
import { getContentStore } from '~/modules/content/service.server'
import { AppError } from '~/utils/errors'

export async function publishedCourse(courseSlug: string) {
  const store = await getContentStore()
  const course = store.courses.find((c) => c.detail.slug === courseSlug)
  if (!course) throw new AppError('NOT_FOUND', 'content.unknownCourse', { course: courseSlug })
  return course
}

/** The course's database row (mirrored at start-up); 404 when it is not (or no longer) published. */
export async function courseRow(db: PrismaClient, courseSlug: string) {
  const row = await db.course.findUnique({ where: { slug: courseSlug }, select: { id: true, slug: true, title: true, retiredAt: true } })
  if (!row || row.retiredAt) throw new AppError('NOT_FOUND', 'content.unknownCourse', { course: courseSlug })
  return row
}

export async function hasFinalQuiz(courseSlug: string): Promise<boolean> {
  return (await publishedCourse(courseSlug)).source.finalQuiz !== undefined
}
