// Reads an agency list (code,name,type,parent_code,note) and checks it as a whole: every row
// valid, codes unique, every parent known, no cycle. Used by the seed; roster imports reuse it.
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { AppError } from '~/utils/errors'
import { AGENCY_TYPES, type AgencyTypeName } from './types'

export interface AgencyRow {
  line: number
  code: string
  name: string
  type: AgencyTypeName
  parentCode: string | null
  note: string | null
}

const RowSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]*$/, 'mã chỉ gồm chữ in hoa không dấu, số và dấu gạch ngang'),
  name: z
    .string()
    .trim()
    .min(1, 'tên trống')
    .transform((s) => s.normalize('NFC')),
  type: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(AGENCY_TYPES, { errorMap: () => ({ message: `loại phải là một trong ${AGENCY_TYPES.join(', ').toLowerCase()}` }) })),
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
  const problems: string[] = []
  const rows: AgencyRow[] = []
  records.forEach((record, index) => {
    const line = index + 2 // the header is line 1
    const result = RowSchema.safeParse(record)
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${source} dòng ${line}, cột ${issue.path.join('.')}: ${issue.message}`)
      return
    }
    const r = result.data
    rows.push({ line, code: r.code, name: r.name, type: r.type, parentCode: r.parent_code, note: r.note })
  })
  if (problems.length > 0) throw new AppError('BAD_INPUT', 'agency.csvProblems', { detail: problems.join('\n') }, { problems })
  return rows
}

/**
 * Checks a set of agency rows (possibly from several files) and returns them parents-first.
 * `existingCodes` are agencies already in the database that rows may hang under.
 */
export function orderAgencyTree(rows: AgencyRow[], existingCodes: ReadonlySet<string> = new Set()): AgencyRow[] {
  const problems: string[] = []
  const byCode = new Map<string, AgencyRow>()
  for (const row of rows) {
    if (byCode.has(row.code) || existingCodes.has(row.code)) problems.push(`dòng ${row.line}: mã ${row.code} bị trùng`)
    else byCode.set(row.code, row)
  }
  for (const row of rows) {
    if (row.parentCode === null) continue
    if (row.parentCode === row.code) problems.push(`dòng ${row.line}: ${row.code} không thể là đơn vị cha của chính nó`)
    else if (!byCode.has(row.parentCode) && !existingCodes.has(row.parentCode))
      problems.push(`dòng ${row.line}: đơn vị cha ${row.parentCode} của ${row.code} không có trong danh sách`)
  }
  if (problems.length > 0) throw new AppError('BAD_INPUT', 'agency.csvProblems', { detail: problems.join('\n') }, { problems })

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
