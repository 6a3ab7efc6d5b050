// Who a provider account is here (docs/decisions/028): a linked identity signs in its person; else
// an account with the same email, when the provider says the email is verified, is linked; else a
// new account is made from the ID token. Admins link and unlink identities by hand.
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { isUniqueViolation } from '~/utils/errors'
import { cleanName } from '~/utils/text'
import { normalizeEmail } from './identifier'
import { userKeys } from './keys'
import type { ProviderIdentity } from './oidc.server'
import type { ClientInfo, SignedIn } from './service.server'
import { createSession, type SessionPolicy } from './session.server'
import { trustDevice } from './throttle.server'

export type IdentitySignInFailure = 'accountDeactivated' | 'oidcLinkConflict'

/** The name a new account gets when the provider gives none. */
const NAMELESS = 'Người dùng mới'

type Resolved = { ok: true; userId: string; how: 'linked' | 'email' | 'created' } | { ok: false; failure: IdentitySignInFailure; userId: string | null }

async function resolveAccount(prisma: PrismaClient, identity: ProviderIdentity, ip: string, now: Date): Promise<Resolved> {
  const { issuer, subject } = identity
  const linked = await prisma.userIdentity.findUnique({
    where: { issuer_subject: { issuer, subject } },
    select: { id: true, user: { select: { id: true, deactivatedAt: true } } },
  })
  if (linked) {
    if (linked.user.deactivatedAt) return { ok: false, failure: 'accountDeactivated', userId: linked.user.id }
    await prisma.userIdentity.update({ where: { id: linked.id }, data: { lastSignInAt: now } })
    return { ok: true, userId: linked.user.id, how: 'linked' }
  }
  const email = identity.email ? normalizeEmail(identity.email) : null
  // An unverified address proves nothing: it neither links nor becomes the new account's email.
  const trustedEmail = identity.emailVerified ? email : null
  if (trustedEmail) {
    const match = await prisma.user.findUnique({
      where: { email: trustedEmail },
      select: { id: true, deactivatedAt: true, identities: { where: { issuer }, select: { id: true } } },
    })
    if (match) {
      if (match.deactivatedAt) return { ok: false, failure: 'accountDeactivated', userId: match.id }
      // Another account at the same provider already speaks for this person: an admin decides.
      if (match.identities.length > 0) return { ok: false, failure: 'oidcLinkConflict', userId: match.id }
      await prisma.$transaction(async (tx) => {
        await tx.userIdentity.create({ data: { userId: match.id, issuer, subject, email: trustedEmail, linkedBy: 'email', createdAt: now, lastSignInAt: now } })
        await audit(tx, { action: 'auth.oidc.link', actorId: match.id, targetType: 'user', targetId: match.id, ip, details: { issuer, subject, how: 'email' } })
      })
      return { ok: true, userId: match.id, how: 'email' }
    }
  }
  const fullName = cleanName(identity.name ?? '').slice(0, 120) || NAMELESS
  const user = await prisma.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { fullName, email: trustedEmail, phone: null, passwordHash: null, kind: 'CITIZEN', ...userKeys({ fullName, email: trustedEmail }) },
    })
    await tx.userIdentity.create({ data: { userId: created.id, issuer, subject, email, linkedBy: 'created', createdAt: now, lastSignInAt: now } })
    await audit(tx, {
      action: 'auth.signup',
      actorId: created.id,
      targetType: 'user',
      targetId: created.id,
      ip,
      details: { method: 'oidc', issuer, subject, ...(email && !trustedEmail ? { unverifiedEmail: email } : {}) },
    })
    return created
  })
  return { ok: true, userId: user.id, how: 'created' }
}

/**
 * Signs in the person a validated ID token names, linking or creating the account first, with a
 * session made as a password sign-in makes one. Two first sign-ins of one provider account at once:
 * the unique (issuer, subject) index lets one create, and the other finds its link on the retry.
 */
