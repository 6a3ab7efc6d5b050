// The trained-staff report: what the page, the exports, the print view and the benchmark load.
// Two queries per request: the report statement and the course list for the filter. The statement
// reads the counters (counters.server.ts, docs/decisions/016) unless a completion period is asked
// for; then it is the live statement of sql.server.ts, exact for any period.
import { Prisma, type PrismaClient } from '@prisma/client'
import type { AgencyTypeName } from '~/modules/agency/types'
import { reportRoots, type Actor } from '~/modules/scope/scope.server'
import { plainQuery } from '~/utils/db.server'
import { AppError } from '~/utils/errors'
import { collator } from '~/utils/text'
import { advanceReportClock, countersReportSql, countersServe, nextAssignmentDueInMs } from './counters.server'
import { periodBounds, type ReportFilters } from './schema'
import { FIGURES, peopleSql, reportSql, type Figures, type PeopleMetric, type PeopleSqlRow, type ReportParams, type ReportSqlRow } from './sql.server'

export interface ReportRow {
  id: string
  code: string
  name: string
  type: AgencyTypeName
  depth: number
  /** Sub-agencies in scope (drill-down is possible when > 0). */
  children: number
  own: Figures
  total: Figures
  /** Completed ÷ headcount over the subtree, 0…1 (null when the headcount is 0). */
  share: number | null
}

export interface Report {
  focus: ReportRow | null
  rows: ReportRow[]
  breadcrumb: { id: string; name: string }[]
  courses: { id: string; title: string }[]
  generatedAt: Date
}

export function reportParams(actor: Actor, filters: ReportFilters, now = new Date()): ReportParams {
  const { from, to } = periodBounds(filters)
  return {
    roots: reportRoots(actor),
    focusId: filters.agency ?? null,
    courseId: filters.course ?? null,
    from,
    to,
    type: filters.type ?? null,
    now,
  }
}

function figures(row: ReportSqlRow, prefix: 'o_' | 'r_'): Figures {
  return Object.fromEntries(FIGURES.map((f) => [f, Number(row[`${prefix}${f}`] ?? 0)])) as Figures
}

export function toReportRow(row: ReportSqlRow): ReportRow {
  const total = figures(row, 'r_')
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    depth: row.depth,
    children: row.children,
    own: figures(row, 'o_'),
    total,
    share: total.headcount > 0 ? Math.min(1, total.completed / total.headcount) : null,
  }
}

/** Shapes the statement's rows: focus, rows in Vietnamese order, breadcrumb top-down. */
export function shapeReport(rows: ReportSqlRow[]): Pick<Report, 'focus' | 'rows' | 'breadcrumb'> {
  const c = collator('vi')
  const focusRow = rows.find((r) => r.kind === 'focus')
  return {
    focus: focusRow ? toReportRow(focusRow) : null,
    rows: rows
      .filter((r) => r.kind === 'row')
      .map(toReportRow)
      .sort((a, b) => a.depth - b.depth || c.compare(a.name, b.name)),
    breadcrumb: rows
      .filter((r) => r.kind === 'crumb')
      .sort((a, b) => a.depth - b.depth)
      .map((r) => ({ id: r.id, name: r.name })),
  }
}

/**
 * The whole request in one statement: the report's rows and the course list of the filter, sent
 * through node-postgres (plainQuery: Prisma's per-query work was most of a commune's time on the
 * loaded machine, ADR 016). Nothing is refreshed in the background since the amendment of
 * 2026-12-08 (the counters are exact at every commit), so there is no refresh status to read.
 */
export function reportRequestSql(params: ReportParams): Prisma.Sql {
  return Prisma.sql`
SELECT COALESCE((SELECT json_agg(r) FROM (${countersServe(params) ? countersReportSql(params) : reportSql(params)}) r), '[]') AS rows,
  COALESCE((SELECT json_agg(json_build_object('id', c.id::text, 'title', c.title) ORDER BY c.title) FROM course c WHERE c.retired_at IS NULL), '[]') AS courses`
}

/**
 * An assignment that fell due after the expiry job's clock makes every view above its people
 * recompute them at read time until the job has run (exact, but tens of seconds for a whole
 * province on a loaded machine). So a read that finds one does the job's work first — seconds, set-based
 * — or, when another process holds the job's lock, waits for it (ADR 016, amendment 2026-12-08 b).
 * One small statement when nothing has fallen due, which is nearly always.
 */
export async function settleFallenDue(db: PrismaClient, now: Date): Promise<void> {
  // 0: one has fallen due and the job has not run since.
  const fallen = async () => (await nextAssignmentDueInMs(db, 0, now)) === 0
  const until = Date.now() + 60_000
  while (await fallen()) {
    if ((await advanceReportClock(db, now)) !== null || Date.now() > until) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export async function loadReport(db: PrismaClient, actor: Actor, filters: ReportFilters, now = new Date()): Promise<Report> {
  await settleFallenDue(db, now)
  const params = reportParams(actor, filters, now)
  const [result] = await plainQuery<{ rows: ReportSqlRow[]; courses: { id: string; title: string }[] }>(db, reportRequestSql(params), { prepare: true })
  const rows = result?.rows ?? []
  const courses = result?.courses ?? []
  const shaped = shapeReport(rows)
  // A focus outside the scope (or unknown) finds nothing: the same 404 either way.
  if (filters.agency && !shaped.focus) throw new AppError('NOT_FOUND', 'report.agencyNotInScope')
  if (filters.course && !courses.some((co) => co.id === filters.course)) throw new AppError('BAD_INPUT', 'report.unknownCourse')
  return { ...shaped, courses, generatedAt: now }
}

export const PEOPLE_PAGE_SIZE = 50

export interface PeoplePage {
  agencyName: string
  people: PeopleSqlRow[]
  total: number
  pages: number
}

/** The people behind one number; the agency must be inside the scope (else nobody is found: 404). */
export async function loadPeople(
  db: PrismaClient,
  actor: Actor,
  filters: ReportFilters,
  { agencyId, metric, subtree, page }: { agencyId: string; metric: PeopleMetric; subtree: boolean; page: number },
  now = new Date(),
): Promise<PeoplePage> {
  const params = reportParams(actor, filters, now)
  const [people, agency] = await Promise.all([
    db.$queryRaw<PeopleSqlRow[]>(
      peopleSql({ ...params, agencyId, metric, subtree, limit: PEOPLE_PAGE_SIZE, offset: (page - 1) * PEOPLE_PAGE_SIZE }),
    ),
    db.$queryRaw<{ ok: boolean; name: string | null }[]>`
      WITH RECURSIVE up AS (
        SELECT id, parent_id FROM agency WHERE id = ${agencyId}::uuid AND status = 'ACTIVE'
        UNION SELECT a.id, a.parent_id FROM agency a JOIN up ON a.id = up.parent_id
      )
      SELECT ((${params.roots}::uuid[] IS NULL AND EXISTS (SELECT 1 FROM up)) OR EXISTS (SELECT 1 FROM up WHERE id = ANY(${params.roots ?? []}::uuid[]))) AS ok,
        (SELECT name FROM agency WHERE id = ${agencyId}::uuid) AS name`,
  ])
  if (!agency[0]?.ok) throw new AppError('NOT_FOUND', 'report.agencyNotInScope')
  const total = people[0]?.total ?? 0
  return { people, total, pages: Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE)), agencyName: agency[0].name ?? '' }
}
