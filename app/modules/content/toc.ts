// A lesson's table of contents as the page shows it: sections (## headings) numbered in order,
// each with its sub-sections (### headings) listed under it, not numbered among the sections.
import type { TocEntry } from './types'

export interface TocSection {
  entry: TocEntry
  subsections: TocEntry[]
}

/** The entries grouped under their sections; a ### before the first ## stands as a section of its own. */
export function tocSections(entries: readonly TocEntry[]): TocSection[] {
  const sections: TocSection[] = []
  for (const entry of entries) {
    const current = sections.at(-1)
    if (entry.depth > 2 && current) current.subsections.push(entry)
    else sections.push({ entry, subsections: [] })
  }
  return sections
}
