// A course is completed when every current lesson is done and the final quiz is passed, in either
// order. Each passed attempt with all lessons done is one completion (the first sets
// Enrolment.completedAt; a later one is a renewal). Runs inside the transaction that made the last
// of the two true, so a completion is never recorded twice (attempt_id is unique).
import type { Prisma, PrismaClient } from '@prisma/client'
import { issueCertificate } from '~/modules/certificate/issue.server'

type Tx = Prisma.TransactionClient

/**
 * Records the completion that is due, if any: for the given passed attempt, or (after the last
 * lesson is marked done) for the latest passed attempt that has none yet. Returns its id.
 */
export async function completeIfDue(tx: Tx, enrolmentId: string, attemptId?: string): Promise<string | null> {
  // Completions of one enrolment queue on its row: two requests finishing at once (the last lesson
  // in two tabs, a lesson and the quiz) cannot both miss, or both make, the same completion.
  await tx.$queryRaw`SELECT id FROM enrolment WHERE id = ${enrolmentId}::uuid FOR UPDATE`
  const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, select: { id: true, courseId: true, completedAt: true, course: { select: { renewal: true } } } })
  const last = enrolment.completedAt
    ? await tx.courseCompletion.findFirst({ where: { enrolmentId }, orderBy: { completedAt: 'desc' }, select: { completedAt: true } })
    : null
  // A course renewed as a whole ("renewal: course") asks for every lesson again after the last completion.
  const since = enrolment.course.renewal === 'COURSE' ? (last?.completedAt ?? null) : null
  const status = await lessonStatus(tx, enrolment.id, enrolment.courseId, since)
  if (!status.allDone) return null
  const attempt = attemptId
    ? await tx.quizAttempt.findFirst({ where: { id: attemptId, enrolmentId, passed: true, completion: null } })
    : since
      ? // Whole-course renewal finished by its last lesson: the renewal's passed attempt, if any.
        await tx.quizAttempt.findFirst({ where: { enrolmentId, passed: true, completion: null, submittedAt: { gt: since } }, orderBy: { submittedAt: 'desc' } })
      : // Lessons finished after passing: only the first completion is made this way, not one per old pass.
        enrolment.completedAt
        ? null
        : await tx.quizAttempt.findFirst({ where: { enrolmentId, passed: true, completion: null }, orderBy: { submittedAt: 'desc' } })
  if (!attempt) return null
  const now = new Date()
  const completion = await tx.courseCompletion.create({ data: { enrolmentId, attemptId: attempt.id, completedAt: now } })
  if (!enrolment.completedAt) await tx.enrolment.update({ where: { id: enrolmentId }, data: { completedAt: now } })
  // The completion event: its certificate is issued in the same transaction, so there is never a
  // completion without one, nor two.
  await issueCertificate(tx, completion.id, now)
  return completion.id
}

/** Current (not retired) lessons of the enrolment's course, and which of them are done (after `since`, when given). */
export async function lessonStatus(tx: Tx | PrismaClient, enrolmentId: string, courseId: string, since: Date | null = null) {
  const [lessons, done] = await Promise.all([
    tx.lesson.findMany({ where: { courseId, retiredAt: null }, select: { id: true, slug: true }, orderBy: { position: 'asc' } }),
    tx.lessonProgress.findMany({ where: { enrolmentId, ...(since ? { completedAt: { gt: since } } : {}) }, select: { lessonId: true } }),
  ])
  const doneIds = new Set(done.map((d) => d.lessonId))
  const doneSlugs = lessons.filter((l) => doneIds.has(l.id)).map((l) => l.slug)
  return { total: lessons.length, done: doneSlugs.length, doneSlugs, allDone: lessons.length > 0 && doneSlugs.length === lessons.length }
}

