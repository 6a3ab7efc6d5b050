// The overview of a period for the level above (docs/decisions/020): for a focus agency, the
// agencies directly below it that report in the period — submitted, on time, late, missing,
// returned — the reporting and on-time rates (as DHIS2 counts them: reports received, and received
// by the due date, over reports expected), the consolidated key figure of their submitted
// snapshots, the difference from the previous period and the trend over the last periods.
import type { PrismaClient } from '@prisma/client'
import { isAdmin, managerRoots, requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { getPeriod } from './period.server'
import { percent, type PeriodKindName, type ReportStatusName } from './types'

export type ChildState = 'pending' | 'missing' | 'onTime' | 'late' | 'returned'

export interface PeriodAggregate {
  id: string
  kind: PeriodKindName
  year: number
  number: number
  endsOn: string
  expected: number
  reported: number
  onTime: number
  returned: number
  keyPercent: number | null
  reportingRate: number | null
  onTimeRate: number | null
}

export const TREND_PERIODS = 8

/** Per period (the given one and those that ended before it), the focus's children aggregated. */
async function aggregates(db: PrismaClient, focusId: string, endsOn: Date, now: Date): Promise<PeriodAggregate[]> {
  const rows = await db.$queryRaw<{ id: string; kind: PeriodKindName; year: number; number: number; ends_on: Date; expected: number; reported: number; on_time: number; returned: number; key_count: number | null; headcount: number | null }[]>`
    SELECT p.id::text AS id, p.kind::text AS kind, p.year, p.number, p.ends_on,
      count(r.id)::int AS expected,
      count(r.id) FILTER (WHERE r.status IN ('SUBMITTED', 'APPROVED'))::int AS reported,
      count(r.id) FILTER (WHERE r.status IN ('SUBMITTED', 'APPROVED') AND r.first_submitted_at <= p.due_at)::int AS on_time,
      count(r.id) FILTER (WHERE r.status = 'RETURNED')::int AS returned,
      sum(s.key_count) FILTER (WHERE r.status IN ('SUBMITTED', 'APPROVED'))::int AS key_count,
      sum(s.headcount) FILTER (WHERE r.status IN ('SUBMITTED', 'APPROVED'))::int AS headcount
    FROM reporting_period p
    JOIN period_report r ON r.period_id = p.id
    JOIN agency a ON a.id = r.agency_id AND a.parent_id = ${focusId}::uuid
    LEFT JOIN report_snapshot s ON s.report_id = r.id AND s.version = r.version
    WHERE p.ends_on <= ${endsOn}::date AND p.opened_at <= ${now}
    GROUP BY p.id
    ORDER BY p.ends_on DESC, p.kind
    LIMIT ${TREND_PERIODS}`
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    year: r.year,
    number: r.number,
    endsOn: r.ends_on.toISOString().slice(0, 10),
    expected: r.expected,
    reported: r.reported,
    onTime: r.on_time,
    returned: r.returned,
    keyPercent: percent(r.key_count ?? 0, r.headcount ?? 0),
    reportingRate: percent(r.reported, r.expected),
    onTimeRate: percent(r.on_time, r.expected),
  }))
}

/** The focus of an overview: the one asked for (inside the scope), else the top of the actor's scope. */
async function focusOf(db: PrismaClient, actor: Actor, focusId: string | null): Promise<{ id: string; name: string; parentId: string | null }> {
  if (focusId) return requireAgencyAct(db, actor, focusId, 'own')
  if (isAdmin(actor)) {
    const top = await db.agency.findFirst({ where: { parentId: null, status: 'ACTIVE' }, orderBy: { code: 'asc' }, select: { id: true, name: true, parentId: true } })
    if (!top) throw new AppError('NOT_FOUND', 'agency.notFound')
    return top
  }
  const root = managerRoots(actor)[0]
  if (!root) throw new AppError('FORBIDDEN', 'report.forbidden')
  return requireAgencyAct(db, actor, root, 'own')
}

export async function loadOverview(db: PrismaClient, actor: Actor, { periodId, focusId }: { periodId: string; focusId: string | null }, now = new Date()) {
  const period = await getPeriod(db, periodId)
  const focus = await focusOf(db, actor, focusId)
  const [children, own, series] = await Promise.all([
    db.$queryRaw<{ agency_id: string; code: string; name: string; status: ReportStatusName; version: number; first_submitted_at: Date | null; key_count: number | null; headcount: number | null; submitted_at: Date | null; grandchildren: number }[]>`
      SELECT a.id::text AS agency_id, a.code, a.name, r.status::text AS status, r.version, r.first_submitted_at,
        s.key_count, s.headcount, s.submitted_at,
        (SELECT count(*)::int FROM period_report g JOIN agency ga ON ga.id = g.agency_id WHERE g.period_id = r.period_id AND ga.parent_id = a.id) AS grandchildren
      FROM period_report r
      JOIN agency a ON a.id = r.agency_id AND a.parent_id = ${focus.id}::uuid
      LEFT JOIN report_snapshot s ON s.report_id = r.id AND s.version = r.version
      WHERE r.period_id = ${period.id}::uuid
      ORDER BY a.name`,
    db.periodReport.findUnique({ where: { periodId_agencyId: { periodId: period.id, agencyId: focus.id } }, select: { status: true, version: true } }),
    aggregates(db, focus.id, period.endsOn, now),
  ])
  const overdue = now.getTime() > period.dueAt.getTime()
  const rows = children.map((c) => {
    const reported = c.status === 'SUBMITTED' || c.status === 'APPROVED'
    const state: ChildState =
      c.status === 'RETURNED' ? 'returned' : reported ? (c.first_submitted_at && c.first_submitted_at <= period.dueAt ? 'onTime' : 'late') : overdue ? 'missing' : 'pending'
    return {
      agencyId: c.agency_id,
      code: c.code,
      name: c.name,
      status: c.status,
      version: c.version,
      state,
      submittedAt: c.submitted_at?.toISOString() ?? null,
      keyPercent: reported ? percent(c.key_count ?? 0, c.headcount ?? 0) : null,
      hasChildren: c.grandchildren > 0,
    }
  })
  const current = series.find((s) => s.id === period.id) ?? null
  // The series ends at this period (newest first): the previous period is the next one in it.
  const previous = series.find((s) => s.id !== period.id) ?? null
  const count = (s: ChildState) => rows.filter((r) => r.state === s).length
  return {
    period,
    focus,
    own,
    rows,
    counts: { expected: rows.length, onTime: count('onTime'), late: count('late'), missing: count('missing'), pending: count('pending'), returned: count('returned') },
    current,
    previous,
    /** Oldest first, for the chart. */
    trend: [...series].reverse(),
  }
}
