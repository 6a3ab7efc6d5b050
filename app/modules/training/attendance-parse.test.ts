import { describe, expect, it } from 'vitest'
import { parseAttendanceRows } from './attendance-parse'

describe('parseAttendanceRows', () => {
  it('finds columns without diacritics, skips blank rows, refuses bad rows and repeats of one citizen', () => {
    const result = parseAttendanceRows(['STT', 'Ho va ten', 'NĂM SINH', 'Thôn/Bản', 'SĐT', 'Dân tộc'], [
      { line: 2, cells: ['1', 'Lò Thị Mai', '1990', 'Thôn Nậm Sài', '0912 345 678', 'Tày'] },
      { line: 3, cells: ['', '', '', '', '', ''] },
      { line: 4, cells: ['2', 'lo thi mai', '1990', 'thon nam sai', '', ''] },
      { line: 5, cells: ['3', 'Giàng A Sử', '85', 'Thôn Na Hối', 'x', ''] },
      { line: 6, cells: ['4', '=HYPERLINK("x")\u0000', '1970', 'Thôn Na Hối'] },
    ])
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.rows.map((r) => [r.line, r.fullName, r.birthYear, r.phone, r.ethnicity])).toEqual([
      [2, 'Lò Thị Mai', 1990, '0912 345 678', 'Tày'],
      [6, '=HYPERLINK("x")', 1970, null, null],
    ])
    expect(result.problems).toEqual([
      { line: 4, kind: 'duplicate', firstLine: 2 },
      { line: 5, kind: 'invalid', messages: ['birthYearRange', 'phoneInvalid'] },
    ])
  })
  it('refuses a sheet without the required columns, naming them', () => {
    expect(parseAttendanceRows(['Họ và tên', 'Giới tính'], [])).toEqual({ ok: false, missing: ['birthYear', 'village'] })
  })
})
