// Who may see and act on whom: the ONE place that computes a manager's scope (people, agencies,
// reports) and the role hierarchy (docs/decisions/013). Every other module asks here; this module
// depends only on the agency tree, so it closes the old auth ⇄ agency ⇄ report cycle.
//
// Scope: an admin sees everything; an agency manager sees the subtrees of the agencies they manage;
// anyone else sees no one. A person is inside a manager's scope by their own account's agency,
// which only the person (sign-up, confirming a roster link), an admin or an agency merge changes —
// never a roster import on the importer's word alone.
//
// Hierarchy: an admin may act on anyone; a manager may act only on people in scope who hold neither
// the manager nor the admin role; no one else acts on a person.
import type { Prisma, PrismaClient, Role } from '@prisma/client'
import { subtreeIds } from '~/modules/agency/tree.server'
import { AppError } from '~/utils/errors'

type Db = PrismaClient | Prisma.TransactionClient

export interface RoleGrantView {
  role: Role
  agencyId: string | null
}

export interface Actor {
  id: string
  roles: RoleGrantView[]
}

export function hasRole(actor: Pick<Actor, 'roles'>, role: Role): boolean {
  return actor.roles.some((r) => r.role === role)
}

export function isAdmin(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'ADMIN')
}

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'auth.adminOnly')
}

/** The agencies whose subtrees an actor manages (empty for someone who manages none). */
export function managerRoots(actor: Pick<Actor, 'roles'>): string[] {
  return [...new Set(actor.roles.filter((r) => r.role === 'AGENCY_MANAGER' && r.agencyId).map((r) => r.agencyId!))]
}

// ── People ────────────────────────────────────────────────────────────────────────────────────

/** The people an actor may see: all (admin), those of some agency subtrees (manager), or none. */
export type PeopleScope = { kind: 'all' } | { kind: 'agencies'; rootIds: string[]; agencyIds: string[] } | { kind: 'none' }
export type SomePeopleScope = Exclude<PeopleScope, { kind: 'none' }>

export async function peopleScope(db: Db, actor: Actor): Promise<PeopleScope> {
  if (isAdmin(actor)) return { kind: 'all' }
  const rootIds = managerRoots(actor)
  if (rootIds.length === 0) return { kind: 'none' }
  return { kind: 'agencies', rootIds, agencyIds: await subtreeIds(db as PrismaClient, rootIds) }
}

/** Throws 403 unless the actor may see some people. */
export async function requirePeopleScope(db: Db, actor: Actor): Promise<SomePeopleScope> {
  const scope = await peopleScope(db, actor)
  if (scope.kind === 'none') throw new AppError('FORBIDDEN', 'auth.peopleForbidden')
  return scope
}

/** The Prisma filter for users inside a scope. */
export function usersInScope(scope: SomePeopleScope): Prisma.UserWhereInput {
  return scope.kind === 'all' ? {} : { agencyId: { in: scope.agencyIds } }
}

// ── Agencies ──────────────────────────────────────────────────────────────────────────────────

export interface AgencyScope {
  /** null = everything (admin). */
  roots: string[] | null
  /** Agencies the actor may manage (null = all). */
  ids: Set<string> | null
}

/** The agencies an actor manages: all (admin), their subtrees (manager), or 403. */
export async function agencyScope(db: Db, actor: Actor): Promise<AgencyScope> {
  if (isAdmin(actor)) return { roots: null, ids: null }
  const roots = managerRoots(actor)
  if (roots.length === 0) throw new AppError('FORBIDDEN', 'agency.forbidden')
  return { roots, ids: new Set(await subtreeIds(db as PrismaClient, roots)) }
}

export const inScope = (scope: AgencyScope, id: string) => scope.ids === null || scope.ids.has(id)

/** The scope roots of the actor's reports: null for an admin (everything); 403 for someone with no scope. */
export function reportRoots(actor: Actor): string[] | null {
  if (isAdmin(actor)) return null
  const roots = managerRoots(actor)
  if (roots.length === 0) throw new AppError('FORBIDDEN', 'report.forbidden')
  return roots
}

// ── Acting on a person ────────────────────────────────────────────────────────────────────────

/** Roles that only an admin acts on (and for which a reset link needs an admin). */
const PROTECTED_ROLES: readonly Role[] = ['AGENCY_MANAGER', 'ADMIN']

/** Whether the target's roles are not above what the actor may touch (scope aside). */
export function outranks(actor: Pick<Actor, 'roles'>, target: { roles: { role: Role }[] }): boolean {
  if (isAdmin(actor)) return true
  if (managerRoots(actor).length === 0) return false
  return !target.roles.some((r) => PROTECTED_ROLES.includes(r.role))
}

export interface PersonTarget {
  id: string
  fullName: string
  email: string | null
  agencyId: string | null
  deactivatedAt: Date | null
  roles: { role: Role }[]
}

/**
 * The person an actor is about to act on (reset a password, change roles, deactivate): 404 when
 * outside the actor's scope (outsiders do not learn who exists), 403 "hierarchy" when inside it but
 * holding a role the actor may not touch. Admins pass for everyone.
 */
export async function requireActOnPerson(db: Db, actor: Actor, userId: string): Promise<PersonTarget> {
  const scope = await requirePeopleScope(db, actor)
  const user = /^[0-9a-f-]{36}$/i.test(userId)
    ? await db.user.findFirst({
        where: { id: userId, ...usersInScope(scope) },
        select: { id: true, fullName: true, email: true, agencyId: true, deactivatedAt: true, roleGrants: { select: { role: true } } },
      })
    : null
  if (!user) throw new AppError('NOT_FOUND', 'auth.userNotInScope')
  const target = { id: user.id, fullName: user.fullName, email: user.email, agencyId: user.agencyId, deactivatedAt: user.deactivatedAt, roles: user.roleGrants }
  if (!outranks(actor, target)) throw new AppError('FORBIDDEN', 'auth.protectedTarget')
  return target
}

// ── Acting on an agency's periodic report (docs/decisions/020) ───────────────────────────────

export interface AgencyTarget {
  id: string
  parentId: string | null
  name: string
}

/**
 * The agency whose periodic report an actor is about to act on. 'own' (see the draft, write the
 * narrative, submit): the agency is inside the actor's subtree. 'review' (approve, return): the
 * level above — the agency's parent is inside the actor's scope, so a manager never reviews the
 * agency at the top of their own subtree (the lowest level cannot approve itself); an admin may.
 * 404 when the agency is outside the scope altogether, 403 when it is in scope but not reviewable.
 */
export async function requireAgencyAct(db: Db, actor: Actor, agencyId: string, act: 'own' | 'review'): Promise<AgencyTarget> {
  const roots = isAdmin(actor) ? null : managerRoots(actor)
  if (roots && roots.length === 0) throw new AppError('FORBIDDEN', 'report.forbidden')
  const agency = /^[0-9a-f-]{36}$/i.test(agencyId)
    ? await db.agency.findUnique({ where: { id: agencyId }, select: { id: true, parentId: true, name: true } })
    : null
  if (!agency) throw new AppError('NOT_FOUND', 'agency.notInScope')
  if (roots === null) return agency
  const ids = new Set(await subtreeIds(db as PrismaClient, roots))
  if (!ids.has(agency.id)) throw new AppError('NOT_FOUND', 'agency.notInScope')
  if (act === 'review' && !(agency.parentId && ids.has(agency.parentId))) throw new AppError('FORBIDDEN', 'periods.reviewAbove')
  return agency
}
