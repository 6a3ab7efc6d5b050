// Managing the agency tree: create, rename, set headcount, move, merge, deactivate. An admin may
// change any agency; an agency manager only agencies inside their subtree, and never the top of
// their own scope (that would move them out of, or dissolve, what they manage). Every change is
// written with its history row and audit entry in one transaction.
import type { AgencyStatus, AgencyType, Prisma, PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { agencyScope, inScope, type Actor, type AgencyScope } from '~/modules/scope/scope.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { collator } from '~/utils/text'
import { subtreeIds } from './tree.server'
import type { AgencyTypeName } from './types'

type Tx = Prisma.TransactionClient

/** Error keys shown by the pages (reports.errors in the locales). */
export type AgencyErrorKey =
  | 'codeTaken'
  | 'parentRequired'
  | 'parentCycle'
  | 'targetRequired'
  | 'notActive'
  | 'hasStaff'
  | 'hasChildren'
  | 'scopeRoot'
  | 'agencyRequired'

const fail = (key: AgencyErrorKey, details?: Record<string, unknown>): never => {
  throw AppError.field(key, details)
}

// The scope itself is computed in one place for people, agencies and reports (scope module).
export { agencyScope, inScope, type AgencyScope } from '~/modules/scope/scope.server'

export interface AgencyTreeRow {
  id: string
  code: string
  name: string
  type: AgencyTypeName
  status: AgencyStatus
  depth: number
  parentId: string | null
  staff: number
  headcountManual: number | null
  isSample: boolean
}

/** The tree in scope, parents before children, siblings in Vietnamese order (one query). */
export async function listAgencyTree(db: PrismaClient, scope: AgencyScope, { includeInactive = false } = {}): Promise<AgencyTreeRow[]> {
  const rows = await db.$queryRaw<(Omit<AgencyTreeRow, 'staff'> & { staff: number })[]>`
    SELECT a.id::text AS id, a.code, a.name, a.type::text AS type, a.status::text AS status, a.parent_id::text AS "parentId",
      a.headcount_manual AS "headcountManual", a.is_sample AS "isSample",
      (SELECT count(*)::int FROM staff_record s WHERE s.agency_id = a.id) AS staff, 0 AS depth
    FROM agency a
    WHERE (${scope.ids === null}::boolean OR a.id = ANY(${scope.ids ? [...scope.ids] : []}::uuid[]))`
  const shown = includeInactive ? rows : rows.filter((r) => r.status === 'ACTIVE')
  const byParent = new Map<string | null, typeof shown>()
  const ids = new Set(shown.map((r) => r.id))
  for (const row of shown) {
    const key = row.parentId && ids.has(row.parentId) ? row.parentId : null
    byParent.set(key, [...(byParent.get(key) ?? []), row])
  }
  const c = collator('vi')
  const out: AgencyTreeRow[] = []
  const walk = (parent: string | null, depth: number) => {
    for (const row of (byParent.get(parent) ?? []).sort((a, b) => c.compare(a.name, b.name))) {
      out.push({ ...row, depth })
      walk(row.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

export async function getAgency(db: PrismaClient, scope: AgencyScope, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id) || !inScope(scope, id)) throw new AppError('NOT_FOUND', 'agency.notInScope')
  const agency = await db.agency.findUnique({
    where: { id },
    include: {
      parent: { select: { id: true, name: true } },
      mergedInto: { select: { id: true, name: true } },
      mergedFrom: { select: { id: true, name: true, code: true, mergedAt: true } },
      children: { select: { id: true, name: true, code: true, status: true }, orderBy: { name: 'asc' } },
      history: { orderBy: { at: 'asc' }, include: { actor: { select: { fullName: true } } } },
      _count: { select: { staff: true, assignments: true } },
    },
  })
  if (!agency) throw new AppError('NOT_FOUND', 'agency.notInScope')
  const refIds = [...new Set(agency.history.flatMap((h) => [h.oldParentId, h.newParentId, h.targetId]).filter((x): x is string => !!x))]
  const names = new Map((await db.agency.findMany({ where: { id: { in: refIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]))
  return { agency, names }
}

async function lockAgency(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string; status: AgencyStatus; parent_id: string | null; headcount_manual: number | null; name: string }[]>`
    SELECT id::text AS id, status::text AS status, parent_id::text AS parent_id, headcount_manual, name FROM agency WHERE id = ${id}::uuid FOR UPDATE`
  return rows[0] ?? null
}

function requireManageable(scope: AgencyScope, id: string, { notRoot = false } = {}) {
  if (!inScope(scope, id)) throw new AppError('NOT_FOUND', 'agency.notInScope')
  if (notRoot && scope.roots?.includes(id)) fail('scopeRoot')
}

export interface CreateAgencyInput {
  code: string
  name: string
  type: AgencyType
  parentId: string | null
  headcountManual: number | null
}

export async function createAgency(db: PrismaClient, actor: Actor, input: CreateAgencyInput, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  // A manager creates only below something they manage; only an admin creates a top-level agency.
  if (input.parentId ? !inScope(scope, input.parentId) : scope.ids !== null) fail('parentRequired')
  try {
    return await db.$transaction(async (tx) => {
      if (input.parentId) {
        const parent = await lockAgency(tx, input.parentId)
        if (!parent || parent.status !== 'ACTIVE') fail('parentRequired')
      }
      const agency = await tx.agency.create({ data: input })
      await tx.agencyHistory.create({ data: { agencyId: agency.id, change: 'CREATED', newName: agency.name, newParentId: input.parentId, actorId: actor.id } })
      await audit(tx, { action: 'agency.create', actorId: actor.id, targetType: 'agency', targetId: agency.id, ip, details: { code: agency.code } })
      return agency
    })
  } catch (error) {
    if (isUniqueViolation(error)) fail('codeTaken')
    throw error
  }
}

/** Rename and/or set the manual headcount (null = count the roster). */
export async function updateAgency(
  db: PrismaClient,
  actor: Actor,
  { id, name, headcountManual }: { id: string; name: string; headcountManual: number | null },
  ip: string | null = null,
) {
  const scope = await agencyScope(db, actor)
  requireManageable(scope, id)
  await db.$transaction(async (tx) => {
    const current = await lockAgency(tx, id)
    if (!current) throw new AppError('NOT_FOUND', 'agency.notFound')
    if (current.status !== 'ACTIVE') fail('notActive')
    await tx.agency.update({ where: { id }, data: { name, headcountManual } })
    if (current.name !== name)
      await tx.agencyHistory.create({ data: { agencyId: id, change: 'RENAMED', oldName: current.name, newName: name, actorId: actor.id } })
    if (current.headcount_manual !== headcountManual) await tx.agencyHistory.create({ data: { agencyId: id, change: 'HEADCOUNT_SET', actorId: actor.id } })
    await audit(tx, { action: 'agency.update', actorId: actor.id, targetType: 'agency', targetId: id, ip, details: { name, headcountManual } })
  })
}

export async function moveAgency(db: PrismaClient, actor: Actor, { id, parentId }: { id: string; parentId: string }, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  requireManageable(scope, id, { notRoot: true })
  if (!inScope(scope, parentId)) fail('parentRequired')
  await db.$transaction(async (tx) => {
    const current = await lockAgency(tx, id)
    const parent = await lockAgency(tx, parentId)
    if (!current || current.status !== 'ACTIVE') fail('notActive')
    if (!parent || parent.status !== 'ACTIVE') fail('parentRequired')
    // No cycles: the new parent may not be the agency itself or below it.
    if ((await subtreeIds(tx as PrismaClient, [id])).includes(parentId)) fail('parentCycle')
    if (current!.parent_id === parentId) return
    await tx.agency.update({ where: { id }, data: { parentId } })
    await tx.agencyHistory.create({ data: { agencyId: id, change: 'MOVED', oldParentId: current!.parent_id, newParentId: parentId, actorId: actor.id } })
    await audit(tx, { action: 'agency.move', actorId: actor.id, targetType: 'agency', targetId: id, ip, details: { from: current!.parent_id, to: parentId } })
  })
}

/**
 * Merges `id` into `targetId` (the 2025 commune mergers): its staff records, accounts, classes,
 * manager grants and sub-agencies move to the target; the merged agency keeps its row, its name
 * and its history, marked MERGED and pointing at the target. Manual headcounts add up when both
 * were set. Course assignments of the merged agency stay with it (and so no longer apply).
 */
export async function mergeAgency(db: PrismaClient, actor: Actor, { id, targetId }: { id: string; targetId: string }, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  requireManageable(scope, id, { notRoot: true })
  if (id === targetId || !inScope(scope, targetId)) fail('targetRequired')
  await db.$transaction(async (tx) => {
    // Lock in id order so two merges touching the same pair cannot deadlock.
    const [first, second] = [id, targetId].sort()
    const locked = new Map([
      [first!, await lockAgency(tx, first!)],
      [second!, await lockAgency(tx, second!)],
    ])
    const source = locked.get(id)
    const target = locked.get(targetId)
    if (!source || source.status !== 'ACTIVE') fail('notActive')
    if (!target || target.status !== 'ACTIVE') fail('targetRequired')
    if ((await subtreeIds(tx as PrismaClient, [id])).includes(targetId)) fail('targetRequired')
    const now = new Date()
    const children = await tx.agency.findMany({ where: { parentId: id }, select: { id: true } })
    await tx.agency.updateMany({ where: { parentId: id }, data: { parentId: targetId } })
    if (children.length)
      await tx.agencyHistory.createMany({
        data: children.map((c) => ({ agencyId: c.id, change: 'MOVED' as const, oldParentId: id, newParentId: targetId, actorId: actor.id, at: now })),
      })
    const staff = await tx.staffRecord.updateMany({ where: { agencyId: id }, data: { agencyId: targetId } })
    const users = await tx.user.updateMany({ where: { agencyId: id }, data: { agencyId: targetId } })
    await tx.class.updateMany({ where: { schoolId: id }, data: { schoolId: targetId } })
    // A manager of both keeps one grant; the others' grants now cover the target.
    await tx.$executeRaw`
      DELETE FROM role_grant g WHERE g.agency_id = ${id}::uuid
        AND EXISTS (SELECT 1 FROM role_grant h WHERE h.user_id = g.user_id AND h.role = g.role AND h.agency_id = ${targetId}::uuid)`
    await tx.roleGrant.updateMany({ where: { agencyId: id }, data: { agencyId: targetId } })
    if (source!.headcount_manual !== null && target!.headcount_manual !== null)
      await tx.agency.update({ where: { id: targetId }, data: { headcountManual: source!.headcount_manual + target!.headcount_manual } })
    await tx.agency.update({ where: { id }, data: { status: 'MERGED', mergedIntoId: targetId, mergedAt: now } })
    await tx.agencyHistory.create({ data: { agencyId: id, change: 'MERGED', targetId, oldName: source!.name, actorId: actor.id, at: now } })
    await audit(tx, {
      action: 'agency.merge',
      actorId: actor.id,
      targetType: 'agency',
      targetId: id,
      ip,
      details: { into: targetId, staff: staff.count, users: users.count, children: children.length },
    })
  })
}

export async function setAgencyActive(db: PrismaClient, actor: Actor, { id, active }: { id: string; active: boolean }, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  requireManageable(scope, id, { notRoot: true })
  await db.$transaction(async (tx) => {
    const current = await lockAgency(tx, id)
    if (!current) throw new AppError('NOT_FOUND', 'agency.notFound')
    if (current.status === 'MERGED') fail('notActive')
    if (active) {
      if (current.status === 'ACTIVE') return
      if (current.parent_id) {
        const parent = await lockAgency(tx, current.parent_id)
        if (parent?.status !== 'ACTIVE') fail('parentRequired')
      }
    } else {
      if (current.status === 'INACTIVE') return
      const staff = await tx.staffRecord.count({ where: { agencyId: id } })
      if (staff > 0) fail('hasStaff', { count: staff })
      if (await tx.agency.count({ where: { parentId: id, status: 'ACTIVE' } })) fail('hasChildren')
    }
    await tx.agency.update({ where: { id }, data: { status: active ? 'ACTIVE' : 'INACTIVE' } })
    await tx.agencyHistory.create({ data: { agencyId: id, change: active ? 'REACTIVATED' : 'DEACTIVATED', actorId: actor.id } })
    await audit(tx, { action: active ? 'agency.reactivate' : 'agency.deactivate', actorId: actor.id, targetType: 'agency', targetId: id, ip })
  })
}
