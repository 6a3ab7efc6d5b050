// Who may see and manage whom. One place decides, and returns the scope it grants; every query
// that lists people (and later enrolments, attempts, certificates) is filtered by that scope.
import type { Prisma, PrismaClient, Role } from '@prisma/client'
import { subtreeIds } from '~/modules/agency/tree.server'
import { AppError } from '~/utils/errors'

export interface RoleGrantView {
  role: Role
  agencyId: string | null
}

export interface Actor {
  id: string
  roles: RoleGrantView[]
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.some((r) => r.role === role)
}

export function isAdmin(actor: Actor): boolean {
  return hasRole(actor, 'ADMIN')
}

/** The people an actor may see: all (admin), those of some agency subtrees (manager), or none. */
export type PeopleScope = { kind: 'all' } | { kind: 'agencies'; rootIds: string[]; agencyIds: string[] } | { kind: 'none' }

export async function peopleScope(prisma: PrismaClient, actor: Actor): Promise<PeopleScope> {
  if (isAdmin(actor)) return { kind: 'all' }
  const rootIds = actor.roles.filter((r) => r.role === 'AGENCY_MANAGER' && r.agencyId).map((r) => r.agencyId!)
  if (rootIds.length === 0) return { kind: 'none' }
  return { kind: 'agencies', rootIds, agencyIds: await subtreeIds(prisma, rootIds) }
}

/** Throws 403 unless the actor may see some people. */
export async function requirePeopleScope(prisma: PrismaClient, actor: Actor): Promise<Exclude<PeopleScope, { kind: 'none' }>> {
  const scope = await peopleScope(prisma, actor)
  if (scope.kind === 'none') throw new AppError('FORBIDDEN', 'auth.peopleForbidden')
  return scope
}

/** The Prisma filter for users inside a scope. */
export function usersInScope(scope: Exclude<PeopleScope, { kind: 'none' }>): Prisma.UserWhereInput {
  return scope.kind === 'all' ? {} : { agencyId: { in: scope.agencyIds } }
}

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'auth.adminOnly')
}
