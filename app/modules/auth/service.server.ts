// Accounts: sign-up, sign-in, password change and reset, profile. Every function takes the
// Prisma client and plain data, and returns either a result or the message keys of what is wrong.
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { findStaffForSignup, linkStaffToUser } from '~/modules/roster/link.server'
import type { Database } from '~/utils/db.server'
import { isUniqueViolation } from '~/utils/errors'
import { isCommonPassword } from './common-passwords.server'
import type { Identifier } from './identifier'
import { userKeys } from './keys'
import { hashPassword, verificationRoom, verifyPassword } from './password.server'
import type { AuthErrorKey, FieldErrors, SignupInput } from './schema'
import { createSession, invalidateUserSessions, type NewSession, type SessionPolicy } from './session.server'
import { beginSignIn, finishSignIn, type Outcome } from './sign-in.server'
import { trustDevice } from './throttle.server'

export interface ClientInfo {
  ip: string
  userAgent: string | null
  /** The trusted-device cookie of this browser, if any. */
  deviceToken: string | null
}

type Failure = { ok: false; errors: FieldErrors; params?: Record<string, number> }
const fail = (field: string, key: AuthErrorKey, params?: Record<string, number>): Failure => ({
  ok: false,
  errors: { [field]: [key] },
  params,
})

export function identifierWhere(identifier: Identifier) {
  return identifier.kind === 'email' ? { email: identifier.value } : { phone: identifier.value }
}

export interface SignedIn {
  ok: true
  userId: string
  session: NewSession
  device: { token: string; maxAgeSeconds: number }
}

/** Someone else linked the staff record between the check and the write. */
class StaffCodeTaken extends Error {}

export async function signUp(
  prisma: PrismaClient,
  input: SignupInput,
  client: ClientInfo,
  policy: SessionPolicy,
): Promise<SignedIn | Failure> {
  if (isCommonPassword(input.password)) return fail('password', 'passwordCommon')
  if (input.agencyId) {
    const agency = await prisma.agency.findUnique({ where: { id: input.agencyId }, select: { status: true } })
    if (!agency || agency.status !== 'ACTIVE') return fail('agencyId', 'agencyUnknown')
  }
  if (await prisma.user.findUnique({ where: identifierWhere(input.identifier), select: { id: true } })) {
    return fail('identifier', 'identifierTaken')
  }
  const email = input.identifier.kind === 'email' ? input.identifier.value : null
  // A staff code links the account to the roster (with the same name); else a matching email does.
  const staff = await findStaffForSignup(prisma, { staffCode: input.staffCode, fullName: input.fullName, email })
  if (!staff.ok) return fail('staffCode', 'staffCodeUnknown')
  const passwordHash = await hashPassword(input.password)
  const phone = input.identifier.kind === 'phone' ? input.identifier.value : null
  try {
    const user = await prisma.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          fullName: input.fullName,
          email,
          phone,
          passwordHash,
          kind: input.kind,
          agencyId: input.agencyId,
          jobTitle: input.jobTitle,
          ...userKeys({ fullName: input.fullName, email, phone }),
        },
      })
      if (staff.staffId && !(await linkStaffToUser(tx, { staffId: staff.staffId, userId: created.id })) && input.staffCode)
        throw new StaffCodeTaken()
      await audit(tx, { action: 'auth.signup', actorId: created.id, targetType: 'user', targetId: created.id, ip: client.ip })
      return created
    })
    const session = await createSession(prisma, { userId: user.id, ip: client.ip, userAgent: client.userAgent }, policy)
    const device = await trustDevice(prisma, user.id, null)
    return { ok: true, userId: user.id, session, device }
  } catch (error) {
    if (error instanceof StaffCodeTaken) return fail('staffCode', 'staffCodeUnknown')
    // Two sign-ups with the same email at once: the database's unique index decides.
    if (isUniqueViolation(error)) return fail('identifier', 'identifierTaken')
    throw error
  }
}

let dummyHash: Promise<string> | undefined
/** Verifying against this when no account matches keeps the answer's timing the same. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`no account has this password ${Math.random()}`)
  return dummyHash
}

/**
 * A password sign-in: two SQL statements around one Argon2id verification (./sign-in.server.ts).
 * Unknown account and wrong password take the same path — the same two statements, one
 * verification each (against a dummy hash when no account matches) — so the answer's timing does
 * not tell whether an account exists.
 */
export async function signIn(
  db: Pick<Database, 'withConnection'>,
  { identifier, password }: { identifier: Identifier; password: string },
  client: ClientInfo,
  policy: SessionPolicy,
  now = new Date(),
): Promise<SignedIn | Failure> {
  // Turned away before anything is read or recorded: a full queue is no attempt of the person's.
  const room = verificationRoom()
  if (!room.ok) return fail('form', 'signInBusy', { seconds: room.retryAfterSeconds })
  const verdict = await beginSignIn(db, { identifier, ip: client.ip, deviceToken: client.deviceToken }, now)
  if (!verdict.allowed) {
    if (verdict.reason === 'delay') return fail('form', 'throttled', { seconds: verdict.retryAfterSeconds })
    return fail('form', verdict.reason === 'ip-cap' ? 'ipThrottled' : 'lockedForNewDevices', {
      minutes: verdict.retryAfterMinutes,
    })
  }
  const { user } = verdict
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password)) && false
  const outcome: Outcome = !ok || !user ? { kind: 'wrong', userId: user?.id ?? null } : user.deactivated ? { kind: 'deactivated', userId: user.id } : { kind: 'signed-in', userId: user.id }
  const done = await finishSignIn(db, verdict.attemptId, outcome, { identifier: identifier.value, ip: client.ip, userAgent: client.userAgent, deviceToken: client.deviceToken, policy }, now)
  // Told only to whoever knows the password: a deactivated account does not sign in.
  if (outcome.kind === 'deactivated') return fail('form', 'accountDeactivated')
  if (outcome.kind !== 'signed-in' || !done) return fail('form', 'credentialsInvalid')
  return { ok: true, userId: outcome.userId, session: done.session, device: done.device }
}

export async function changePassword(
  prisma: PrismaClient,
  { userId, sessionId, currentPassword, password }: { userId: string; sessionId: string; currentPassword: string; password: string },
  client: Pick<ClientInfo, 'ip'>,
): Promise<{ ok: true } | Failure> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail('currentPassword', 'passwordWrong')
  }
  if (password === currentPassword) return fail('password', 'passwordSameAsOld')
  if (isCommonPassword(password)) return fail('password', 'passwordCommon')
  const passwordHash = await hashPassword(password)
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } })
    // Whoever else knew the old password is signed out; this browser stays signed in.
    await tx.session.deleteMany({ where: { userId, id: { not: sessionId } } })
    await audit(tx, { action: 'auth.password.change', actorId: userId, targetType: 'user', targetId: userId, ip: client.ip })
  })
  return { ok: true }
}

export async function updateProfile(
  prisma: PrismaClient,
  { userId, fullName, jobTitle }: { userId: string; fullName: string; jobTitle: string | null },
) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, phone: true } })
  await prisma.user.update({
    where: { id: userId },
    data: { fullName, jobTitle, ...userKeys({ fullName, email: user.email, phone: user.phone }) },
  })
}

export async function signOutEverywhere(prisma: PrismaClient, userId: string, client: Pick<ClientInfo, 'ip'>) {
  const count = await invalidateUserSessions(prisma, userId)
  await audit(prisma, {
    action: 'auth.signout.everywhere',
    actorId: userId,
    targetType: 'user',
    targetId: userId,
    ip: client.ip,
    details: { sessions: count },
  })
}
