// "Lesson done" marked on a phone without signal, sent when the connection returns. The phone gives
// each mark a random id; the first arrival of an id records it (and the lesson's progress, once per
// enrolment and lesson, as ever), and any later arrival of the same id — a retried sync, a second
// tab — changes nothing.
import type { PrismaClient } from '@prisma/client'
import { z } from 'zod'
import { prisma as defaultPrisma } from '~/utils/db.server'
import { AppError } from '~/utils/errors'
import { recordXapi } from '~/modules/xapi/service.server'
import { completeIfDue } from './completion.server'
import { enrol } from './progress.server'

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(100)

export const OfflineDoneSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'mã đồng bộ không hợp lệ'),
  course: slug,
  lesson: slug,
  doneAt: z.string().datetime({ offset: true }),
})
export type OfflineDone = z.infer<typeof OfflineDoneSchema>

/** How far back a phone's clock is believed: older marks are dated now minus this. */
const MAX_AGE_MS = 90 * 86_400_000

export async function recordOfflineDone(
  { userId, mark, now = new Date() }: { userId: string; mark: OfflineDone; now?: Date },
  db: PrismaClient = defaultPrisma(),
): Promise<{ recorded: boolean }> {
  // The lesson first: a mark for a lesson that does not exist must not enrol anyone.
  const lesson = await db.lesson.findFirst({ where: { slug: mark.lesson, retiredAt: null, course: { slug: mark.course } }, select: { id: true, slug: true, title: true, course: { select: { slug: true, title: true } } } })
  if (!lesson) throw new AppError('NOT_FOUND', 'content.unknownLesson', { lesson: mark.lesson, course: mark.course })
  const enrolment = await enrol({ userId, courseSlug: mark.course }, db)
  // The phone's clock may be wrong: never in the future, never before the window.
  const at = new Date(Math.min(Math.max(new Date(mark.doneAt).getTime(), now.getTime() - MAX_AGE_MS), now.getTime()))
  return db.$transaction(async (tx) => {
    const claimed = await tx.offlineProgressSync.createMany({ data: [{ clientId: mark.id, userId, lessonId: lesson.id, doneAt: at }], skipDuplicates: true })
    if (claimed.count === 0) {
      const existing = await tx.offlineProgressSync.findUniqueOrThrow({ where: { clientId: mark.id }, select: { userId: true } })
      if (existing.userId !== userId) throw new AppError('CONFLICT', 'learning.syncIdTaken')
      return { recorded: false }
    }
    const progress = await tx.lessonProgress.createMany({ data: [{ enrolmentId: enrolment.id, lessonId: lesson.id, completedAt: at }], skipDuplicates: true })
    if (progress.count > 0) await recordXapi(tx, { kind: 'lesson.completed', userId, course: lesson.course, lesson: { slug: lesson.slug, title: lesson.title }, at })
    await completeIfDue(tx, enrolment.id)
    return { recorded: progress.count > 0 }
  })
}
