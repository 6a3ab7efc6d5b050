// Spreadsheets in and out, shared by every feature that exports a table or reads an uploaded one.
// CSV is written the way Excel opens it without asking (UTF-8 with a byte-order mark, CRLF, every
// field that needs it quoted) and guarded against formula injection; XLSX is written and read
// with exceljs.
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { AppError } from './errors'

export type CellValue = string | number | null

export interface SheetData {
  /** Sheet name in the XLSX (Excel allows 31 characters, no []:*?/\). */
  name: string
  /** Lines written above the table: a title, the date, the filters used. */
  preamble: string[]
  header: string[]
  rows: CellValue[][]
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first)
 * gets a leading apostrophe (OWASP "CSV injection"). Numbers stay numbers.
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function csvField(value: CellValue): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value) : guardFormula(value)
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** CSV for Excel: BOM, comma-separated, CRLF line ends, preamble lines first, then the table. */
export function toCsv(sheet: SheetData): Buffer {
  const lines = [...sheet.preamble.map((line) => csvField(line)), ...(sheet.preamble.length ? [''] : []), sheet.header.map(csvField).join(',')]
  for (const row of sheet.rows) lines.push(row.map(csvField).join(','))
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8')
}

/** One worksheet: the preamble in bold at the top, a blank line, the header row, the rows. */
export async function toXlsx(sheet: SheetData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Bản Số'
  workbook.created = new Date()
  const ws = workbook.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31))
  for (const line of sheet.preamble) ws.addRow([line]).font = { bold: true }
  if (sheet.preamble.length) ws.addRow([])
  const headerRow = ws.addRow(sheet.header)
  headerRow.font = { bold: true }
  headerRow.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } }
  })
  // Text goes in as text cells (never formulas), kept exactly as it is.
  for (const row of sheet.rows) ws.addRow(row)
  sheet.header.forEach((h, i) => {
    const longest = Math.max(h.length, ...sheet.rows.slice(0, 500).map((r) => String(r[i] ?? '').length))
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, longest + 2))
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

// ───────────── Reading uploads ─────────────

/** A row of an uploaded table with the line (CSV) or row number (XLSX) it came from. */
export interface ReadRow {
  line: number
  cells: string[]
}

export type UploadKind = 'csv' | 'xlsx'

/**
 * What an uploaded file is, by its name AND its bytes: an .xlsx must be a ZIP ("PK\x03\x04"), a
 * .csv must be valid UTF-8 text without NUL bytes. Anything else is refused with a message.
 */
export function detectUpload(fileName: string, bytes: Uint8Array): UploadKind {
  const ext = fileName.toLowerCase().split('.').pop()
  if (ext === 'xlsx') {
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04)
      throw new AppError('BAD_INPUT', 'sheet.notXlsx')
    return 'xlsx'
  }
  if (ext === 'csv') {
    if (bytes.includes(0)) throw new AppError('BAD_INPUT', 'sheet.binaryCsv')
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw new AppError('BAD_INPUT', 'sheet.notUtf8')
    }
    return 'csv'
  }
  throw new AppError('BAD_INPUT', 'sheet.wrongType')
}

/** Comma or semicolon: whichever appears more often outside quotes in the first line. */
function guessDelimiter(text: string): ',' | ';' {
  let commas = 0
  let semicolons = 0
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && ch === ',') commas++
    else if (!quoted && ch === ';') semicolons++
  }
  return semicolons > commas ? ';' : ','
}

/** CSV (UTF-8, with or without BOM, comma or semicolon, quoted fields) to rows with line numbers. */
export function readCsv(bytes: Uint8Array): ReadRow[] {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      delimiter: guessDelimiter(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const e = error as { lines?: number; message: string }
    throw (e.lines ? new AppError('BAD_INPUT', 'sheet.badCsvAt', { line: e.lines }) : new AppError('BAD_INPUT', 'sheet.badCsv'))
  }
  return records
    // info.lines is where the record ends; a quoted field may span lines, so count back to its start.
    .map((r) => ({
      line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
      cells: r.record.map((c) => c.normalize('NFC').trim()),
    }))
    .filter((r) => r.cells.some((c) => c !== ''))
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '') // a formula: its cached result
  return cell.text ?? ''
}

/** The first worksheet of an XLSX as exported by Excel (row numbers as Excel shows them). */
export async function readXlsx(bytes: Uint8Array): Promise<ReadRow[]> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer)
  } catch {
    throw new AppError('BAD_INPUT', 'sheet.badXlsx')
  }
  const ws = workbook.worksheets[0]
  if (!ws) throw new AppError('BAD_INPUT', 'sheet.noWorksheet')
  const rows: ReadRow[] = []
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i)).normalize('NFC').trim())
    if (cells.some((c) => c !== '')) rows.push({ line: rowNumber, cells })
  })
  return rows
}

export async function readUpload(fileName: string, bytes: Uint8Array): Promise<ReadRow[]> {
  return detectUpload(fileName, bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes)
}
