// Search across courses and lessons, in Vietnamese, accent-insensitive: "dich vu cong" finds
// "Dịch vụ công". The index is small (titles, summaries and lesson text of a few courses) and built
// once at start, so a search is a scan of folded strings, no database round trip.
import { foldVietnamese, viCollator } from './text'

export interface SearchEntry {
  kind: 'course' | 'lesson'
  courseSlug: string
  courseTitle: string
  lessonSlug?: string
  title: string
  summary: string
  /** Folded title, summary and body text. */
  foldedTitle: string
  foldedSummary: string
  foldedBody: string
}

export interface SearchHit {
  kind: 'course' | 'lesson'
  courseSlug: string
  courseTitle: string
  lessonSlug?: string
  title: string
  summary: string
}

export function searchEntry(entry: Omit<SearchEntry, 'foldedTitle' | 'foldedSummary' | 'foldedBody'> & { body: string }): SearchEntry {
  const { body, ...rest } = entry
  return { ...rest, foldedTitle: foldVietnamese(entry.title), foldedSummary: foldVietnamese(entry.summary), foldedBody: foldVietnamese(body) }
}

/** Entries in which every word of the query appears; title matches first, then summary, then text. */
export function search(entries: readonly SearchEntry[], query: string, limit = 50): SearchHit[] {
  const folded = foldVietnamese(query).replace(/[^\p{L}\p{N} ]+/gu, ' ')
  const words = folded.split(' ').filter((w) => w.length > 0)
  if (words.length === 0) return []
  const scored: { entry: SearchEntry; score: number }[] = []
  for (const entry of entries) {
    let score = 0
    let all = true
    for (const word of words) {
      if (entry.foldedTitle.includes(word)) score += 6
      else if (entry.foldedSummary.includes(word)) score += 3
      else if (entry.foldedBody.includes(word)) score += 1
      else {
        all = false
        break
      }
    }
    if (!all) continue
    const haystack = `${entry.foldedTitle} ${entry.foldedSummary} ${entry.foldedBody}`
    if (words.length > 1 && haystack.includes(words.join(' '))) score += 4 // the words as a phrase
    if (entry.kind === 'course') score += 1
    scored.push({ entry, score })
  }
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
