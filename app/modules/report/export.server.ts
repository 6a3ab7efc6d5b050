// The report as a spreadsheet (CSV, XLSX) and the words that describe its filters: the same rows
// as the page, with the filters written at the top, always in Vietnamese (it is sent upward).
import type { Messages } from '~/locales/types'
import { format, messagesFor } from '~/utils/i18n'
import type { SheetData } from '~/utils/spreadsheet.server'
import type { ReportFilters } from './schema'
import type { Report, ReportRow } from './service.server'
import type { Figure } from './sql.server'

export const TABLE_FIGURES: Exclude<Figure, 'staff'>[] = ['headcount', 'enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue']

/** dd/mm/yyyy as written in Vietnam. */
export function vnDate(iso: string): string {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}

/** The date line of an official Vietnamese document, in Vietnam time. */
export function dateLine(now: Date, m: Messages = messagesFor('vi')): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(now)
  const get = (type: string) => parts.find((p) => p.type === type)!.value
  return format(m.reports.report.dateLine, { day: get('day'), month: get('month'), year: get('year') })
}

export function describeFilters(report: Report, filters: ReportFilters, m: Messages = messagesFor('vi')): string {
  const r = m.reports.report
  const course = filters.course ? (report.courses.find((c) => c.id === filters.course)?.title ?? '—') : r.allCourses
  const period =
    filters.from && filters.to
      ? format(r.periodFromTo, { from: vnDate(filters.from), to: vnDate(filters.to) })
      : filters.from
        ? format(r.periodFrom, { from: vnDate(filters.from) })
        : filters.to
          ? format(r.periodTo, { to: vnDate(filters.to) })
          : r.anyPeriod
  const type = filters.type ? m.reports.agencyTypes[filters.type] : r.allTypes
  const scope = report.focus ? [...report.breadcrumb.map((b) => b.name), report.focus.name].join(' › ') : r.top
  return format(r.filterLine, { course, period, type, scope })
}

/** Share as a percentage with one decimal, or null. */
export function sharePercent(row: ReportRow): number | null {
  return row.share === null ? null : Math.round(row.share * 1000) / 10
}

/** The rows of the table in the order the page shows them: the focus (total) first. */
export function tableRows(report: Report): ReportRow[] {
  return report.focus ? [report.focus, ...report.rows] : report.rows
}

export function reportSheet(report: Report, filters: ReportFilters): SheetData {
  const m = messagesFor('vi')
  const r = m.reports.report
  const header = [
    r.columns.code,
    r.columns.agency,
    r.columns.type,
    ...TABLE_FIGURES.map((f) => `${r.columns[f]} (${r.total})`),
    `${r.columns.share} (%)`,
    ...TABLE_FIGURES.map((f) => `${r.columns[f]} (${r.own})`),
  ]
  return {
    name: 'Bao cao',
    preamble: [r.printTitle, dateLine(report.generatedAt, m), describeFilters(report, filters, m)],
    header,
    rows: tableRows(report).map((row) => [
      row.code,
      row.name,
      m.reports.agencyTypes[row.type],
      ...TABLE_FIGURES.map((f) => row.total[f]),
      sharePercent(row),
      ...TABLE_FIGURES.map((f) => row.own[f]),
    ]),
  }
}

export function exportFileName(report: Report, ext: 'csv' | 'xlsx'): string {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' }).format(report.generatedAt)
  const code = report.focus?.code ?? 'tong-hop'
  return `bao-cao-boi-duong-${code}-${day}.${ext}`
}
