// The upload reader: XLSX as Excel, LibreOffice, Google Sheets and streaming writers write it read
// identically; real line numbers (CSV line breaks inside quotes, XLSX row gaps); and hostile files
// generated here refused by the right limit without the process's memory growing.
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { AppError } from '~/utils/errors'
import {
  deepXml,
  excelFlavour,
  FIXTURE_ROWS,
  googleSheetsFlavour,
  libreOfficeFlavour,
  manyEntries,
  manySharedStrings,
  rosterXlsx,
  sharedStringsBomb,
  sheetBomb,
  streamingWriterFlavour,
} from '../../../tests/setup/xlsx-fixtures'
import { DEFAULT_UPLOAD_LIMITS, parseLoad, readCsv, readUpload, readXlsx } from './upload.server'

const enc = (s: string) => new TextEncoder().encode(s)

/** The limit a read was refused by (and that it was refused with a Vietnamese message). */
async function refusal(read: Promise<unknown>): Promise<{ status: number; limit: unknown; message: string }> {
  try {
    await read
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return { status: error.status, limit: error.details?.limit, message: error.message }
  }
  throw new Error('the file was accepted')
}

/** Runs `work` sampling this process's RSS every few milliseconds; the peak growth in MB. */
async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; growthMb: number }> {
  global.gc?.()
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 2)
  let result: T | undefined
  let error: unknown
  try {
    result = await work()
  } catch (e) {
    error = e
  }
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { result, error, growthMb: (peak - base) / 1024 / 1024 }
}

describe('XLSX from every spreadsheet program', () => {
  const flavours = { excel: excelFlavour(), libreOffice: libreOfficeFlavour(), googleSheets: googleSheetsFlavour(), streamingWriter: streamingWriterFlavour() }

  it.each(Object.entries(flavours))('%s: shared/inline strings, rich text, dates, text codes and row numbers with gaps', async (_name, bytes) => {
    expect(await readXlsx(bytes)).toEqual(FIXTURE_ROWS.expected)
  })

  it('all flavours read identically, and so does a file exceljs writes', async () => {
    const read = await Promise.all(Object.values(flavours).map((b) => readXlsx(b)))
    for (const rows of read) expect(rows).toEqual(read[0])
    const workbook = new ExcelJS.Workbook()
    const ws = workbook.addWorksheet('Danh sách')
    ws.addRow(FIXTURE_ROWS.header)
    ws.addRow(['001234', 'Nguyễn Văn An', 'an@roster.example', 'LC-X-BACHA', 'Chủ tịch', new Date(Date.UTC(1985, 2, 15))])
    ws.addRow([5678, { richText: [{ text: 'Lò Thị ' }, { text: 'Bình', font: { bold: true } }] }, null, 'LC-X-BACHA', 'Công chức', new Date(Date.UTC(1990, 11, 1))])
    ws.getRow(6).values = ['BH-9', 'Sùng A Páo', { text: 'pao@roster.example', hyperlink: 'mailto:pao@roster.example' }, 'LC-X-BACHA', 'Phó Chủ tịch & Thư ký <UBND>']
    const written = new Uint8Array(await workbook.xlsx.writeBuffer())
    expect(await readXlsx(written)).toEqual(read[0])
  })

  it('a code typed as text keeps its leading zeros; a date-formatted number becomes its date; a plain number stays a number', async () => {
    const [, first, second] = await readXlsx(flavours.excel)
    expect(first!.cells[0]).toBe('001234')
    expect(first!.cells[5]).toBe('1985-03-15')
    expect(second!.cells[0]).toBe('5678')
  })
})

