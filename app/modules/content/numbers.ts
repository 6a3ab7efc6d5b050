// Numbers as a Vietnamese reader writes them, for numeric answers: the dot (or a space) groups
// thousands and the comma is the decimal mark ("2.700.000", "2 700", "2,5"). A learner who types
// an English-style decimal point ("2.5", "0.125") is still understood when it cannot be a thousands
// group. A unit may follow the number ("2.700 nghìn đồng", "2.700.000đ"): the question says which
// units it takes and what they are worth in its own unit (docs/decisions/024).
import { foldVietnamese } from './text'

/** Spaces people type between groups: ordinary, no-break, narrow no-break, thin. */
const SPACES = /[\s\u00a0\u202f\u2009]+/g
const MINUS = /^[-−–]/

/**
 * The value of a number written the Vietnamese way, or null when it is not one number.
 * - "2.700", "2.700.000", "2 700", "2 700 000" → thousands groups (2700, 2700000, 2700, 2700000)
 * - "2,5", "2.700,5" → decimal comma (2.5, 2700.5)
 * - "2.5", "0.125", "2.58" → a decimal point, since a thousands group has exactly three digits
 *   after the dot and a first group that is not 0
 * - "2,700,000" → thousands groups (more than one comma cannot be a decimal mark)
 */
export function parseVietnameseNumber(input: string): number | null {
  let s = input.normalize('NFC').trim().replace(SPACES, ' ')
  if (s === '') return null
  let sign = 1
  if (MINUS.test(s)) {
    sign = -1
    s = s.slice(1).trim()
  } else if (s.startsWith('+')) s = s.slice(1).trim()
  if (s.includes(' ')) {
    // Spaces only ever group thousands: "2 700 000" or "2 700,5".
    if (!/^[1-9]\d{0,2}( \d{3})+(,\d+)?$/.test(s)) return null
    s = s.replace(/ /g, '')
  }
  let plain: string
  if (/^\d+$/.test(s)) plain = s
  else if (/^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/.test(s)) plain = s.replace(/\./g, '').replace(',', '.') // 2.700 / 2.700.000 / 2.700,5
  else if (/^\d+,\d+$/.test(s)) plain = s.replace(',', '.') // 2,5
  else if (/^[1-9]\d{0,2}(,\d{3}){2,}$/.test(s)) plain = s.replace(/,/g, '') // 2,700,000
  else if (/^\d*\.\d+$/.test(s) && !/^[1-9]\d{0,2}\.\d{3}$/.test(s)) plain = s // 2.5, 0.125, .5
  else return null
  const value = Number(plain)
  return Number.isFinite(value) ? sign * value : null
}

export interface NumericAnswer {
  value: number
  /** The unit typed after the number, folded (no marks, lower case), or '' when none. */
  unit: string
}

/** Splits "2.700.000 đ" into the number and the unit typed after it; null when the number is not one. */
export function parseNumericAnswer(input: string): NumericAnswer | null {
  const match = /^([-−–+]?[\d\s\u00a0\u202f\u2009.,]*\d)\s*(\p{L}[\p{L}\p{M}\s./%²³]*)?$/u.exec(input.normalize('NFC').trim())
  if (!match) {
    const value = parseVietnameseNumber(input)
    return value === null ? null : { value, unit: '' }
  }
  const value = parseVietnameseNumber(match[1]!)
  if (value === null) return null
  return { value, unit: foldUnit(match[2] ?? '') }
}

/** A unit as compared: no marks, lower case, no spaces or dots ("nghìn đồng" → "nghindong", "đ." → "d"). */
export function foldUnit(unit: string): string {
  return foldVietnamese(unit).replace(/[\s.]/g, '')
}

/** A number written for a Vietnamese reader (2700 → "2.700", 2.5 → "2,5"), or in English. */
export function formatNumber(value: number, locale: string = 'vi'): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en' : 'vi', { maximumFractionDigits: 6 }).format(value)
}
