// Reading a roster table: find the columns by their header (Vietnamese or English, any case, with
// or without diacritics), then check every row on its own. Rules that need the database (agency
// known, in scope) are applied by import.server.ts.
import { AppError } from '~/utils/errors'
import { cleanName, foldVietnamese } from '~/utils/text'

export type RosterField = 'staffCode' | 'fullName' | 'email' | 'agencyCode' | 'jobTitle'

const HEADER_NAMES: Record<RosterField, string[]> = {
  staffCode: ['ma can bo', 'ma cb', 'ma nhan vien', 'ma nv', 'ma cong chuc', 'ma vien chuc', 'ma so can bo', 'so hieu can bo', 'staff code', 'staff id', 'employee code', 'employee id'],
  fullName: ['ho va ten', 'ho ten', 'ten can bo', 'full name', 'name'],
  email: ['email', 'e mail', 'thu dien tu', 'dia chi email', 'email address'],
  agencyCode: ['ma don vi', 'ma co quan', 'ma dv', 'agency code', 'agency', 'unit code'],
  jobTitle: ['chuc vu', 'chuc danh', 'vi tri viec lam', 'job title', 'title', 'position'],
}
const REQUIRED: RosterField[] = ['staffCode', 'fullName', 'agencyCode']

export const ERROR_KINDS = ['emptyCode', 'emptyName', 'badEmail', 'duplicateCode', 'unknownAgency', 'mergedAgency', 'outOfScope', 'tooLong'] as const
export type RowErrorKind = (typeof ERROR_KINDS)[number]

export interface RowError {
  line: number
  kind: RowErrorKind
  detail: string
}

export interface RosterRow {
  line: number
  staffCode: string
  fullName: string
  email: string | null
  agencyCode: string
  jobTitle: string | null
}

const foldHeader = (h: string) =>
  foldVietnamese(h)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

/** Which column holds which field; a missing required column refuses the whole file. */
export function mapHeader(cells: string[]): Partial<Record<RosterField, number>> {
  const map: Partial<Record<RosterField, number>> = {}
  cells.forEach((cell, index) => {
    const folded = foldHeader(cell)
    for (const field of Object.keys(HEADER_NAMES) as RosterField[]) {
      if (map[field] === undefined && HEADER_NAMES[field].includes(folded)) map[field] = index
    }
  })
  const missing = REQUIRED.filter((f) => map[f] === undefined)
  if (missing.length) {
    const names: Record<RosterField, string> = {
      staffCode: 'mã cán bộ',
      fullName: 'họ và tên',
      email: 'email',
      agencyCode: 'mã đơn vị',
      jobTitle: 'chức vụ',
    }
    throw new AppError('BAD_INPUT', 'roster.missingColumns', {
      missing: missing.map((f) => names[f]).join(', '),
      found: cells.filter(Boolean).join(', ') || '(trống)',
    })
  }
  return map
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Checks each row on its own and across the file (duplicate staff codes: every occurrence). */
export function parseRosterRows(rows: { line: number; cells: string[] }[]): { rows: RosterRow[]; errors: RowError[]; total: number } {
  if (rows.length === 0) throw new AppError('BAD_INPUT', 'roster.noHeader')
  const [header, ...body] = rows
  const map = mapHeader(header!.cells)
  const cell = (cells: string[], f: RosterField) => (map[f] === undefined ? '' : (cells[map[f]!] ?? '').trim())
  const errors: RowError[] = []
  const parsed: RosterRow[] = []
  for (const { line, cells } of body) {
    const staffCode = cell(cells, 'staffCode')
    const fullName = cleanName(cell(cells, 'fullName'))
    const emailRaw = cell(cells, 'email').toLowerCase()
    const agencyCode = cell(cells, 'agencyCode').toUpperCase()
    const jobTitle = cleanName(cell(cells, 'jobTitle'))
    const rowErrors: RowError[] = []
    if (staffCode === '') rowErrors.push({ line, kind: 'emptyCode', detail: '' })
    else if (staffCode.length > 50) rowErrors.push({ line, kind: 'tooLong', detail: 'mã cán bộ > 50 ký tự' })
    if (fullName === '') rowErrors.push({ line, kind: 'emptyName', detail: staffCode })
    else if (fullName.length > 200) rowErrors.push({ line, kind: 'tooLong', detail: 'họ và tên > 200 ký tự' })
    if (emailRaw !== '' && (!EMAIL.test(emailRaw) || emailRaw.length > 254)) rowErrors.push({ line, kind: 'badEmail', detail: emailRaw })
    if (jobTitle.length > 120) rowErrors.push({ line, kind: 'tooLong', detail: 'chức vụ > 120 ký tự' })
    if (agencyCode === '') rowErrors.push({ line, kind: 'unknownAgency', detail: '(trống)' })
    if (rowErrors.length) errors.push(...rowErrors)
    else parsed.push({ line, staffCode, fullName, email: emailRaw || null, agencyCode, jobTitle: jobTitle || null })
  }
  // The same staff code twice in one file: which row is right is not ours to guess.
  const byCode = new Map<string, number[]>()
  for (const { line, cells } of body) {
    const code = cell(cells, 'staffCode')
    if (code) byCode.set(code, [...(byCode.get(code) ?? []), line])
  }
  const duplicated = new Set<number>()
  for (const [code, lines] of byCode) {
    if (lines.length < 2) continue
    for (const line of lines) {
      duplicated.add(line)
      errors.push({ line, kind: 'duplicateCode', detail: `${code}: dòng ${lines.join(', ')}` })
    }
  }
  errors.sort((a, b) => a.line - b.line)
  return { rows: parsed.filter((r) => !duplicated.has(r.line)), errors, total: body.length }
}
