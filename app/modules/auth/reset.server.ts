// Password reset without email: an admin, or a manager of the person's agency, creates a one-time
// link (24 hours, single use, only its hash stored) and hands it over. The role hierarchy applies
// (scope module): a link for an agency manager or an admin needs an admin, and no link is made for
// a deactivated account. Using the link ends every other session of the person.
import { sha256 } from '@oslojs/crypto/sha2'
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { AppError } from '~/utils/errors'
import { isCommonPassword } from './common-passwords.server'
import { hashPassword } from './password.server'
import { requireActOnPerson, type Actor } from './permissions.server'
import type { AuthErrorKey } from './schema'
import { createSession, randomToken, type NewSession, type SessionPolicy } from './session.server'
import type { ClientInfo } from './service.server'
import { trustDevice } from './throttle.server'

export const RESET_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000

function hashResetToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sha256(new TextEncoder().encode(token)))
}

export async function createResetLink(
  prisma: PrismaClient,
  { actor, userId, ip }: { actor: Actor; userId: string; ip: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date; email: string | null }> {
  const user = await requireActOnPerson(prisma, actor, userId)
  if (user.deactivatedAt) throw new AppError('CONFLICT', 'auth.deactivatedNoReset')
  const actorId = actor.id
  const token = randomToken()
  const expiresAt = new Date(now.getTime() + RESET_LINK_LIFETIME_MS)
  await prisma.$transaction(async (tx) => {
    // One live link per person: a new link replaces any unused older one.
    await tx.passwordResetToken.deleteMany({ where: { userId, usedAt: null } })
    await tx.passwordResetToken.create({
      data: { tokenHash: hashResetToken(token), userId, createdById: actorId, createdAt: now, expiresAt },
    })
    await audit(tx, { action: 'auth.password.reset.create', actorId, targetType: 'user', targetId: userId, ip })
  })
  return { token, expiresAt, email: user.email }
}

/** Whose password a link resets, or null when the link is unknown, used or expired. */
export async function findResetTarget(prisma: PrismaClient, token: string, now = new Date()) {
  if (token.length > 64) return null
  const row = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: hashResetToken(token) },
    select: { usedAt: true, expiresAt: true, user: { select: { id: true, fullName: true, deactivatedAt: true } } },
  })
  if (!row || row.usedAt || row.expiresAt <= now || row.user.deactivatedAt) return null
  return { id: row.user.id, fullName: row.user.fullName }
}

export async function redeemResetLink(
  prisma: PrismaClient,
  { token, password }: { token: string; password: string },
  client: ClientInfo,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ ok: true; session: NewSession; device: { token: string; maxAgeSeconds: number } } | { ok: false; error: AuthErrorKey; field: string }> {
  if (isCommonPassword(password)) return { ok: false, error: 'passwordCommon', field: 'password' }
  const passwordHash = await hashPassword(password)
  const userId = await prisma.$transaction(async (tx) => {
    // Marking the link used and reading it is one statement: two uses at once cannot both win.
    const claimed = await tx.passwordResetToken.updateManyAndReturn({
      where: { tokenHash: hashResetToken(token), usedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
      data: { usedAt: now },
      select: { userId: true },
    })
    const owner = claimed[0]?.userId
    if (!owner) return null
    await tx.user.update({ where: { id: owner }, data: { passwordHash } })
    await tx.session.deleteMany({ where: { userId: owner } })
    await audit(tx, { action: 'auth.password.reset.use', actorId: owner, targetType: 'user', targetId: owner, ip: client.ip })
    return owner
  })
  if (!userId) return { ok: false, error: 'resetInvalid', field: 'form' }
  const session = await createSession(prisma, { userId, ip: client.ip, userAgent: client.userAgent }, policy, now)
  const device = await trustDevice(prisma, userId, client.deviceToken, now)
  return { ok: true, session, device }
}
