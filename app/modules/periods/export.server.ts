// A submitted report as a spreadsheet (docs/decisions/020): the frozen figures, narrative, who
// submitted and reviewed and when, and the check address — always in Vietnamese (it is sent upward).
import { dateLine } from '~/modules/report/export.server'
import { trainingFigureRows } from '~/modules/training/report.server'
import { format, messagesFor } from '~/utils/i18n'
import type { SheetData } from '~/utils/spreadsheet.server'
import type { LoadedSnapshot } from './workflow.server'
import { periodLabel } from './labels'
import { SNAPSHOT_FIGURES, vnDay } from './types'

const vnTime = (d: Date) => new Intl.DateTimeFormat('vi', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(d)

/** The lines of the snapshot's header, shared by the spreadsheet and the print page. */
export function snapshotFacts(s: LoadedSnapshot, verifyUrl: string) {
  const m = messagesFor('vi')
  const t = m.periods
  const f = s.figures
  return {
    title: t.print.heading,
    agency: f.agency.name,
    parent: f.agency.parentName,
    period: format(t.print.periodLine, { period: periodLabel(m, f.period), from: vnDay(f.period.startsOn), to: vnDay(f.period.endsOn) }),
    version: format(t.report.version, { version: String(s.version) }),
    submitted: `${format(t.report.submittedBy, { name: s.submittedByName, time: vnTime(s.submittedAt) })}${s.late ? ` ${t.report.lateMark}` : ''}`,
    reviewed: s.review
      ? `${format(t.report.reviewed, { decision: t.report.decisions[s.review.decision], name: s.review.reviewedByName, time: vnTime(s.review.reviewedAt) })}${s.review.reason ? ` — ${format(t.report.reasonShown, { reason: s.review.reason })}` : ''}`
      : t.print.notReviewed,
    dateLine: dateLine(s.submittedAt, m),
    verify: format(t.print.verify, { code: s.verifyCode, url: verifyUrl }),
  }
}

export function snapshotSheet(s: LoadedSnapshot, verifyUrl: string): SheetData {
  const m = messagesFor('vi')
  const t = m.periods.figures
  const f = s.figures
  const facts = snapshotFacts(s, verifyUrl)
  const keyLine = format(t.key, { count: String(f.key.count), headcount: String(f.key.headcount), percent: f.key.percent === null ? '—' : `${f.key.percent}%` })
  const plan = f.plan
    ? format(t.plan, { year: String(f.plan.year), target: String(f.plan.targetPercent), courses: f.plan.courses.length ? f.plan.courses.map((c) => c.title).join(', ') : t.anyCourse, due: vnDay(f.plan.dueOn) })
    : t.noPlan
  const rows: SheetData['rows'] = SNAPSHOT_FIGURES.map((fig) => [t.rows[fig], f.total[fig], ...f.courses.map((c) => c.figures[fig])])
  if (f.children.length) {
    rows.push([])
    rows.push([t.children, format(t.childrenLine, { reported: String(f.consolidated.reported), expected: String(f.consolidated.expected), percent: f.consolidated.percent === null ? '—' : `${f.consolidated.percent}%` })])
    rows.push([t.childColumns.agency, t.childColumns.status, t.childColumns.headcount, t.childColumns.valid])
    for (const ch of f.children) rows.push([ch.name, m.periods.status[ch.status], ch.figures ? ch.headcount : null, ch.figures ? ch.keyCount : null])
  }
  rows.push(...snapshotTrainingRows(s))
  rows.push([])
  rows.push([m.periods.print.narrative, s.narrative || m.periods.print.noNarrative])
  return {
    name: 'Bao cao dinh ky',
    preamble: [facts.title, facts.agency, facts.period, facts.version, facts.submitted, facts.reviewed, plan, keyLine, facts.verify],
    header: [t.figure, t.total, ...f.courses.map((c) => c.title)],
    rows,
  }
}

/** In-person training of the period, as frozen in the snapshot (none in snapshots made before it). */
export function snapshotTrainingRows(s: LoadedSnapshot): SheetData['rows'] {
  const m = messagesFor('vi')
  const tr = s.figures.training
  if (!tr) return []
  const rows: SheetData['rows'] = [[], [m.training.report.title, format(m.periods.figures.trainingPeriod, { from: vnDay(s.figures.period.startsOn), to: vnDay(s.figures.period.endsOn) })], ...trainingFigureRows(tr, m)]
  const c = s.figures.consolidated.training
  if (c && s.figures.consolidated.reported > 0) rows.push([], [format(m.periods.figures.childrenTraining, { sessions: String(c.sessions), staff: String(c.staffInPerson), online: String(c.staffOnline), citizens: String(c.citizens) })])
  return rows
}

export function snapshotFileName(s: LoadedSnapshot, ext: 'xlsx' | 'pdf'): string {
  const p = s.figures.period
  return `bao-cao-dinh-ky-${s.figures.agency.code}-${p.year}-${p.kind.toLowerCase()}${p.number}-v${s.version}.${ext}`
}
