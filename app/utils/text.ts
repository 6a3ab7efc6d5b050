// Vietnamese text helpers: folding for accent-insensitive search, and the collator for sorting.

/** Lower case, no diacritics, đ → d, spaces collapsed: "Lào Cai" and "lao  cai" fold alike. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Does `haystack` contain every word of `query`, ignoring case and diacritics? */
export function matchesSearch(haystack: string, query: string): boolean {
  const folded = foldVietnamese(haystack)
  return foldVietnamese(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => folded.includes(word))
}

const collators = new Map<string, Intl.Collator>()

/** Vietnamese alphabetical order (a, ă, â, b, … đ after d), or English order for 'en'. */
export function collator(locale = 'vi'): Intl.Collator {
  let c = collators.get(locale)
  if (!c) {
    c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })
    collators.set(locale, c)
  }
  return c
}

/**
 * NFC and trimmed, with inner runs of white space made one space, and no control characters or
 * lone surrogates (PostgreSQL cannot store a NUL; the others are never meant): how names are stored.
 */
export function cleanName(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cs}]/gu, '')
    .trim()
}
