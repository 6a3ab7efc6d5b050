// The figures of an agency's periodic report (docs/decisions/020): drawn from the report engine
// (the counters of app/modules/report, the same numbers as /reports) for any course and for each
// course of the year's training plan, plus its children's submitted snapshots consolidated. The
// draft page shows them live; submitting computes them again inside the submitting transaction
// and freezes them.
import type { Prisma, PrismaClient } from '@prisma/client'
import { subtreeIds } from '~/modules/agency/tree.server'
import type { AgencyTypeName } from '~/modules/agency/types'
import { countersReportSql } from '~/modules/report/counters.server'
import { toReportRow } from '~/modules/report/service.server'
import type { ReportSqlRow } from '~/modules/report/sql.server'
import { trainingFigures, type TrainingFigures } from '~/modules/training/figures.server'
import { effectivePlan } from './plan.server'
import type { PeriodRow } from './period.server'
import { emptyFigures, percent, SNAPSHOT_FIGURES, TRAINING_TOTALS, type ChildLine, type FigureSet, type PeriodKindName, type ReportStatusName, type SnapshotFigures, type TrainingTotals } from './types'

type Db = PrismaClient | Prisma.TransactionClient

const isoDay = (d: Date) => d.toISOString().slice(0, 10)

/** An agency's figures over its subtree, for one course or any course, from the counters. */
async function agencyFigures(db: Db, agencyId: string, courseId: string | null, now: Date): Promise<FigureSet> {
  const rows = await db.$queryRaw<ReportSqlRow[]>(countersReportSql({ roots: null, focusId: agencyId, courseId, from: null, to: null, type: null, now }))
  const focus = rows.find((r) => r.kind === 'focus')
  if (!focus) return emptyFigures()
  const total = toReportRow(focus).total
  return Object.fromEntries(SNAPSHOT_FIGURES.map((f) => [f, total[f]])) as FigureSet
}

/**
 * In-person training of the period over the agency's subtree: sessions whose start date falls in
 * the period, online completions inside its Vietnam-time bounds ([startsOn 00:00+07:00, endsOn+1
 * 00:00+07:00)), the same counting as the report page (docs/decisions/023).
 */
export async function periodTraining(db: Db, agencyId: string, period: { startsOn: Date; endsOn: Date }): Promise<TrainingFigures> {
  const from = new Date(`${isoDay(period.startsOn)}T00:00:00+07:00`)
  const to = new Date(new Date(`${isoDay(period.endsOn)}T00:00:00+07:00`).getTime() + 86_400_000)
  return trainingFigures({ db, agencyIds: await subtreeIds(db, [agencyId]), from, to })
}

function addTraining(sum: TrainingTotals, figures: TrainingFigures | undefined): TrainingTotals {
  if (!figures) return sum
  return Object.fromEntries(TRAINING_TOTALS.map((k) => [k, sum[k] + figures[k]])) as TrainingTotals
}

function add(a: FigureSet, b: FigureSet): FigureSet {
  return Object.fromEntries(SNAPSHOT_FIGURES.map((f) => [f, a[f] + b[f]])) as FigureSet
}

/** The children's lines: the agencies directly below that report in the same period. */
export async function childLines(db: Db, periodId: string, agencyId: string): Promise<(ChildLine & { training?: TrainingFigures })[]> {
  const rows = await db.$queryRaw<{ agency_id: string; code: string; name: string; status: ReportStatusName; version: number; figures: SnapshotFigures | null; headcount: number | null; key_count: number | null }[]>`
    SELECT a.id::text AS agency_id, a.code, a.name, r.status::text AS status, r.version, s.figures, s.headcount, s.key_count
    FROM period_report r
    JOIN agency a ON a.id = r.agency_id AND a.parent_id = ${agencyId}::uuid
    LEFT JOIN report_snapshot s ON s.report_id = r.id AND s.version = r.version
    WHERE r.period_id = ${periodId}::uuid
    ORDER BY a.name`
  return rows.map((r) => ({
    agencyId: r.agency_id,
    code: r.code,
    name: r.name,
    status: r.status,
    version: r.version,
    figures: r.status === 'SUBMITTED' || r.status === 'APPROVED' ? (r.figures?.total ?? null) : null,
    headcount: r.headcount ?? 0,
    keyCount: r.key_count ?? 0,
    training: r.status === 'SUBMITTED' || r.status === 'APPROVED' ? r.figures?.training : undefined,
  }))
}

/** The report's figures as they are now (the draft), or as frozen when called while submitting. */
export async function computeFigures(db: Db, period: PeriodRow, agencyId: string, now = new Date()): Promise<SnapshotFigures> {
  const agency = await db.agency.findUniqueOrThrow({ where: { id: agencyId }, select: { id: true, code: true, name: true, type: true, parent: { select: { name: true } } } })
  const plan = await effectivePlan(db, agencyId, period.year)
  const total = await agencyFigures(db, agencyId, null, now)
  const courses: SnapshotFigures['courses'] = []
  for (const course of plan?.courses ?? []) courses.push({ ...course, figures: await agencyFigures(db, agencyId, course.id, now) })
  const keyCount = Math.min(total.headcount, courses.length ? Math.min(...courses.map((c) => c.figures.valid)) : total.valid)
  const children = await childLines(db, period.id, agencyId)
  const reported = children.filter((c) => c.figures)
  const consolidatedTotal = reported.reduce((sum, c) => add(sum, c.figures!), emptyFigures())
  const cKey = reported.reduce((s, c) => s + c.keyCount, 0)
  const cHead = reported.reduce((s, c) => s + c.headcount, 0)
  const zero = Object.fromEntries(TRAINING_TOTALS.map((k) => [k, 0])) as TrainingTotals
  const cTraining = reported.reduce((s, c) => addTraining(s, c.training), zero)
  const training = await periodTraining(db, agencyId, period)
  return {
    schema: 1,
    agency: { id: agency.id, code: agency.code, name: agency.name, type: agency.type as AgencyTypeName, parentName: agency.parent?.name ?? null },
    period: {
      id: period.id,
      kind: period.kind as PeriodKindName,
      year: period.year,
      number: period.number,
      startsOn: isoDay(period.startsOn),
      endsOn: isoDay(period.endsOn),
      dueAt: period.dueAt.toISOString(),
    },
    computedAt: now.toISOString(),
    plan,
    total,
    courses,
    key: { count: keyCount, headcount: total.headcount, percent: percent(keyCount, total.headcount), targetPercent: plan?.targetPercent ?? null },
    children: children.map(({ training: _, ...c }) => c),
    consolidated: { reported: reported.length, expected: children.length, total: consolidatedTotal, keyCount: cKey, headcount: cHead, percent: percent(cKey, cHead), training: cTraining },
    training,
  }
}
