// Spreadsheets in and out, shared by every feature that exports a table or reads an uploaded one.
// CSV is written the way Excel opens it without asking (UTF-8 with a byte-order mark, CRLF, every
// field that needs it quoted) and guarded against formula injection; XLSX is written with exceljs.
import ExcelJS from 'exceljs'

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

// Reading uploads lives in app/modules/files (limits, streaming: docs/decisions/017).
