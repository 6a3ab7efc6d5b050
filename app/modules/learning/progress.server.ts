// Enrolment and lesson progress. Enrolling and marking a lesson done are idempotent: the unique
// keys (user, course) and (enrolment, lesson) make a repeated or concurrent post a no-op.
import type { PrismaClient } from '@prisma/client'
import { prisma } from '~/utils/db.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { renewalOpen } from '~/modules/certificate/service.server'
import { recordXapi } from '~/modules/xapi/service.server'
import { completeIfDue, lessonStatus } from './completion.server'
import { courseRow } from './content.server'

/** Enrols the person in the course; enrolling again returns the same enrolment. */
export async function enrol({ userId, courseSlug }: { userId: string; courseSlug: string }, db: PrismaClient = prisma()) {
  const course = await courseRow(db, courseSlug)
  const existing = await db.enrolment.findUnique({ where: { userId_courseId: { userId, courseId: course.id } } })
  if (existing) return existing
  try {
    return await db.enrolment.create({ data: { userId, courseId: course.id } })
  } catch (error) {
    // A concurrent enrol of the same person won the race: theirs is ours.
    if (isUniqueViolation(error)) return db.enrolment.findUniqueOrThrow({ where: { userId_courseId: { userId, courseId: course.id } } })
    throw error
  }
}

export async function findEnrolment({ userId, courseSlug }: { userId: string; courseSlug: string }, db: PrismaClient = prisma()) {
  return db.enrolment.findFirst({ where: { userId, course: { slug: courseSlug } } })
}

/**
 * Marks a lesson as done for an enrolled person (enrolling them first: opening a lesson and saying
 * "done" is enrolment enough). May complete the course when the final quiz was already passed.
 */
export async function markLessonDone({ userId, courseSlug, lessonSlug }: { userId: string; courseSlug: string; lessonSlug: string }, db: PrismaClient = prisma()) {
  // The lesson first: "done" for a lesson that does not exist must not enrol anyone.
  const lesson = await db.lesson.findFirst({
    where: { slug: lessonSlug, retiredAt: null, course: { slug: courseSlug } },
    select: { id: true, slug: true, title: true, course: { select: { slug: true, title: true } } },
  })
  if (!lesson) throw new AppError('NOT_FOUND', 'content.unknownLesson', { lesson: lessonSlug, course: courseSlug })
  const enrolment = await enrol({ userId, courseSlug }, db)
  await db.$transaction(async (tx) => {
    // Done again after a completion (a whole-course renewal): the lesson counts from now.
    const marked = await tx.$executeRaw`
      INSERT INTO lesson_progress (enrolment_id, lesson_id, completed_at) VALUES (${enrolment.id}::uuid, ${lesson.id}::uuid, now())
      ON CONFLICT (enrolment_id, lesson_id) DO UPDATE SET completed_at = EXCLUDED.completed_at
       WHERE lesson_progress.completed_at < (SELECT max(completed_at) FROM course_completion WHERE enrolment_id = ${enrolment.id}::uuid)`
    // A "done" that recorded something (not a repeat) is an xAPI "completed" (docs/decisions/026).
    if (marked > 0) await recordXapi(tx, { kind: 'lesson.completed', userId, course: lesson.course, lesson: { slug: lesson.slug, title: lesson.title }, at: new Date() })
    await completeIfDue(tx, enrolment.id)
  })
}

/** Undoes "done" for a lesson (a learner who clicked by mistake). Completions already made stay. */
export async function markLessonNotDone({ userId, courseSlug, lessonSlug }: { userId: string; courseSlug: string; lessonSlug: string }, db: PrismaClient = prisma()) {
  const enrolment = await findEnrolment({ userId, courseSlug }, db)
  if (!enrolment) return
  await db.lessonProgress.deleteMany({ where: { enrolmentId: enrolment.id, lesson: { slug: lessonSlug } } })
}

/**
 * In a whole-course renewal (the course says "renewal: course" and the certificate is due for
 * renewal), lessons count as done only from the last completion on: the learner does them again.
 */
export async function renewalSince(db: PrismaClient, e: { id: string; userId: string; courseId: string; completedAt: Date | null }, renewal: 'QUIZ' | 'COURSE'): Promise<Date | null> {
  if (!e.completedAt || renewal !== 'COURSE') return null
  if (!(await renewalOpen(db, { userId: e.userId, courseId: e.courseId }))) return null
  const last = await db.courseCompletion.findFirst({ where: { enrolmentId: e.id }, orderBy: { completedAt: 'desc' }, select: { completedAt: true } })
  return last?.completedAt ?? null
}

export interface CourseProgress {
  enrolled: boolean
  enrolledAt: Date | null
  completedAt: Date | null
  lessonsDone: string[]
  lessonsTotal: number
  bestScore: number | null
  passed: boolean
}

/** What a course page shows a signed-in person about their own progress. */
export async function courseProgress({ userId, courseSlug }: { userId: string; courseSlug: string }, db: PrismaClient = prisma()): Promise<CourseProgress> {
  const enrolment = await findEnrolment({ userId, courseSlug }, db)
  if (!enrolment) return { enrolled: false, enrolledAt: null, completedAt: null, lessonsDone: [], lessonsTotal: 0, bestScore: null, passed: false }
  const course = await db.course.findUniqueOrThrow({ where: { id: enrolment.courseId }, select: { renewal: true } })
  const status = await lessonStatus(db, enrolment.id, enrolment.courseId, await renewalSince(db, enrolment, course.renewal))
  const best = await db.quizAttempt.aggregate({ where: { enrolmentId: enrolment.id, status: 'SUBMITTED' }, _max: { scorePercent: true } })
  const passed = (await db.quizAttempt.count({ where: { enrolmentId: enrolment.id, passed: true } })) > 0
  return {
    enrolled: true,
    enrolledAt: enrolment.enrolledAt,
    completedAt: enrolment.completedAt,
    lessonsDone: status.doneSlugs,
    lessonsTotal: status.total,
    bestScore: best._max.scorePercent === null ? null : Number(best._max.scorePercent),
    passed,
  }
}

export interface MyCourse {
  slug: string
  title: string
  enrolledAt: Date
  completedAt: Date | null
  lessonsDone: number
  lessonsTotal: number
  /** The first current lesson not done yet, to continue with. */
  nextLesson: { slug: string; title: string } | null
  openAttemptId: string | null
  /** Best score of a submitted final-quiz attempt, and whether any attempt passed. */
  bestScore: number | null
  passed: boolean
}

