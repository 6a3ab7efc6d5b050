// In-person training in the report (issue 19, docs/decisions/023): the same scope, focus, period and
// course as the trained-staff report — staff trained in person, online and together, citizens per
// commune/village and by topic — and the people behind them; rows for the CSV/XLSX export.
import type { PrismaClient } from '@prisma/client'
import type { Messages } from '~/locales/types'
import { subtreeIds } from '~/modules/agency/tree.server'
import { periodBounds, type ReportFilters } from '~/modules/report/schema'
import { reportRoots, requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { messagesFor } from '~/utils/i18n'
import type { CellValue, SheetData } from '~/utils/spreadsheet.server'
import { trainingFigures, trainingPeople, trainingPeopleTotals, type CitizenLine, type StaffLine, type TrainingFigures, type TrainingFilter } from './figures.server'

/**
 * The agencies the figures cover: the focus's subtree (in scope), else the actor's scope (null = the
 * province), narrowed to one agency type when the report is filtered by type — the organiser of a
 * session, and the agency of an online learner, must be of that type.
 */
async function coveredAgencies(db: PrismaClient, actor: Actor, filters: ReportFilters): Promise<string[] | null> {
  const roots = reportRoots(actor)
  let ids: string[] | null
  if (filters.agency) {
    await requireAgencyAct(db, actor, filters.agency, 'own').catch((error: unknown) => {
      throw error instanceof AppError ? new AppError('NOT_FOUND', 'report.agencyNotInScope') : error
    })
    ids = await subtreeIds(db, [filters.agency])
  } else ids = roots === null ? null : await subtreeIds(db, roots)
  if (!filters.type) return ids
  const typed = await db.agency.findMany({ where: { type: filters.type, ...(ids === null ? {} : { id: { in: ids } }) }, select: { id: true } })
  return typed.map((a) => a.id)
}

async function trainingFilter(db: PrismaClient, actor: Actor, filters: ReportFilters): Promise<TrainingFilter> {
  const agencyIds = await coveredAgencies(db, actor, filters)
  const { from, to } = periodBounds(filters)
  const course = filters.course ? await db.course.findUnique({ where: { id: filters.course }, select: { id: true, slug: true } }) : null
  if (filters.course && !course) throw new AppError('BAD_INPUT', 'report.unknownCourse')
  return { db, agencyIds, from, to, course }
}

export async function trainingReport(db: PrismaClient, actor: Actor, filters: ReportFilters): Promise<TrainingFigures> {
  return trainingFigures(await trainingFilter(db, actor, filters))
}

export const TRAINING_PEOPLE_PER_PAGE = 100

/** One page of the staff or the citizens behind the report's training figures (paged in SQL). */
export async function trainingReportPeople(db: PrismaClient, actor: Actor, filters: ReportFilters, { list, page }: { list: 'staff' | 'citizens'; page: number }) {
  const filter = await trainingFilter(db, actor, filters)
  const [totals, staff, citizens] = await Promise.all([
    trainingPeopleTotals(filter),
    list === 'staff' ? trainingPeople({ ...filter, list, page, perPage: TRAINING_PEOPLE_PER_PAGE }) : [],
    list === 'citizens' ? trainingPeople({ ...filter, list, page, perPage: TRAINING_PEOPLE_PER_PAGE }) : [],
  ])
  return { totals, staff, citizens }
}

export interface TrainingExport {
  figures: TrainingFigures
  staff: StaffLine[]
  citizens: CitizenLine[]
}

/** The figures and every person behind them, for the CSV/XLSX export. */
export async function trainingExport(db: PrismaClient, actor: Actor, filters: ReportFilters): Promise<TrainingExport> {
  const filter = await trainingFilter(db, actor, filters)
  const [figures, staff, citizens] = await Promise.all([trainingFigures(filter), trainingPeople({ ...filter, list: 'staff', page: null }), trainingPeople({ ...filter, list: 'citizens', page: null })])
  return { figures, staff, citizens }
}

/** The training export (CSV/XLSX, in Vietnamese as the report): the filters, the figures, by place and topic, the people. */
export function trainingSheet(data: TrainingExport, preamble: string[], m: Messages = messagesFor('vi')): SheetData {
  const t = m.training.report
  return { name: 'Tap huan truc tiep', preamble: [t.title, ...preamble], header: [t.figure, t.value], rows: trainingSheetRows(data, m) }
}

const passedText = (passed: boolean | null, m: Messages) => (passed === null ? '' : passed ? m.training.report.checkPassed : m.training.report.checkNotPassed)
const labelText = (label: string, m: Messages) => label || m.training.report.notRecorded

/** The figures as spreadsheet rows (counts, by place, topic, gender, ethnicity): the report's export and the periodic snapshot's. */
export function trainingFigureRows(figures: TrainingFigures, m: Messages = messagesFor('vi')): CellValue[][] {
  const t = m.training.report
  return [
    [t.sessions, figures.sessions],
    [t.staffInPerson, figures.staffInPerson],
    [t.staffOnline, figures.staffOnline],
    [t.staffTogether, figures.staffTogether],
    [t.citizens, figures.citizens],
    [t.checked, figures.checked],
    [t.passed, figures.passed],
    [],
    [t.byPlace, t.columns.commune, t.columns.village, t.columns.citizens],
    ...figures.byPlace.map((p) => ['', p.commune, p.village || '—', p.citizens]),
    [],
    [t.byTopic, t.columns.topic, t.columns.staff, t.columns.citizens],
    ...figures.byTopic.map((p) => ['', p.topic, p.staff, p.citizens]),
    [],
    [t.byGender, t.columns.gender, t.columns.citizens],
    ...figures.byGender.map((p) => ['', labelText(p.label, m), p.citizens]),
    [],
    [t.byEthnicity, t.columns.ethnicity, t.columns.citizens],
    ...figures.byEthnicity.map((p) => ['', labelText(p.label, m), p.citizens]),
  ]
}

function trainingSheetRows({ figures, staff, citizens }: TrainingExport, m: Messages): CellValue[][] {
  const t = m.training.report
  return [
    ...trainingFigureRows(figures, m),
    [],
    [t.staffList, t.columns.name, t.columns.kind, t.columns.sessions, t.columns.check],
    ...staff.map((p) => ['', p.fullName, m.training.session.kinds[p.kind], p.sessions, passedText(p.passed, m)]),
    [],
    [t.citizenList, t.columns.name, t.columns.birthYear, t.columns.village, t.columns.commune, t.columns.gender, t.columns.ethnicity, t.columns.sessions, t.columns.check],
    ...citizens.map((p) => ['', p.fullName, p.birthYear, p.village, p.commune, p.gender ?? '', p.ethnicity ?? '', p.sessions, passedText(p.passed, m)]),
  ]
}
