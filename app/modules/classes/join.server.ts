// Joining a class with its code: with one's own account, or — for a student with no email or
// phone — with a name and a six-digit PIN, which is then how that student signs in (code + name +
// PIN). PIN sign-in is throttled like password sign-in (throttle.server.ts), per class and name.
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword, verifyPassword } from '~/modules/auth/password.server'
import type { ClientInfo, SignedIn } from '~/modules/auth/service.server'
import { createSession, type SessionPolicy } from '~/modules/auth/session.server'
import { checkSignInAllowed, recordSignInAttempt, trustDevice } from '~/modules/auth/throttle.server'
import { prisma as defaultPrisma } from '~/utils/db.server'
import { isUniqueViolation } from '~/utils/errors'
import { foldVietnamese } from '~/utils/text'
import type { FieldErrors } from './schema'

type Failure = { ok: false; errors: FieldErrors; params?: Record<string, number> }

async function openClass(db: PrismaClient, code: string) {
  return db.class.findFirst({ where: { joinCode: code, archivedAt: null }, select: { id: true, name: true, teacherId: true } })
}

/** What the join page shows about a code before anyone joins (the class and its school). */
export async function classByCode({ code }: { code: string }, db: PrismaClient = defaultPrisma()) {
  return db.class.findFirst({ where: { joinCode: code, archivedAt: null }, select: { id: true, name: true, school: { select: { name: true } }, teacher: { select: { fullName: true } } } })
}

/** A signed-in person joins with the code (again: nothing changes). */
export async function joinWithAccount({ userId, code, ip }: { userId: string; code: string; ip?: string }, db: PrismaClient = defaultPrisma()) {
  const cls = await openClass(db, code)
  if (!cls) return { ok: false as const, errors: { code: 'codeUnknown' } } satisfies Failure
  const created = await db.classMember.createMany({ data: [{ classId: cls.id, userId }], skipDuplicates: true })
  if (created.count) await audit(db, { action: 'class.join', actorId: userId, targetType: 'class', targetId: cls.id, ip })
  return { ok: true as const, classId: cls.id }
}

/** Students of one class are told apart by name: the same folded name twice in a class is refused. */
async function memberWithName(db: PrismaClient, classId: string, fullName: string) {
  const folded = foldVietnamese(fullName)
  const members = await db.classMember.findMany({ where: { classId }, select: { userId: true, pinHash: true, user: { select: { fullName: true, deactivatedAt: true } } } })
  return members.find((m) => foldVietnamese(m.user.fullName) === folded)
}

/** The identifier PIN sign-ins are throttled by: one class, one name. */
function pinIdentifier(code: string, fullName: string) {
  return `pin:${code}:${foldVietnamese(fullName)}`
}

/** A student without email or phone joins: a STUDENT account with no password, the PIN's hash on the membership. */
export async function joinWithPin(
  { code, fullName, pin }: { code: string; fullName: string; pin: string },
  client: ClientInfo,
  policy: SessionPolicy,
  db: PrismaClient = defaultPrisma(),
): Promise<(SignedIn & { classId: string }) | Failure> {
  const cls = await openClass(db, code)
  if (!cls) return { ok: false, errors: { code: 'codeUnknown' } }
  if (await memberWithName(db, cls.id, fullName)) return { ok: false, errors: { fullName: 'studentNameTaken' } }
  const teacher = await db.user.findUnique({ where: { id: cls.teacherId }, select: { agencyId: true } })
  const school = await db.class.findUnique({ where: { id: cls.id }, select: { schoolId: true } })
  const pinHash = await hashPassword(pin)
  try {
    const user = await db.$transaction(async (tx) => {
      // Serialise joins of one class, so two students typing the same name at once cannot both get in.
      await tx.$queryRaw`SELECT id FROM class WHERE id = ${cls.id}::uuid FOR UPDATE`
      const clash = await memberWithName(tx as PrismaClient, cls.id, fullName)
      if (clash) return null
      const created = await tx.user.create({
        data: { fullName, kind: 'STUDENT', agencyId: school?.schoolId ?? teacher?.agencyId ?? null, ...userKeys({ fullName }) },
      })
      await tx.classMember.create({ data: { classId: cls.id, userId: created.id, pinHash } })
      await audit(tx, { action: 'class.join', actorId: created.id, targetType: 'class', targetId: cls.id, ip: client.ip, details: { withPin: true } })
      return created
    })
    if (!user) return { ok: false, errors: { fullName: 'studentNameTaken' } }
    const session = await createSession(db, { userId: user.id, ip: client.ip, userAgent: client.userAgent }, policy)
    const device = await trustDevice(db, user.id, null)
    return { ok: true, userId: user.id, session, device, classId: cls.id }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { fullName: 'studentNameTaken' } }
    throw error
  }
}

let dummy: Promise<string> | undefined
const dummyHash = () => (dummy ??= hashPassword(`no pin ${Math.random()}`))

/** Sign-in of a student with class code, name and PIN. Same answer and cost for every failure. */
export async function signInWithPin(
  { code, fullName, pin }: { code: string; fullName: string; pin: string },
  client: ClientInfo,
  policy: SessionPolicy,
  db: PrismaClient = defaultPrisma(),
  now = new Date(),
): Promise<(SignedIn & { classId: string }) | Failure> {
  const identifier = pinIdentifier(code, fullName)
  const verdict = await checkSignInAllowed(db, { identifier, ip: client.ip, trustedDevice: false }, now)
  if (!verdict.allowed) {
    return verdict.reason === 'delay'
      ? { ok: false, errors: { form: 'throttled' }, params: { seconds: verdict.retryAfterSeconds } }
      : { ok: false, errors: { form: 'throttled' }, params: { seconds: verdict.retryAfterMinutes * 60 } }
  }
  const cls = await openClass(db, code)
  const member = cls ? await memberWithName(db, cls.id, fullName) : undefined
  // A deactivated account gets the same answer as a wrong PIN (docs/decisions/013).
  const ok = (member?.pinHash ? await verifyPassword(member.pinHash, pin) : (await verifyPassword(await dummyHash(), pin)) && false) && !member?.user.deactivatedAt
  await recordSignInAttempt(db, { identifier, ip: client.ip, success: ok }, now)
  if (!ok || !member || !cls) {
    await audit(db, { action: 'auth.signin.failure', targetType: 'user', targetId: member?.userId ?? null, ip: client.ip, details: { identifier } })
    return { ok: false, errors: { form: 'pinInvalid' } }
  }
  const session = await createSession(db, { userId: member.userId, ip: client.ip, userAgent: client.userAgent }, policy, now)
  const device = await trustDevice(db, member.userId, client.deviceToken, now)
  await audit(db, { action: 'auth.signin.success', actorId: member.userId, targetType: 'user', targetId: member.userId, ip: client.ip, details: { withPin: true } })
  return { ok: true, userId: member.userId, session, device, classId: cls.id }
}