export async function signInWithIdentity(
  prisma: PrismaClient,
  identity: ProviderIdentity,
  client: ClientInfo,
  policy: SessionPolicy,
  now = new Date(),
): Promise<SignedIn | { ok: false; failure: IdentitySignInFailure }> {
  let resolved: Resolved
  try {
    resolved = await resolveAccount(prisma, identity, client.ip, now)
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    resolved = await resolveAccount(prisma, identity, client.ip, now)
  }
  if (!resolved.ok) {
    await audit(prisma, {
      action: 'auth.signin.failure',
      targetType: 'user',
      targetId: resolved.userId,
      ip: client.ip,
      details: { method: 'oidc', issuer: identity.issuer, subject: identity.subject, reason: resolved.failure },
    })
    return { ok: false, failure: resolved.failure }
  }
  const session = await createSession(prisma, { userId: resolved.userId, ip: client.ip, userAgent: client.userAgent }, policy, now)
  const device = await trustDevice(prisma, resolved.userId, client.deviceToken, now)
  await audit(prisma, {
    action: 'auth.signin.success',
    actorId: resolved.userId,
    targetType: 'user',
    targetId: resolved.userId,
    ip: client.ip,
    details: { method: 'oidc', issuer: identity.issuer, how: resolved.how },
  })
  return { ok: true, userId: resolved.userId, session, device }
}

/** A sign-in that failed before any account was known (state, code, token, provider): for the audit log. */
export async function auditFailedProviderSignIn(prisma: PrismaClient, { ip, issuer, reason }: { ip: string; issuer: string; reason: string }) {
  await audit(prisma, { action: 'auth.signin.failure', targetType: 'user', targetId: null, ip, details: { method: 'oidc', issuer, reason } })
}

// ─── Admins ───

export interface IdentityView {
  id: string
  issuer: string
  subject: string
  email: string | null
  linkedBy: string
  linkedByName: string | null
  createdAt: Date
  lastSignInAt: Date | null
}

export async function listIdentities(prisma: PrismaClient, userId: string): Promise<IdentityView[]> {
  const rows = await prisma.userIdentity.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, issuer: true, subject: true, email: true, linkedBy: true, createdAt: true, lastSignInAt: true, linkedByPerson: { select: { fullName: true } } },
  })
  return rows.map(({ linkedByPerson, ...r }) => ({ ...r, linkedByName: linkedByPerson?.fullName ?? null }))
}

/** An admin links a provider account (its subject at the configured issuer) to a person. */
export async function linkIdentityByAdmin(
  prisma: PrismaClient,
  { actorId, userId, issuer, subject, ip }: { actorId: string; userId: string; issuer: string; subject: string; ip: string },
): Promise<{ ok: true } | { ok: false; error: 'identityTaken' }> {
  try {
    await prisma.$transaction(async (tx) => {
      await tx.userIdentity.create({ data: { userId, issuer, subject, linkedBy: 'admin', linkedById: actorId } })
      await audit(tx, { action: 'auth.oidc.link', actorId, targetType: 'user', targetId: userId, ip, details: { issuer, subject, how: 'admin' } })
    })
    return { ok: true }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: 'identityTaken' }
    throw error
  }
}

/** An admin removes a link; the person's sessions stay, their next sign-in at the provider no longer lands here. */
export async function unlinkIdentityByAdmin(
  prisma: PrismaClient,
  { actorId, userId, identityId, ip }: { actorId: string; userId: string; identityId: string; ip: string },
): Promise<{ ok: true } | { ok: false; error: 'identityUnknown' | 'identityLastWay' }> {
  return prisma.$transaction(async (tx) => {
    const identity = await tx.userIdentity.findFirst({
      where: { id: identityId, userId },
      select: { issuer: true, subject: true, user: { select: { email: true, phone: true, kind: true, _count: { select: { identities: true } } } } },
    })
    if (!identity) return { ok: false, error: 'identityUnknown' } as const
    // Without it the person could not sign in at all (the database refuses that too: user_has_sign_in_identifier).
    const { user } = identity
    if (!user.email && !user.phone && user.kind !== 'STUDENT' && user._count.identities <= 1) return { ok: false, error: 'identityLastWay' } as const
    await tx.userIdentity.delete({ where: { id: identityId } })
    await audit(tx, { action: 'auth.oidc.unlink', actorId, targetType: 'user', targetId: userId, ip, details: { issuer: identity.issuer, subject: identity.subject } })
    return { ok: true } as const
  })
}
