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
import { trainingFigures, type TrainingFigures } from './service.server'

/** The agencies the figures cover: the focus's subtree (in scope), else the actor's scope; null = the province. */
async function coveredAgencies(db: PrismaClient, actor: Actor, focusId: string | undefined): Promise<string[] | null> {
  const roots = reportRoots(actor)
  if (focusId) {
    await requireAgencyAct(db, actor, focusId, 'own').catch((error: unknown) => {
      throw error instanceof AppError ? new AppError('NOT_FOUND', 'report.agencyNotInScope') : error
    })
    return subtreeIds(db, [focusId])
  }
  return roots === null ? null : subtreeIds(db, roots)
}

export async function trainingReport(db: PrismaClient, actor: Actor, filters: ReportFilters, { people = false }: { people?: boolean } = {}): Promise<TrainingFigures> {
  const agencyIds = await coveredAgencies(db, actor, filters.agency)
  const { from, to } = periodBounds(filters)
  const course = filters.course ? await db.course.findUnique({ where: { id: filters.course }, select: { id: true, slug: true } }) : null
  if (filters.course && !course) throw new AppError('BAD_INPUT', 'report.unknownCourse')
  return trainingFigures({ db, agencyIds, from, to, course, people })
}

/** The training export (CSV/XLSX, in Vietnamese as the report): the filters, the figures, by place and topic, the people. */
export function trainingSheet(figures: TrainingFigures, preamble: string[], m: Messages = messagesFor('vi')): SheetData {
  const t = m.training.report
  return { name: 'Tap huan truc tiep', preamble: [t.title, ...preamble], header: [t.figure, t.value], rows: trainingSheetRows(figures, m) }
}

function trainingSheetRows(figures: TrainingFigures, m: Messages): CellValue[][] {
  const t = m.training.report
  return [
    [t.staffInPerson, figures.staffInPerson],
    [t.staffOnline, figures.staffOnline],
    [t.staffTogether, figures.staffTogether],
    [t.citizens, figures.citizens],
    [],
    [t.byPlace, t.columns.commune, t.columns.village, t.columns.citizens],
    ...figures.byPlace.map((p) => ['', p.commune, p.village || '—', p.citizens]),
    [],
    [t.byTopic, t.columns.topic, t.columns.staff, t.columns.citizens],
    ...figures.byTopic.map((p) => ['', p.topic, p.staff, p.citizens]),
    [],
    [t.staffList, t.columns.name, t.columns.kind, t.columns.sessions],
    ...figures.staffList.map((p) => ['', p.fullName, m.training.session.kinds[p.kind], p.sessions]),
    [],
    [t.citizenList, t.columns.name, t.columns.birthYear, t.columns.village, t.columns.commune, t.columns.sessions],
    ...figures.citizenList.map((p) => ['', p.fullName, p.birthYear, p.village, p.commune, p.sessions]),
  ]
}
