import readXlsxFile from 'read-excel-file/node'
import { describe, expect, it } from 'vitest'
import { AppError } from './errors'
import { detectUpload, readCsv, readXlsx } from '~/modules/files/upload.server'
import { guardFormula, toCsv, toXlsx, type SheetData } from './spreadsheet.server'

const sheet: SheetData = {
  name: 'Báo cáo: thử',
  preamble: ['BÁO CÁO THỬ', 'Lào Cai, ngày 26 tháng 11 năm 2026'],
  header: ['Mã', 'Đơn vị', 'Số'],
  rows: [
    ['LC-1', 'Sở Văn hóa, Thể thao và Du lịch', 12],
    ['LC-2', '=HYPERLINK("http://x","bấm")', -3],
    ['LC-3', 'Tên có "ngoặc kép"\nvà xuống dòng', null],
  ],
}

describe('spreadsheets', () => {
  it('guards text that a spreadsheet would run as a formula, and only that', () => {
    expect(['=1+1', '+84912', '-x', '@SUM(A1)', '\tx', 'Xã Bắc Hà', '12'].map(guardFormula)).toEqual([
      "'=1+1",
      "'+84912",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      'Xã Bắc Hà',
      '12',
    ])
  })

  it('CSV for Excel: BOM, CRLF, quoting, formulas guarded, numbers kept, preamble first', () => {
    const text = toCsv(sheet).toString('utf8')
    expect(text.startsWith('\uFEFFBÁO CÁO THỬ\r\n"Lào Cai, ngày 26 tháng 11 năm 2026"\r\n\r\nMã,Đơn vị,Số\r\n')).toBe(true)
    expect(text).toContain('LC-1,"Sở Văn hóa, Thể thao và Du lịch",12\r\n')
    expect(text).toContain(`LC-2,"'=HYPERLINK(""http://x"",""bấm"")",-3\r\n`)
    // Read back with the reader the import uses: the same cells, the quoted line break kept.
    const rows = readCsv(toCsv(sheet))
    expect(rows.at(-1)!.cells).toEqual(['LC-3', 'Tên có "ngoặc kép"\nvà xuống dòng', ''])
    expect(rows.at(-1)!.line).toBe(7)
  })

  it('XLSX read back by a second library (read-excel-file) holds the same table', async () => {
    const buffer = await toXlsx(sheet)
    const sheets = await readXlsxFile(buffer)
    const data = sheets[0]!.data
    expect(data[0]![0]).toBe('BÁO CÁO THỬ')
    expect(data.slice(3)).toEqual([
      ['Mã', 'Đơn vị', 'Số'],
      ['LC-1', 'Sở Văn hóa, Thể thao và Du lịch', 12],
      ['LC-2', '=HYPERLINK("http://x","bấm")', -3], // a text cell in XLSX, never a formula
      ['LC-3', 'Tên có "ngoặc kép"\nvà xuống dòng', null],
    ])
    expect(sheets[0]!.sheet).toBe('Báo cáo  thử')
    const own = await readXlsx(buffer)
    expect(own.map((r) => r.line)).toEqual([1, 2, 4, 5, 6, 7])
  })

  it('semicolon CSV with a BOM and quoted semicolons; type by extension and by content', () => {
    const rows = readCsv(new TextEncoder().encode('\uFEFFa;b\r\n"x;y";"z"\r\n\r\n1;2'))
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x;y', 'z'] },
      { line: 4, cells: ['1', '2'] },
    ])
    expect(detectUpload('A.XLSX', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe('xlsx')
    expect(detectUpload('a.csv', new TextEncoder().encode('a,b'))).toBe('csv')
    expect(() => detectUpload('a.csv', new Uint8Array([0x61, 0x00]))).toThrow(AppError)
    expect(() => detectUpload('a.xls', new Uint8Array([0xd0, 0xcf]))).toThrow('Chỉ nhận tệp .csv hoặc .xlsx.')
  })
})
