// Search across courses and lessons, in Vietnamese, accent-insensitive: "dich vu cong" finds
// "Dịch vụ công". The index is small (titles, summaries and lesson text of a few courses) and built
// once at start, so a search is a scan of folded strings, no database round trip.
import { foldVietnamese, viCollator } from './text'

export interface SearchHit {
  kind: 'course' | 'lesson'
  courseSlug: string
  courseTitle: string
  lessonSlug?: string
  title: string
  summary: string
}

export interface SearchEntry extends SearchHit {
  /** Folded title, summary and body text. */
  foldedTitle: string
  foldedSummary: string
  foldedBody: string
}

/** Folded, with punctuation turned into spaces and a space at each end, so " word" finds a word start. */
function words(text: string): string {
  return ` ${foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `
}

export function searchEntry(entry: Omit<SearchEntry, 'foldedTitle' | 'foldedSummary' | 'foldedBody'> & { body: string }): SearchEntry {
  const { body, ...rest } = entry
  return { ...rest, foldedTitle: words(entry.title), foldedSummary: words(entry.summary), foldedBody: words(body) }
}

/**
 * Entries in which every word of the query starts a word ("mat" finds "mật khẩu", not "tomato").
 * When some entries hold the words as a phrase ("dich vu cong"), only those are returned. Title
 * matches come first, then summary, then text.
 */
export function search(entries: readonly SearchEntry[], query: string, limit = 50): SearchHit[] {
  const folded = words(query).trim()
  const terms = folded.split(' ').filter((w) => w.length > 0)
  if (terms.length === 0) return []
  const phrase = ` ${terms.join(' ')}`
  let scored: { entry: SearchEntry; score: number; phrase: boolean }[] = []
  for (const entry of entries) {
    let score = 0
    let all = true
    for (const term of terms) {
      const start = ` ${term}`
      if (entry.foldedTitle.includes(start)) score += 6
      else if (entry.foldedSummary.includes(start)) score += 3
      else if (entry.foldedBody.includes(start)) score += 1
      else {
        all = false
        break
      }
    }
    if (!all) continue
    const asPhrase = terms.length > 1 && [entry.foldedTitle, entry.foldedSummary, entry.foldedBody].some((f) => f.includes(phrase))
    if (entry.kind === 'course') score += 1
    scored.push({ entry, score, phrase: asPhrase })
  }
  if (scored.some((s) => s.phrase)) scored = scored.filter((s) => s.phrase)
  scored.sort((a, b) => b.score - a.score || viCollator.compare(a.entry.title, b.entry.title))
  return scored.slice(0, limit).map(({ entry }) => ({
    kind: entry.kind,
    courseSlug: entry.courseSlug,
    courseTitle: entry.courseTitle,
    lessonSlug: entry.lessonSlug,
    title: entry.title,
    summary: entry.summary,
  }))
}
