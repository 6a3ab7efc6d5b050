// The per-person register for HR (issue 22): one row per staff record and course completed, with
// the current certificate (number, expiry), in the format a Department of Home Affairs files. The
// same scope as the report (reportRoots: an agency manager's subtree, everything for an admin) and
// the same filters (focus agency → its subtree, course, completion period); people are the roster
// (staff records) as in the report, their training that of their linked account.
import { Prisma, type PrismaClient } from '@prisma/client'
import { reportRoots, type Actor } from '~/modules/scope/scope.server'
import { messagesFor } from '~/utils/i18n'
import type { SheetData } from '~/utils/spreadsheet.server'
import { dateLine, describeFilters } from './export.server'
import { periodBounds, type ReportFilters } from './schema'
import type { Report } from './service.server'

/** At most this many rows in one file (a province's roster × its courses is far below). */
export const HR_EXPORT_MAX_ROWS = 200_000

export interface HrRow {
  staff_code: string
  full_name: string
  job_title: string | null
  agency_code: string
  agency_name: string
  course_title: string
  completed_at: Date
  certificate_number: string | null
  expires_at: Date | null
}

/**
 * The completion date is that of the current certificate's completion (a renewal's, after a
 * renewal), else the first completion; the completion period filters on that date.
 */
export function hrRegisterSql(roots: string[] | null, filters: ReportFilters): Prisma.Sql {
  const { from, to } = periodBounds(filters)
  const focus = filters.agency ? Prisma.sql`AND t.path @> ARRAY[${filters.agency}::uuid]` : Prisma.empty
  const course = filters.course ? Prisma.sql`AND e.course_id = ${filters.course}::uuid` : Prisma.empty
  const period = Prisma.sql`${from ? Prisma.sql`AND d.completed_at >= ${from}` : Prisma.empty} ${to ? Prisma.sql`AND d.completed_at < ${to}` : Prisma.empty}`
  return Prisma.sql`
WITH RECURSIVE tree AS (
  SELECT a.id, a.code, a.name, ARRAY[a.id] AS path, ARRAY[a.name] AS names
  FROM agency a WHERE a.parent_id IS NULL AND a.status = 'ACTIVE'
  UNION ALL
  SELECT a.id, a.code, a.name, t.path || a.id, t.names || a.name
  FROM agency a JOIN tree t ON a.parent_id = t.id WHERE a.status = 'ACTIVE'
),
scoped AS (
  SELECT * FROM tree ${roots ? Prisma.sql`WHERE path && ${roots}::uuid[]` : Prisma.empty}
)
SELECT s.staff_code, s.full_name, s.job_title, t.code AS agency_code, t.name AS agency_name, co.title AS course_title,
  d.completed_at, d.number AS certificate_number, d.expires_at
FROM staff_record s
JOIN scoped t ON t.id = s.agency_id ${focus}
JOIN enrolment e ON e.user_id = s.user_id AND e.completed_at IS NOT NULL ${course}
JOIN course co ON co.id = e.course_id
CROSS JOIN LATERAL (
  SELECT COALESCE(cur.completed_at, e.completed_at) AS completed_at, cur.number, cur.expires_at
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT cc.completed_at, c.number, c.expires_at
    FROM certificate c JOIN course_completion cc ON cc.id = c.completion_id
    WHERE c.user_id = s.user_id AND c.course_id = e.course_id AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL
    ORDER BY c.issued_at DESC LIMIT 1
  ) cur ON true
) d
WHERE true ${period}
ORDER BY t.names, s.sort_key, s.staff_code, co.title
LIMIT ${HR_EXPORT_MAX_ROWS}`
}

export async function loadHrRegister(db: PrismaClient, actor: Actor, filters: ReportFilters): Promise<HrRow[]> {
  return db.$queryRaw<HrRow[]>(hrRegisterSql(reportRoots(actor), filters))
}

/** dd/mm/yyyy in Vietnam time. */
function vnDay(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at)
}

export function hrSheet(rows: HrRow[], report: Report, filters: ReportFilters): SheetData {
  const m = messagesFor('vi')
  const c = m.hr.columns
  return {
    name: 'Danh sach theo nguoi',
    preamble: [m.hr.exportTitle, dateLine(report.generatedAt, m), describeFilters(report, filters, m), m.hr.note],
    header: [c.number, c.staffCode, c.name, c.jobTitle, c.agencyCode, c.agency, c.course, c.completedAt, c.certificateNumber, c.expiresAt],
    rows: rows.map((r, i) => [
      i + 1,
      r.staff_code,
      r.full_name,
      r.job_title ?? '',
      r.agency_code,
      r.agency_name,
      r.course_title,
      vnDay(r.completed_at),
      r.certificate_number ?? '',
      r.certificate_number ? (r.expires_at ? vnDay(r.expires_at) : m.hr.noExpiry) : '',
    ]),
  }
}

export function hrFileName(report: Report, ext: 'csv' | 'xlsx'): string {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' }).format(report.generatedAt)
  const code = (report.focus?.code ?? 'tong-hop').replace(/[^A-Za-z0-9._-]+/g, '-')
  return `danh-sach-boi-duong-${code}-${day}.${ext}`
}
