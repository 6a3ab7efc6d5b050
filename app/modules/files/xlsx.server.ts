// The first visible worksheet of an XLSX as rows of text with the sheet's row numbers, read as a
// stream under the upload limits (docs/decisions/017). Reads what Excel, LibreOffice and Google
// Sheets write: shared and inline strings, rich text, cached formula results, numbers, dates
// (either date system) and text-formatted codes ("001234" stays "001234"), with or without
// r="A1" references and namespace prefixes.
import { AppError } from '~/utils/errors'
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './limits'
import { limitError } from './messages'
import type { ReadRow } from './table'
import { attribute, parseXml } from './xml.server'
import { findEntry, inflateEntry, openZip, type ZipArchive } from './zip.server'

const broken = () => new AppError('BAD_INPUT', 'sheet.badXlsx')
const SMALL_PART = 4 * 1024 * 1024

interface Relationship {
  type: string
  target: string
}

/** A package part's relationships (by id), targets resolved to part names. */
async function relationships(bytes: Uint8Array, zip: ZipArchive, part: string, limits: UploadLimits): Promise<Map<string, Relationship>> {
  const slash = part.lastIndexOf('/')
  const dir = slash < 0 ? '' : part.slice(0, slash)
  const entry = findEntry(zip, `${dir ? `${dir}/` : ''}_rels/${part.slice(slash + 1)}.rels`)
  const rels = new Map<string, Relationship>()
  if (!entry) return rels
  const chunks = inflateEntry(bytes, zip, entry, limits, SMALL_PART)
  await parseXml(
    chunks,
    {
      open(name, a) {
        if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return
        rels.set(a.Id, { type: a.Type ?? '', target: resolvePart(dir, a.Target) })
      },
    },
    limits,
    broken,
  )
  return rels
}

