// What a submitted report holds, frozen in report_snapshot.figures (docs/decisions/020). Pure types
// and helpers, shared by the pages, the exports and the public verification page.
import type { AgencyTypeName } from '~/modules/agency/types'
import type { TrainingFigures } from '~/modules/training/figures.server'

export const PERIOD_KINDS = ['QUARTER', 'HALF_YEAR', 'YEAR'] as const
export type PeriodKindName = (typeof PERIOD_KINDS)[number]
export type ReportStatusName = 'OPEN' | 'SUBMITTED' | 'APPROVED' | 'RETURNED'

/** The report engine's figures of an agency, rolled up over its subtree (app/modules/report). */
export const SNAPSHOT_FIGURES = ['headcount', 'enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue'] as const
export type SnapshotFigure = (typeof SNAPSHOT_FIGURES)[number]
export type FigureSet = Record<SnapshotFigure, number>

export interface PlanView {
  year: number
  targetPercent: number
  courses: { id: string; title: string }[]
  /** yyyy-mm-dd */
  dueOn: string
  /** The agency that set it: this one, or the ancestor it is inherited from. */
  setAt: { id: string; name: string }
  inherited: boolean
}

export interface ChildLine {
  agencyId: string
  code: string
  name: string
  /** Where the child stood when this report was made (MISSING: nothing submitted, or returned). */
  status: ReportStatusName
  version: number
  /** Its latest submitted figures, when it has a submitted or approved version. */
  figures: FigureSet | null
  headcount: number
  keyCount: number
}

export interface SnapshotFigures {
  schema: 1
  agency: { id: string; code: string; name: string; type: AgencyTypeName; parentName: string | null }
  period: { id: string; kind: PeriodKindName; year: number; number: number; startsOn: string; endsOn: string; dueAt: string }
  /** When the figures were computed (ISO). */
  computedAt: string
  plan: PlanView | null
  /** Any course, over the agency's subtree. */
  total: FigureSet
  /** Each course of the plan. */
  courses: { id: string; title: string; figures: FigureSet }[]
  /**
   * The key figure: staff holding a valid certificate (of the plan's course — of each of them, the
   * lowest count; of any course without a plan course) over the headcount.
   */
  key: { count: number; headcount: number; percent: number | null; targetPercent: number | null }
  /** The agencies directly below that report in the same period, and the sum of what they submitted. */
  children: ChildLine[]
  consolidated: {
    reported: number
    expected: number
    total: FigureSet
    keyCount: number
    headcount: number
    percent: number | null
    /** The sum of the in-person training figures the children submitted (absent in snapshots made before it). */
    training?: TrainingTotals
  }
  /**
   * In-person training in the period (sessions starting in it) beside online completions in it, over
   * the agency's subtree (docs/decisions/023). Absent in snapshots frozen before it was added.
   */
  training?: TrainingFigures
}

/** The counts of in-person training that can be summed over agencies. */
export const TRAINING_TOTALS = ['sessions', 'staffInPerson', 'staffOnline', 'staffTogether', 'citizens'] as const
export type TrainingTotals = Record<(typeof TRAINING_TOTALS)[number], number>

export function percent(count: number, of: number): number | null {
  return of > 0 ? Math.round((Math.min(count, of) / of) * 1000) / 10 : null
}

export function emptyFigures(): FigureSet {
  return { headcount: 0, enrolled: 0, completed: 0, valid: 0, expiring: 0, expired: 0, overdue: 0 }
}

/** A Vietnam calendar date (yyyy-mm-dd) as dd/mm/yyyy. */
export function vnDay(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-')
  return `${d}/${m}/${y}`
}
