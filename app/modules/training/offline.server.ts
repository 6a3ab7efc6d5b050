// A citizen recorded on a phone without signal at the village, sent when the connection returns
// (the offline-progress pattern, app/modules/learning/offline-sync.server.ts): the phone gives each
// entry a random id; its first arrival adds the person, any later arrival of the same id (a retried
// sync, a second tab) changes nothing. Scoped like the form: another subtree's session is 404.
import type { PrismaClient } from '@prisma/client'
import { z } from 'zod'
import type { Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { personSortKey } from '~/utils/vietnamese-sort'
import { citizenKey } from './keys'
import { CitizenSchema } from './schema'
import { requireSession } from './service.server'

export const OfflineAttendeeSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    sessionId: z.string().uuid(),
    fields: z.record(z.string().max(1000)),
  })
  .strict()
export type OfflineAttendee = z.infer<typeof OfflineAttendeeSchema>

export async function recordOfflineAttendee(db: PrismaClient, actor: Actor, mark: OfflineAttendee): Promise<{ recorded: boolean }> {
  const session = await requireSession({ db, actor, sessionId: mark.sessionId })
  const form = CitizenSchema.safeParse(mark.fields)
  if (!form.success) throw new AppError('BAD_INPUT', 'training.offlineInvalid')
  const seen = async () => {
    const existing = await db.trainingAttendee.findUnique({ where: { clientId: mark.id }, select: { sessionId: true } })
    if (existing && existing.sessionId !== session.id) throw new AppError('CONFLICT', 'training.offlineIdTaken')
    return existing !== null
  }
  if (await seen()) return { recorded: false }
  const data = form.data
  try {
    await db.trainingAttendee.create({
      data: { sessionId: session.id, kind: 'CITIZEN', fullName: data.fullName, birthYear: data.birthYear, village: data.village, phone: data.phone, gender: data.gender, ethnicity: data.ethnicity, citizenKey: citizenKey(data), clientId: mark.id, sortKey: personSortKey(data.fullName) },
    })
    return { recorded: true }
  } catch (error) {
    // The same id arriving twice at once: the loser finds the winner's row.
    if ((error as { code?: string }).code === 'P2002') {
      if (await seen()) return { recorded: false }
      throw new AppError('CONFLICT', 'training.alreadyAttending')
    }
    throw error
  }
}