describe('real line numbers', () => {
  it('CSV: a quoted cell with CRLF, LF or CR line breaks does not shift the rows after it', () => {
    const csv = [
      'Mã cán bộ,Họ và tên,Chức vụ', // 1
      'A1,"Nguyễn\r\nVăn An","Chủ tịch', // 2–4: a CRLF inside quotes (line 3 is "Văn An")
      'UBND xã"', // 4: the file's own CRLF, inside the third cell
      'A2,Lò Thị Bình,"dòng 1\ndòng 2\rdòng 3"', // 5–7: LF and a lone CR
      '', // 8 empty
      'A3,"Giàng ""Páo""",Công chức', // 9
      'A4,Sùng A Chư,Công chức', // 10
    ].join('\r\n')
    const rows = readCsv(enc(csv))
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5, 9, 10])
    expect(rows[1]!.cells).toEqual(['A1', 'Nguyễn\r\nVăn An', 'Chủ tịch\r\nUBND xã'])
    expect(rows[2]!.cells[2]).toBe('dòng 1\ndòng 2\rdòng 3')
    expect(rows[3]!.cells[1]).toBe('Giàng "Páo"')
  })

  it('CSV: LF files, semicolons, a BOM, a last line without a break; an unclosed quote names its line', async () => {
    expect(readCsv(enc('\uFEFFa;b\n"x;\ny";z\n\n1;2')).map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['x;\ny', 'z']],
      [5, ['1', '2']],
    ])
    expect(() => readCsv(enc('a,b\n1,2\n3,"open\n4,5\n'))).toThrow('dòng 3')
  })

  it('XLSX: the sheet’s row numbers, gaps kept, rows without r counted on', async () => {
    expect((await readXlsx(excelFlavour())).map((r) => r.line)).toEqual([1, 2, 3, 6])
    expect((await readXlsx(streamingWriterFlavour())).map((r) => r.line)).toEqual([1, 2, 3, 6])
  })
})

