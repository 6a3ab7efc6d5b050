// The optional check at the end of an in-person session (issue 19, docs/decisions/023): a paper
// test (or a short online one marked by the trainer) with a highest score and a pass score, set when
// the session is recorded or later; one score per attendee, written all at once or not at all.
// Scoped like every training call: another subtree's session is the same 404 as a missing one.
import type { Prisma, PrismaClient } from '@prisma/client'
import type { Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import type { CheckSettings, ScoresForm } from './schema'
import { requireSession } from './service.server'

type Db = PrismaClient | Prisma.TransactionClient

/** Sets, changes or removes the check. A recorded score above a new highest score, or removing a check with scores, is refused. */
export async function setCheck({ db, actor, sessionId, settings }: { db: PrismaClient; actor: Actor; sessionId: string; settings: CheckSettings }): Promise<void> {
  const session = await requireSession({ db, actor, sessionId })
  await db.$transaction(async (tx) => {
    // Lock the session row so scores recorded meanwhile are judged against the settings that win.
    await tx.$queryRaw`SELECT id FROM training_session WHERE id = ${session.id}::uuid FOR UPDATE`
    const max = await tx.trainingAttendee.aggregate({ where: { sessionId: session.id, checkScore: { not: null } }, _max: { checkScore: true }, _count: { checkScore: true } })
    if (settings.checkMaxScore === null && max._count.checkScore > 0) throw AppError.field('checkHasScores')
    if (settings.checkMaxScore !== null && (max._max.checkScore ?? 0) > settings.checkMaxScore) throw AppError.field('scoresAboveMax')
    await tx.trainingSession.update({ where: { id: session.id }, data: { checkMaxScore: settings.checkMaxScore, checkPassScore: settings.checkPassScore } })
  })
}

/**
 * Records the scores typed on the session page (empty: not recorded). Every id must be an attendee
 * of this session and every score within the check's highest score; otherwise nothing is written.
 * Returns how many attendees now have a score.
 */
export async function recordScores({ db, actor, sessionId, scores, now = new Date() }: { db: PrismaClient; actor: Actor; sessionId: string; scores: ScoresForm; now?: Date }): Promise<number> {
  const session = await requireSession({ db, actor, sessionId })
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ check_max_score: number | null }[]>`SELECT check_max_score FROM training_session WHERE id = ${session.id}::uuid FOR UPDATE`
    const maxScore = locked[0]?.check_max_score ?? null
    if (maxScore === null) throw AppError.field('noCheck')
    if (scores.some((s) => s.score !== null && s.score > maxScore)) throw AppError.field('scoreRange')
    const ids = scores.map((s) => s.attendeeId)
    const present = await tx.trainingAttendee.findMany({ where: { sessionId: session.id, id: { in: ids } }, select: { id: true, checkScore: true } })
    if (present.length !== new Set(ids).size) throw new AppError('NOT_FOUND', 'training.attendeeNotFound')
    const before = new Map(present.map((p) => [p.id, p.checkScore]))
    for (const s of scores) {
      if (before.get(s.attendeeId) === s.score) continue // unchanged: keep when it was checked
      await writeScore(tx, s.attendeeId, s.score, now)
    }
    return tx.trainingAttendee.count({ where: { sessionId: session.id, checkScore: { not: null } } })
  })
}

async function writeScore(db: Db, attendeeId: string, score: number | null, now: Date) {
  await db.trainingAttendee.update({ where: { id: attendeeId }, data: { checkScore: score, checkedAt: score === null ? null : now } })
}