function resolvePart(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${dir}/${target}`).split('/')
  const out: string[] = []
  for (const p of parts) {
    if (p === '..') out.pop()
    else if (p !== '.' && p !== '') out.push(p)
  }
  return out.join('/')
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57])

/** Whether a number format shows a date or time (quoted text, escapes and [colors] aside). */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (BUILTIN_DATE_FORMATS.has(id)) return true
  if (!code) return false
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h+\]|m+\]|s+\])[^\]]*\]/gi, '')
    .replace(/General/gi, '')
  return /[dmyhs]/i.test(bare.split(';')[0] ?? '')
}

interface Styles {
  /** Per cell style (the c element's s attribute): does it show a date? */
  dateStyle: boolean[]
}

async function readStyles(bytes: Uint8Array, zip: ZipArchive, part: string | undefined, limits: UploadLimits): Promise<Styles> {
  const entry = part ? findEntry(zip, part) : undefined
  const styles: Styles = { dateStyle: [] }
  if (!entry) return styles
  const formats = new Map<number, string>()
  const xfIds: number[] = []
  let inCellXfs = false
  await parseXml(
    inflateEntry(bytes, zip, entry, limits, SMALL_PART),
    {
      open(name, a) {
        if (name === 'numFmt' && a.numFmtId) formats.set(Number(a.numFmtId), a.formatCode ?? '')
        else if (name === 'cellXfs') inCellXfs = true
        else if (name === 'xf' && inCellXfs) xfIds.push(Number(a.numFmtId ?? 0))
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false
      },
    },
    limits,
    broken,
  )
  styles.dateStyle = xfIds.map((id) => isDateFormat(id, formats.get(id)))
  return styles
}

/** The shared-strings table, bounded in count and characters (phonetic runs left out). */
async function readSharedStrings(bytes: Uint8Array, zip: ZipArchive, part: string | undefined, limits: UploadLimits): Promise<string[]> {
  const entry = part ? findEntry(zip, part) : undefined
  const strings: string[] = []
  if (!entry) return strings
  let chars = 0
  let current: string | null = null
  let inText = false
  let phonetic = 0
  await parseXml(
    inflateEntry(bytes, zip, entry, limits),
    {
      open(name) {
        if (name === 'si') current = ''
        else if (name === 'rPh') phonetic++
        else if (name === 't' && current !== null && phonetic === 0) inText = true
      },
      close(name) {
        if (name === 't') inText = false
        else if (name === 'rPh') phonetic--
        else if (name === 'si' && current !== null) {
          if (strings.length >= limits.maxSharedStrings) throw limitError('sharedStrings', limits)
          strings.push(current)
          current = null
        }
      },
      text(text) {
        if (!inText || current === null) return
        chars += text.length
        if (chars > limits.maxSharedChars) throw limitError('sharedStrings', limits)
        current += text
      },
    },
    limits,
    broken,
  )
  return strings
}

/** "B12" → column 1 (0-based); -1 without letters. */
function columnOf(ref: string): number {
  let col = 0
  let i = 0
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    const upper = c >= 97 ? c - 32 : c
    if (upper < 65 || upper > 90) break
    col = col * 26 + (upper - 64)
  }
  return i === 0 ? -1 : col - 1
}

const DAY_MS = 86_400_000
/** A date serial as the sheet shows it: YYYY-MM-DD, with the time if it has one. */
export function serialToText(serial: number, date1904: boolean): string {
  // 1900 system: day 1 is 1900-01-01 and Excel counts a 29 February 1900 that never was (day 60).
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30)
  const ms = Math.round((epoch + serial * DAY_MS) / 1000) * 1000
  const iso = new Date(ms).toISOString()
  return iso.slice(11, 19) === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

function numberText(raw: string): string {
  const n = Number(raw)
  return Number.isFinite(n) ? String(n) : raw
}

/** Reads the first visible worksheet of an XLSX held in `bytes` (already checked to be a ZIP). */
export async function readXlsx(bytes: Uint8Array, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<ReadRow[]> {
  const zip = openZip(bytes, limits)
  const root = await relationships(bytes, zip, '', limits)
  const workbookPart = [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml'
  const workbookEntry = findEntry(zip, workbookPart)
  if (!workbookEntry) throw broken()
  const workbookRels = await relationships(bytes, zip, workbookPart, limits)
  let sheetPart: string | undefined
  let date1904 = false
  await parseXml(
    inflateEntry(bytes, zip, workbookEntry, limits, SMALL_PART),
    {
      open(name, a) {
        if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true'
        if (name !== 'sheet' || sheetPart || a.state === 'hidden' || a.state === 'veryHidden') return
        const rel = workbookRels.get(attribute(a, 'id') ?? '')
        if (rel?.type.endsWith('/worksheet')) sheetPart = rel.target
      },
    },
    limits,
    broken,
  )
  const sheetEntry = sheetPart ? findEntry(zip, sheetPart) : undefined
  if (!sheetEntry) throw new AppError('BAD_INPUT', 'sheet.noWorksheet')
  const partOf = (suffix: string) => [...workbookRels.values()].find((r) => r.type.endsWith(suffix))?.target
  const styles = await readStyles(bytes, zip, partOf('/styles'), limits)
  const shared = await readSharedStrings(bytes, zip, partOf('/sharedStrings'), limits)

  const rows: ReadRow[] = []
  let rowNumber = 0
  let cells: string[] | null = null
  let col = -1
  let type = 'n'
  let style = 0
  let value = ''
  let inline = ''
  let capture: 'v' | 't' | null = null
  let inInline = false
  let phonetic = 0
  await parseXml(
    inflateEntry(bytes, zip, sheetEntry, limits),
    {
      open(name, a) {
        switch (name) {
          case 'row': {
            const r = Number(a.r)
            rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1
            cells = []
            col = -1
            break
          }
          case 'c': {
            const c = a.r ? columnOf(a.r) : -1
            col = c >= 0 ? c : col + 1
            type = a.t ?? 'n'
            style = Number(a.s ?? 0)
            value = ''
            inline = ''
            break
          }
          case 'v':
            capture = 'v'
            break
          case 'is':
            inInline = true
            break
          case 'rPh':
            phonetic++
            break
          case 't':
            if (inInline && phonetic === 0) capture = 't'
            break
        }
      },
      close(name) {
        switch (name) {
          case 'v':
          case 't':
            capture = null
            break
          case 'is':
            inInline = false
            break
          case 'rPh':
            phonetic--
            break
          case 'c': {
            if (!cells) break
            let text: string
            if (type === 's') text = shared[Number(value)] ?? ''
            else if (type === 'inlineStr') text = inline || value
            else if (type === 'b') text = value.trim() === '1' ? 'TRUE' : value.trim() === '0' ? 'FALSE' : value
            else if (type === 'str' || type === 'e') text = value
            else if (type === 'd') text = value.endsWith('T00:00:00') || value.length === 10 ? value.slice(0, 10) : value
            else if (value.trim() === '') text = ''
            else text = styles.dateStyle[style] && Number.isFinite(Number(value)) ? serialToText(Number(value), date1904) : numberText(value.trim())
            text = text.normalize('NFC').trim()
            if (text === '') break
            if (col >= limits.maxColumns) throw limitError('columns', limits)
            while (cells.length < col) cells.push('')
            cells[col] = text
            break
          }
          case 'row':
            if (cells && cells.length > 0) {
              if (rows.length >= limits.maxRows) throw limitError('rows', limits)
              rows.push({ line: rowNumber, cells })
            }
            cells = null
            break
        }
      },
      text(text) {
        if (capture === 'v') value += text
        else if (capture === 't') inline += text
      },
    },
    limits,
    broken,
  )
  return rows
}