describe('limits', { timeout: 60_000 }, () => {
  it('a 300 MB sheet in a small file is refused a few MB in (lying header: by its ratio), memory stays flat', async () => {
    const bomb = sheetBomb({ inflatedMb: 300 })
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const { error, growthMb } = await peakRssGrowthMb(() => readUpload('bom.xlsx', bomb))
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).status).toBe(413)
    expect((error as AppError).details?.limit).toBe('ratio')
    expect((error as AppError).message).toMatch(/nén bất thường/)
    expect(growthMb).toBeLessThan(64)
  })

  it('an honest header over the entry limit is refused before inflating; past the ratio limit by its bytes', async () => {
    expect(await refusal(readUpload('bom.xlsx', sheetBomb({ inflatedMb: 300, lie: false })))).toMatchObject({ status: 413, limit: 'entryBytes' })
    // Ratio off: the inflated-size limit stops it.
    const noRatio = { ...DEFAULT_UPLOAD_LIMITS, maxRatio: 1e9, maxEntryBytes: 16 * 1024 * 1024 }
    const { error, growthMb } = await peakRssGrowthMb(() => readUpload('bom.xlsx', sheetBomb({ inflatedMb: 300 }), noRatio))
    expect((error as AppError).details?.limit).toBe('entryBytes')
    expect(growthMb).toBeLessThan(64)
  })

  it('a ZIP with 100,000 entries is refused by its entry count, from the central directory', async () => {
    const zip = manyEntries(100_000)
    const limits = { ...DEFAULT_UPLOAD_LIMITS, maxBytes: 64 * 1024 * 1024 }
    expect(await refusal(readUpload('nhieu.xlsx', zip, limits))).toMatchObject({ status: 413, limit: 'entries' })
    // Within the 5 MB cap too (the end record's count is what it is; every record is counted).
    const small = manyEntries(45_000)
    expect(small.length).toBeLessThan(DEFAULT_UPLOAD_LIMITS.maxBytes)
    expect(await refusal(readUpload('nhieu.xlsx', small))).toMatchObject({ status: 413, limit: 'entries' })
  })

  it('XML nested a million deep is refused (400) at the depth limit', async () => {
    const bomb = deepXml(1_000_000)
    const { error, growthMb } = await peakRssGrowthMb(() => readUpload('sau.xlsx', bomb))
    expect(error).toMatchObject({ status: 400, details: { limit: 'depth' } })
    expect(growthMb).toBeLessThan(64)
  })

  it('a huge shared-strings table is refused; so is one with too many strings', async () => {
    const { error, growthMb } = await peakRssGrowthMb(() => readUpload('chuoi.xlsx', sharedStringsBomb(200)))
    expect((error as AppError).status).toBe(413)
    expect(['ratio', 'entryBytes', 'sharedStrings']).toContain((error as AppError).details?.limit)
    expect(growthMb).toBeLessThan(96)
    const limits = { ...DEFAULT_UPLOAD_LIMITS, maxSharedStrings: 1000 }
    expect(await refusal(readUpload('chuoi.xlsx', manySharedStrings(1001), limits))).toMatchObject({ status: 413, limit: 'sharedStrings' })
    expect(await readUpload('chuoi.xlsx', manySharedStrings(1000), limits)).toHaveLength(1)
  })

  it('rows: the limit is the header plus maxRows − 1 rows, in XLSX and CSV', async () => {
    const limits = { ...DEFAULT_UPLOAD_LIMITS, maxRows: 101 }
    expect(await readUpload('ds.xlsx', rosterXlsx(100), limits)).toHaveLength(101)
    expect(await refusal(readUpload('ds.xlsx', rosterXlsx(101), limits))).toMatchObject({ status: 413, limit: 'rows' })
    const csv = (n: number) => enc(['a,b', ...Array.from({ length: n }, (_, i) => `${i},x`)].join('\n'))
    expect(await readUpload('ds.csv', csv(100), limits)).toHaveLength(101)
    expect(await refusal(readUpload('ds.csv', csv(101), limits))).toMatchObject({ status: 413, limit: 'rows', message: expect.stringContaining('100 dòng') })
  })

  it('columns with a value past the limit are refused; empty ones are not counted', async () => {
    const limits = { ...DEFAULT_UPLOAD_LIMITS, maxColumns: 3 }
    expect(await readUpload('a.csv', enc('a,b,c,,,\n1,2,3,,\n'), limits)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', '2', '3'] },
    ])
    expect(await refusal(readUpload('a.csv', enc('a,b,c,d\n'), limits))).toMatchObject({ status: 413, limit: 'columns' })
  })

  it('the file size is checked first; broken and encrypted-looking files get a 400', async () => {
    expect(await refusal(readUpload('a.csv', new Uint8Array(DEFAULT_UPLOAD_LIMITS.maxBytes + 1).fill(0x61)))).toMatchObject({ status: 413, limit: 'bytes' })
    const truncated = excelFlavour().subarray(0, 600)
    expect(await refusal(readUpload('a.xlsx', truncated))).toMatchObject({ status: 400 })
    const corrupt = excelFlavour()
    corrupt.fill(0x41, 100, corrupt.length - 800) // the entries' data, not the central directory
    expect(await refusal(readUpload('a.xlsx', corrupt))).toMatchObject({ status: 400 })
  })

  it('one parse at a time in the process: three honest 10,000-row files queue, all read', async () => {
    let maxRunning = 0
    const timer = setInterval(() => {
      maxRunning = Math.max(maxRunning, parseLoad().running)
    }, 1)
    const files = [rosterXlsx(10_000, 'LC', 'A'), rosterXlsx(10_000, 'LC', 'B'), rosterXlsx(10_000, 'LC', 'C')]
    const seen: number[] = []
    const reads = files.map(async (f) => {
      const rows = await readUpload('ds.xlsx', f)
      seen.push(parseLoad().waiting)
      return rows.length
    })
    expect(await Promise.all(reads)).toEqual([10_001, 10_001, 10_001])
    clearInterval(timer)
    expect(maxRunning).toBe(1)
    expect(seen).toEqual([1, 0, 0])
    expect(parseLoad()).toEqual({ running: 0, waiting: 0 })
  })
})
