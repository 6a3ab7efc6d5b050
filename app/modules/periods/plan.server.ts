// Training plans (docs/decisions/020): per year and agency, a target share of staff holding a valid
// certificate of some courses by a date. An agency's manager (or an admin) sets it; an agency with
// no plan of its own for that year follows the nearest ancestor's.
import type { Prisma, PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import type { PlanForm } from './schema'
import type { PlanView } from './types'

type Db = PrismaClient | Prisma.TransactionClient

const isoDay = (d: Date) => d.toISOString().slice(0, 10)

/** The plan an agency follows in a year: its own, else the nearest ancestor's; null if none. */
export async function effectivePlan(db: Db, agencyId: string, year: number): Promise<PlanView | null> {
  const rows = await db.$queryRaw<{ target_percent: number; course_ids: string[] | null; due_on: Date; agency_id: string; agency_name: string; depth: number }[]>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id, 0 AS depth FROM agency WHERE id = ${agencyId}::uuid
      UNION ALL
      SELECT a.id, a.parent_id, up.depth + 1 FROM agency a JOIN up ON a.id = up.parent_id WHERE up.depth < 50
    )
    SELECT tp.target_percent, tp.course_ids::text[] AS course_ids, tp.due_on, a.id::text AS agency_id, a.name AS agency_name, up.depth
    FROM up JOIN training_plan tp ON tp.agency_id = up.id AND tp.year = ${year} JOIN agency a ON a.id = up.id
    ORDER BY up.depth LIMIT 1`
  const row = rows[0]
  if (!row) return null
  const ids = row.course_ids ?? []
  const courses = ids.length ? await db.course.findMany({ where: { id: { in: ids } }, select: { id: true, title: true }, orderBy: { title: 'asc' } }) : []
  return { year, targetPercent: row.target_percent, courses, dueOn: isoDay(row.due_on), setAt: { id: row.agency_id, name: row.agency_name }, inherited: row.depth > 0 }
}

/** Sets (or replaces) an agency's own plan for a year; audited. */
export async function setPlan(db: PrismaClient, actor: Actor, form: PlanForm, ip: string | null = null): Promise<void> {
  await requireAgencyAct(db, actor, form.agencyId, 'own')
  if (form.courseIds.length) {
    const found = await db.course.count({ where: { id: { in: form.courseIds }, retiredAt: null } })
    if (found !== form.courseIds.length) throw new AppError('BAD_INPUT', 'periods.unknownCourse')
  }
  const data = { targetPercent: form.targetPercent, courseIds: form.courseIds, dueOn: new Date(`${form.dueOn}T00:00:00Z`), setById: actor.id }
  await db.$transaction(async (tx) => {
    const plan = await tx.trainingPlan.upsert({
      where: { agencyId_year: { agencyId: form.agencyId, year: form.year } },
      create: { agencyId: form.agencyId, year: form.year, ...data },
      update: data,
    })
    await audit(tx, {
      action: 'plan.set',
      actorId: actor.id,
      targetType: 'training_plan',
      targetId: plan.id,
      ip,
      details: { agencyId: form.agencyId, year: form.year, targetPercent: form.targetPercent, courseIds: form.courseIds, dueOn: form.dueOn },
    })
  })
}

/** The plans set inside the actor's scope for a year (null roots = everything). */
export async function listPlans(db: PrismaClient, { ids, year }: { ids: Set<string> | null; year: number }) {
  const plans = await db.trainingPlan.findMany({
    where: { year, ...(ids ? { agencyId: { in: [...ids] } } : {}) },
    select: { id: true, agencyId: true, targetPercent: true, courseIds: true, dueOn: true, agency: { select: { name: true } }, setBy: { select: { fullName: true } } },
    orderBy: { agency: { name: 'asc' } },
  })
  return plans.map((p) => ({ ...p, dueOn: isoDay(p.dueOn) }))
}
