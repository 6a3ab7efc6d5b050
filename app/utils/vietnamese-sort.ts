// A sort key for Vietnamese text that orders byte-wise like Intl.Collator('vi'): letters in the
// Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …), case and tone marks ignored first, then
// tones in dictionary order (none, sắc, huyền, hỏi, ngã, nặng) to break ties. Used for ORDER BY
// in SQL, where the same order must hold on PostgreSQL and on PGlite (which has no ICU).

const ALPHABET = ['a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z']
const LETTER_CODE = new Map(ALPHABET.map((letter, i) => [letter, String.fromCharCode(0x41 + i)])) // 'A'…'a'
const TONES: Record<string, string> = { '\u0301': '1', '\u0300': '2', '\u0309': '3', '\u0303': '4', '\u0323': '5' }

/** Letters with their tone mark split off: "Đường" → [["đ",""],["ư","2"],["ơ",""],["n",""],["g",""]]. */
function letters(text: string): [string, string][] {
  const out: [string, string][] = []
  // NFD splits a letter into base + marks; the vowel-shape marks (breve, circumflex, horn) are
  // part of the letter in Vietnamese, the five tone marks are not.
  for (const cluster of text.normalize('NFC').toLowerCase()) {
    const parts = cluster.normalize('NFD')
    const tone = [...parts].map((c) => TONES[c]).find(Boolean) ?? ''
    const withoutTone = [...parts].filter((c) => !TONES[c]).join('').normalize('NFC')
    out.push([withoutTone, tone])
  }
  return out
}

export function vietnameseSortKey(text: string): string {
  const primary: string[] = []
  const tones: string[] = []
  for (const [letter, tone] of letters(text)) {
    const code = LETTER_CODE.get(letter)
    if (code) primary.push(code)
    else if (/[0-9]/.test(letter)) primary.push(letter)
    else if (/\s/.test(letter)) primary.push(' ')
    else continue // punctuation does not sort
    tones.push(tone || '0')
  }
  // Digits ('0'–'9') and spaces sort before letters ('A'…), as in Intl.Collator.
  return `${primary.join('')}\u0001${tones.join('')}`
}

/** Vietnamese lists of people are ordered by given name (the last word), then the whole name. */
export function personSortKey(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/)
  const given = words[words.length - 1] ?? ''
  return `${vietnameseSortKey(given)}\u0002${vietnameseSortKey(fullName)}`
}
