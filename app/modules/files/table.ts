// An uploaded table as rows of text, each with the line it starts on in the file (CSV) or its
// row number in the sheet (XLSX), and the CSV reader: RFC 4180 with the leniencies Excel needs
// (BOM, comma or semicolon), counting physical lines itself so that a quoted cell with line
// breaks (CRLF, LF or CR) never shifts the line numbers of the rows after it.
import { AppError } from '~/utils/errors'
import type { UploadLimits } from './limits'
import { limitError } from './messages'

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

/** Comma or semicolon: whichever appears more often outside quotes in the first record. */
function guessDelimiter(text: string): ',' | ';' {
  let commas = 0
  let semicolons = 0
  let quoted = false
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && ch === ',') commas++
    else if (!quoted && ch === ';') semicolons++
  }
  return semicolons > commas ? ';' : ','
}

/**
 * CSV (UTF-8, with or without BOM, comma or semicolon, quoted fields) to its non-empty rows, each
 * with the physical line it starts on. Line breaks are CRLF, LF or a lone CR, inside quotes too.
 */
export function readCsv(bytes: Uint8Array, limits?: Pick<UploadLimits, 'maxRows' | 'maxColumns'> & Partial<UploadLimits>): ReadRow[] {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')
  const delimiter = guessDelimiter(text)
  const rows: ReadRow[] = []
  let line = 1
  let recordLine = 1
  let record: string[] = []
  let field = ''
  let i = 0
  const n = text.length
  const endRecord = () => {
    record.push(field)
    field = ''
    const cells = record.map((c) => c.normalize('NFC').trim())
    record = []
    if (cells.some((c) => c !== '')) {
      if (limits && rows.length >= limits.maxRows) throw limitError('rows', limits as UploadLimits)
      if (limits && cells.length > limits.maxColumns) {
        let last = cells.length - 1
        while (last >= 0 && cells[last] === '') last--
        if (last >= limits.maxColumns) throw limitError('columns', limits as UploadLimits)
        cells.length = last + 1
      }
      rows.push({ line: recordLine, cells })
    }
  }
  while (i < n) {
    const ch = text[i]!
    if (ch === '"' && field === '') {
      // A quoted field: up to the closing quote ("" is a quote), line breaks counted.
      const startLine = line
      i++
      let closed = false
      while (i < n) {
        const q = text.indexOf('"', i)
        const end = q < 0 ? n : q
        const chunk = text.slice(i, end)
        for (let k = 0; k < chunk.length; k++) {
          const c = chunk.charCodeAt(k)
          if (c === 10) line++
          else if (c === 13 && chunk.charCodeAt(k + 1) !== 10) line++
        }
        // A CR just before the chunk's end followed by LF after the quote cannot happen (the LF would be in the chunk).
        field += chunk
        if (q < 0) break
        if (text[q + 1] === '"') {
          field += '"'
          i = q + 2
        } else {
          i = q + 1
          closed = true
          break
        }
      }
      if (!closed) throw new AppError('BAD_INPUT', 'upload.unclosedQuote', { line: startLine })
      // Text after the closing quote and before the delimiter is kept (as Excel does).
      continue
    }
    if (ch === delimiter) {
      record.push(field)
      field = ''
      i++
    } else if (ch === '\r' || ch === '\n') {
      endRecord()
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else {
      // Plain text up to the next delimiter, quote or line break.
      let j = i + 1
      while (j < n) {
        const c = text[j]
        if (c === delimiter || c === '\r' || c === '\n' || c === '"') break
        j++
      }
      field += text.slice(i, j)
      i = j
      // A quote in the middle of an unquoted field is a plain character.
      if (text[i] === '"' && field !== '') {
        field += '"'
        i++
      }
    }
  }
  if (field !== '' || record.length > 0) endRecord()
  return rows
}
