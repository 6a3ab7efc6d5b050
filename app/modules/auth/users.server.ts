// Finding people and managing their roles, always inside the actor's scope.
import type { PrismaClient, Role } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { foldVietnamese } from '~/utils/text'
import { requireActOnPerson, requireAdmin, usersInScope, type Actor, type PeopleScope, type PersonTarget } from './permissions.server'
import { invalidateUserSessions } from './session.server'

export const USERS_PAGE_SIZE = 25
type Scope = Exclude<PeopleScope, { kind: 'none' }>

/** What every page that shows a person reads of them. */
export const personSelect = {
  id: true,
  fullName: true,
  email: true,
  phone: true,
  kind: true,
  jobTitle: true,
  deactivatedAt: true,
  agency: { select: { id: true, name: true } },
} as const

const userListSelect = {
  ...personSelect,
  roleGrants: { select: { id: true, role: true, agency: { select: { id: true, name: true } } } },
} as const

/** People in scope whose name, email or phone contains every word of q (accents ignored). */
export async function searchUsers(prisma: PrismaClient, scope: Scope, { q, page }: { q: string; page: number }) {
  const words = foldVietnamese(q).split(' ').filter(Boolean)
  const where = { AND: [usersInScope(scope), ...words.map((w) => ({ searchText: { contains: w } }))] }
  const [total, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: [{ sortKey: 'asc' }, { id: 'asc' }],
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
      select: userListSelect,
    }),
  ])
  return { total, users, pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)) }
}

/** One person, if inside the scope; otherwise 404 (not 403: outsiders do not learn who exists). */
export async function getUserInScope(prisma: PrismaClient, scope: Scope, userId: string) {
  const user = /^[0-9a-f-]{36}$/.test(userId)
    ? await prisma.user.findFirst({ where: { id: userId, ...usersInScope(scope) }, select: { ...userListSelect, createdAt: true } })
    : null
  if (!user) throw new AppError('NOT_FOUND', 'auth.userNotInScope')
  return user
}

export async function grantRole(
  prisma: PrismaClient,
  actor: Actor,
  { userId, role, agencyId, ip }: { userId: string; role: Role; agencyId: string | null; ip: string },
) {
  requireAdmin(actor)
  if (role === 'AGENCY_MANAGER' && !agencyId) throw AppError.field('roleInvalid')
  if (role === 'ADMIN' && agencyId) throw AppError.field('roleInvalid')
  if (agencyId) {
    const agency = await prisma.agency.findUnique({ where: { id: agencyId }, select: { status: true } })
    if (!agency || agency.status !== 'ACTIVE') throw AppError.field('roleInvalid')
  }
  try {
    await prisma.$transaction(async (tx) => {
      await tx.roleGrant.create({ data: { userId, role, agencyId, grantedById: actor.id } })
      await audit(tx, {
        action: 'auth.role.grant',
        actorId: actor.id,
        targetType: 'user',
        targetId: userId,
        ip,
        details: { role, agencyId },
      })
    })
  } catch (error) {
    if (isUniqueViolation(error)) return // already held: nothing to do
    throw error
  }
  // A role change starts a new session: the person signs in again with the new rights.
  await invalidateUserSessions(prisma, userId)
}

export async function revokeRole(prisma: PrismaClient, actor: Actor, { grantId, ip }: { grantId: string; ip: string }) {
  requireAdmin(actor)
  const grant = /^[0-9a-f-]{36}$/.test(grantId) ? await prisma.roleGrant.findUnique({ where: { id: grantId } }) : null
  if (!grant) throw new AppError('NOT_FOUND', 'auth.grantNotFound')
  await prisma.$transaction(async (tx) => {
    await tx.roleGrant.delete({ where: { id: grantId } })
    await audit(tx, {
      action: 'auth.role.revoke',
      actorId: actor.id,
      targetType: 'user',
      targetId: grant.userId,
      ip,
      details: { role: grant.role, agencyId: grant.agencyId },
    })
  })
  await invalidateUserSessions(prisma, grant.userId)
}

/**
 * Deactivates (or reactivates) an account, within the role hierarchy (scope module): a manager only
 * for people in scope without manager or admin roles, an admin for anyone but themself. Deactivating
 * ends every session of the person in the same transaction; sign-in (password, PIN, reset link) is
 * refused while it lasts. Returns the person (for the notice), or null when nothing changed.
 */
export async function setDeactivated(
  prisma: PrismaClient,
  actor: Actor,
  { userId, deactivated, ip }: { userId: string; deactivated: boolean; ip: string | null },
  now = new Date(),
): Promise<PersonTarget | null> {
  if (deactivated && userId === actor.id) throw AppError.field('selfAction')
  const target = await requireActOnPerson(prisma, actor, userId)
  return prisma.$transaction(async (tx) => {
    const changed = await tx.user.updateMany({
      where: { id: userId, deactivatedAt: deactivated ? null : { not: null } },
      data: deactivated ? { deactivatedAt: now, deactivatedById: actor.id } : { deactivatedAt: null, deactivatedById: null },
    })
    if (changed.count === 0) return null
    if (deactivated) {
      await tx.session.deleteMany({ where: { userId } })
      await tx.passwordResetToken.deleteMany({ where: { userId, usedAt: null } })
    }
    await audit(tx, { action: deactivated ? 'auth.user.deactivate' : 'auth.user.reactivate', actorId: actor.id, targetType: 'user', targetId: userId, ip })
    return target
  })
}
