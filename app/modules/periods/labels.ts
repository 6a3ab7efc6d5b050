// How a period is named on pages, exports and prints (pure, shared by server and components).
import type { Messages } from '~/locales/types'
import { format } from '~/utils/i18n'
import type { PeriodKindName } from './types'

export function periodLabel(m: Messages, p: { kind: PeriodKindName | string; year: number; number: number }): string {
  const t = m.periods
  if (p.kind === 'QUARTER') return format(t.kinds.QUARTER, { number: String(p.number), year: String(p.year) })
  if (p.kind === 'HALF_YEAR') return format(t.kinds.HALF_YEAR, { half: p.number === 1 ? t.halfNames[1] : t.halfNames[2], year: String(p.year) })
  return format(t.kinds.YEAR, { year: String(p.year) })
}

/** A share in percent with one decimal, or a dash. */
export function percentText(value: number | null, locale: string): string {
  return value === null ? '—' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)}%`
}
