// Vietnamese text helpers shared by the validator, the compiler, search and grading. Folding and
// sorting are the app's own (app/utils/text.ts), so content search and people search agree.
import { collator, foldVietnamese } from '~/utils/text'

export { foldVietnamese }

/** Sorts Vietnamese the way a Vietnamese reader expects (đ after d, tones in order). */
export const viCollator = collator('vi')

/** Case-insensitive comparison that keeps the diacritics (only NFC and spacing are evened out). */
export function normaliseAnswer(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim()
}

/**
 * An ASCII id for a heading: "Mật khẩu mạnh là gì?" → "mat-khau-manh-la-gi". Links to headings stay
 * readable when shared (no percent-encoded Vietnamese in the address).
 */
export function slugify(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** Gives each heading a unique id in a page: a second "Ví dụ" becomes "vi-du-1" (as GitHub does). */
export function createSlugger() {
  const seen = new Map<string, number>()
  return (text: string): string => {
    const base = slugify(text) || 'muc'
    const count = seen.get(base)
    seen.set(base, (count ?? 0) + 1)
    if (count === undefined) return base
    let candidate = `${base}-${count}`
    while (seen.has(candidate)) candidate = `${candidate}-1`
    seen.set(candidate, 1)
    return candidate
  }
}
