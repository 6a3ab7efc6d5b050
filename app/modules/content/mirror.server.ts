// Copies what the pages and reports need from content/ into the database, by stable slug: courses
// and lessons are created or updated, and those no longer in content/ are marked retired, never
// deleted (learners' progress, attempts and certificates refer to them). A row is written only when
// its content hash, position or retirement changed, so a start with nothing new writes nothing.
import { Prisma, type Audience, type PrismaClient } from '@prisma/client'
import { holdStartupWriteLock } from '~/utils/startup-lock.server'
import type { ContentTree, CourseSource } from './loader.server'
import type { AudienceId } from './constants'

const AUDIENCE: Record<AudienceId, Audience> = {
  'civil-servants': 'CIVIL_SERVANTS',
  teachers: 'TEACHERS',
  citizens: 'CITIZENS',
}

export interface MirrorResult {
  created: number
  updated: number
  retired: number
  unchanged: number
}

function courseData(course: CourseSource) {
  const fm = course.frontmatter
  return {
    title: fm.title,
    summary: fm.summary,
    audiences: fm.audience.map((a) => AUDIENCE[a]),
    topic: fm.topic,
    level: fm.level,
    estimatedHours: new Prisma.Decimal(fm.estimatedHours.toFixed(1)),
    standardCodes: fm.standards,
    passMark: fm.passMark,
    validityMonths: fm.validityMonths,
    renewal: fm.renewal === 'course' ? ('COURSE' as const) : ('QUIZ' as const),
    licence: fm.licence,
    authors: fm.authors,
    version: fm.version,
    contentHash: course.contentHash,
    retiredAt: null,
  }
}

export async function mirrorContent({ prisma, tree, now = new Date() }: { prisma: PrismaClient; tree: ContentTree; now?: Date }): Promise<MirrorResult> {
  const result: MirrorResult = { created: 0, updated: 0, retired: 0, unchanged: 0 }
  await prisma.$transaction(async (tx) => {
    // Two processes starting at once mirror one after the other; the second finds it done.
    await holdStartupWriteLock(tx)
    const existing = await tx.course.findMany({ include: { lessons: true } })
    const bySlug = new Map(existing.map((c) => [c.slug, c]))
    for (const course of tree.courses) {
      const row = bySlug.get(course.slug)
      let courseId: string
      if (!row) {
        courseId = (await tx.course.create({ data: { slug: course.slug, ...courseData(course) } })).id
        result.created++
      } else {
        courseId = row.id
        if (row.contentHash !== course.contentHash || row.retiredAt !== null) {
          await tx.course.update({ where: { id: row.id }, data: courseData(course) })
          result.updated++
        } else result.unchanged++
      }
      const lessonRows = new Map((row?.lessons ?? []).map((l) => [l.slug, l]))
      for (const lesson of course.lessons) {
        const fm = lesson.frontmatter
        const data = {
          position: lesson.position,
          title: fm.title,
          summary: fm.summary,
          minutes: fm.minutes,
          standardCodes: fm.standards,
          contentHash: lesson.contentHash,
          retiredAt: null,
        }
        const lessonRow = lessonRows.get(lesson.slug)
        if (!lessonRow) {
          await tx.lesson.create({ data: { courseId, slug: lesson.slug, ...data } })
          result.created++
        } else if (lessonRow.contentHash !== lesson.contentHash || lessonRow.position !== lesson.position || lessonRow.retiredAt !== null) {
          await tx.lesson.update({ where: { id: lessonRow.id }, data })
          result.updated++
        } else result.unchanged++
      }
      const current = new Set(course.lessons.map((l) => l.slug))
      for (const lessonRow of row?.lessons ?? []) {
        if (!current.has(lessonRow.slug) && lessonRow.retiredAt === null) {
          await tx.lesson.update({ where: { id: lessonRow.id }, data: { retiredAt: now } })
          result.retired++
        }
      }
    }
    const inContent = new Set(tree.courses.map((c) => c.slug))
    for (const row of existing) {
      if (inContent.has(row.slug)) continue
      if (row.retiredAt === null) {
        await tx.course.update({ where: { id: row.id }, data: { retiredAt: now } })
        result.retired++
      }
      const live = row.lessons.filter((l) => l.retiredAt === null)
      if (live.length) {
        await tx.lesson.updateMany({ where: { id: { in: live.map((l) => l.id) } }, data: { retiredAt: now } })
        result.retired += live.length
      }
    }
  }, { timeout: 60_000 })
  return result
}
