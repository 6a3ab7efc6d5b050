// Reads an agency list (code,name,type,parent_code,note) and checks it as a whole: every row
// valid, codes unique, every parent known, no cycle. Used by the seed; roster imports reuse it.
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { AppError, type ErrorKey, type MessageRef } from '~/utils/errors'
import { AGENCY_TYPES, type AgencyTypeName } from './types'

export interface AgencyRow {
  line: number
  code: string
  name: string
  type: AgencyTypeName
  parentCode: string | null
  note: string | null
}

// The schema's messages are keys (formatted in the reader's language); Zod's own (a missing column) are not.
const key = (k: ErrorKey) => k
const TYPE_LIST = AGENCY_TYPES.join(', ').toLowerCase()

function rowProblem(source: string, line: number, issue: z.ZodIssue): MessageRef {
  const known = issue.message === 'agency.csvCodeFormat' || issue.message === 'agency.csvNameEmpty' || issue.message === 'agency.csvTypeOneOf'
  const detail: MessageRef = known ? { key: issue.message as ErrorKey, params: { types: TYPE_LIST } } : { key: 'agency.csvValueMissing' }
  return { key: 'agency.csvRowProblem', params: { source, line, column: issue.path.join('.'), detail } }
}

const RowSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]*$/, key('agency.csvCodeFormat')),
  name: z
    .string()
    .trim()
    .min(1, key('agency.csvNameEmpty'))
    .transform((s) => s.normalize('NFC')),
  type: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(AGENCY_TYPES, { errorMap: () => ({ message: key('agency.csvTypeOneOf') }) })),
  parent_code: z.string().trim().transform((s) => (s === '' ? null : s)),
  note: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s.normalize('NFC') : null)),
})

export function parseAgencyCsv(text: string, source = 'CSV'): AgencyRow[] {
  let records: Record<string, string>[]
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: false })
  } catch (error) {
    throw new AppError('BAD_INPUT', 'agency.csvUnreadable', { source, detail: (error as Error).message })
  }
  const problems: MessageRef[] = []
  const rows: AgencyRow[] = []
  records.forEach((record, index) => {
    const line = index + 2 // the header is line 1
    const result = RowSchema.safeParse(record)
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(rowProblem(source, line, issue))
      return
    }
    const r = result.data
    rows.push({ line, code: r.code, name: r.name, type: r.type, parentCode: r.parent_code, note: r.note })
  })
  if (problems.length > 0) throw new AppError('BAD_INPUT', 'agency.csvProblems', { detail: problems }, { problems })
  return rows
}

/**
 * Checks a set of agency rows (possibly from several files) and returns them parents-first.
 * `existingCodes` are agencies already in the database that rows may hang under.
 */
export function orderAgencyTree(rows: AgencyRow[], existingCodes: ReadonlySet<string> = new Set()): AgencyRow[] {
  const problems: MessageRef[] = []
  const byCode = new Map<string, AgencyRow>()
  for (const row of rows) {
    if (byCode.has(row.code) || existingCodes.has(row.code)) problems.push({ key: 'agency.csvDuplicateCode', params: { line: row.line, code: row.code } })
    else byCode.set(row.code, row)
  }
  for (const row of rows) {
    if (row.parentCode === null) continue
    if (row.parentCode === row.code) problems.push({ key: 'agency.csvSelfParent', params: { line: row.line, code: row.code } })
    else if (!byCode.has(row.parentCode) && !existingCodes.has(row.parentCode))
      problems.push({ key: 'agency.csvUnknownParent', params: { line: row.line, parent: row.parentCode, code: row.code } })
  }
  if (problems.length > 0) throw new AppError('BAD_INPUT', 'agency.csvProblems', { detail: problems }, { problems })

  const ordered: AgencyRow[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (row: AgencyRow, trail: string[]) => {
    const s = state.get(row.code)
    if (s === 'done') return
    if (s === 'visiting') throw new AppError('BAD_INPUT', 'agency.cycle', { trail: [...trail, row.code].join(' → ') })
    state.set(row.code, 'visiting')
    const parent = row.parentCode ? byCode.get(row.parentCode) : undefined
    if (parent) visit(parent, [...trail, row.code])
    state.set(row.code, 'done')
    ordered.push(row)
  }
  for (const row of rows) visit(row, [])
  return ordered
}
