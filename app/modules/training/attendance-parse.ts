// Reading an attendance sheet (citizens): find the columns by their header (Vietnamese or English,
// any case, with or without diacritics), check every row with the same schema as the form, and
// flag the same citizen twice in one file (every occurrence after the first). Reading the XLSX/CSV
// bytes into rows and the preview-then-confirm flow are the roster import's (not wired yet).
import { foldVietnamese } from '~/utils/text'
import { citizenKey } from './keys'
import { CitizenSchema, type CitizenForm } from './schema'

type Field = 'fullName' | 'birthYear' | 'village' | 'phone' | 'gender' | 'ethnicity'
const HEADERS: Record<Field, string[]> = {
  fullName: ['ho va ten', 'ho ten', 'full name', 'name'],
  birthYear: ['nam sinh', 'year of birth', 'birth year'],
  village: ['thon', 'ban', 'thon ban', 'thon to', 'village'],
  phone: ['so dien thoai', 'dien thoai', 'sdt', 'phone'],
  gender: ['gioi tinh', 'gender'],
  ethnicity: ['dan toc', 'ethnicity'],
}
const REQUIRED: Field[] = ['fullName', 'birthYear', 'village']
const fold = (h: string) => foldVietnamese(h).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim()

export type AttendanceProblem = { line: number; kind: 'invalid'; messages: string[] } | { line: number; kind: 'duplicate'; firstLine: number }

export type AttendanceParse =
  | { ok: false; missing: Field[] }
  | { ok: true; rows: (CitizenForm & { line: number; key: string })[]; problems: AttendanceProblem[] }

export function parseAttendanceRows(header: string[], rows: { line: number; cells: string[] }[]): AttendanceParse {
  const map: Partial<Record<Field, number>> = {}
  header.forEach((cell, i) => {
    for (const f of Object.keys(HEADERS) as Field[]) if (map[f] === undefined && HEADERS[f].includes(fold(cell))) map[f] = i
  })
  const missing = REQUIRED.filter((f) => map[f] === undefined)
  if (missing.length) return { ok: false, missing }
  const good: (CitizenForm & { line: number; key: string })[] = []
  const problems: AttendanceProblem[] = []
  const seen = new Map<string, number>()
  for (const { line, cells } of rows) {
    if (cells.every((c) => c.trim() === '')) continue
    const raw = Object.fromEntries((Object.keys(HEADERS) as Field[]).map((f) => [f, map[f] === undefined ? '' : (cells[map[f]!] ?? '')]))
    const parsed = CitizenSchema.safeParse(raw)
    if (!parsed.success) {
      problems.push({ line, kind: 'invalid', messages: [...new Set(parsed.error.issues.map((i) => i.message))] })
      continue
    }
    const key = citizenKey(parsed.data)
    const first = seen.get(key)
    if (first !== undefined) {
      problems.push({ line, kind: 'duplicate', firstLine: first })
      continue
    }
    seen.set(key, line)
    good.push({ ...parsed.data, line, key })
  }
  return { ok: true, rows: good, problems }
}
