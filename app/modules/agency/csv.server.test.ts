import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { inLocale } from '~/server/request-locale.server'
import { AppError } from '~/utils/errors'
import { orderAgencyTree, parseAgencyCsv } from './csv.server'
import { readSeedAgencies } from './seed.server'

const HEADER = 'code,name,type,parent_code,note\n'

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return (error as Error).message
  }
  throw new Error('expected an error')
}

describe('agency CSV', () => {
  it('reads the verified Lào Cai list: 120 rows, one province, every parent known', () => {
    const rows = parseAgencyCsv(fs.readFileSync('prisma/seed/laocai-agencies.csv', 'utf8'))
    expect(rows).toHaveLength(120)
    expect(rows.filter((r) => r.parentCode === null).map((r) => r.code)).toEqual(['LC'])
    expect(rows.find((r) => r.code === 'LC-SVHTTDL')!.name).toBe('Sở Văn hóa, Thể thao và Du lịch') // quoted comma
    const ordered = orderAgencyTree(rows)
    const seen = new Set<string>()
    for (const row of ordered) {
      if (row.parentCode) expect(seen.has(row.parentCode)).toBe(true)
      seen.add(row.code)
    }
  })

  it('the seed set adds the sample schools under known agencies', () => {
    const { rows, sampleCodes } = readSeedAgencies()
    expect(rows).toHaveLength(124)
    expect(sampleCodes.size).toBe(4)
  })

  it('accepts a byte-order mark and normalises names to NFC', () => {
    const nfd = 'Xã Bắc Hà'.normalize('NFD')
    const rows = parseAgencyCsv(`\uFEFF${HEADER}X,${nfd},commune,,`)
    expect(rows[0]!.name).toBe('Xã Bắc Hà'.normalize('NFC'))
  })

  it('names the line and the field of every bad row', () => {
    const message = errorOf(() => parseAgencyCsv(`${HEADER}lc-x,Tên,commune,,\nLC-Y,,commune,,\nLC-Z,Tên,village,,`, 'a.csv'))
    expect(message.split('\n')).toEqual([
      'a.csv dòng 2, cột code: mã chỉ gồm chữ in hoa không dấu, số và dấu gạch ngang',
      'a.csv dòng 3, cột name: tên trống',
      'a.csv dòng 4, cột type: loại phải là một trong province, department, party, front, commune, ward, school, unit',
    ])
  })

  it('rejects duplicate codes, unknown parents and cycles', () => {
    const rows = (text: string) => parseAgencyCsv(HEADER + text)
    expect(errorOf(() => orderAgencyTree(rows('A,A,unit,,\nA,B,unit,,')))).toBe('dòng 3: mã A bị trùng')
    expect(errorOf(() => orderAgencyTree(rows('A,A,unit,NOPE,')))).toBe('dòng 2: đơn vị cha NOPE của A không có trong danh sách')
    expect(errorOf(() => orderAgencyTree(rows('A,A,unit,B,\nB,B,unit,A,')))).toMatch(/^vòng lặp trong cây đơn vị: /)
    expect(errorOf(() => parseAgencyCsv('code,name\n"unterminated'))).toMatch(/không đọc được tệp CSV/)
  })

  it('reads its problems in English to an English reader: no Vietnamese left in them', () => {
    const english = (fn: () => unknown) => inLocale('en', () => errorOf(fn))
    const rows = (text: string) => parseAgencyCsv(HEADER + text)
    expect(english(() => parseAgencyCsv(`${HEADER}lc-x,Tên,commune,,\nLC-Y,,commune,,\nLC-Z,Tên,village,,`, 'a.csv')).split('\n')).toEqual([
      'a.csv line 2, column code: a code holds only unaccented capital letters, digits and hyphens',
      'a.csv line 3, column name: the name is empty',
      'a.csv line 4, column type: the type must be one of province, department, party, front, commune, ward, school, unit',
    ])
    // A column missing from the header: Zod's own message is not shown, ours is.
    expect(english(() => parseAgencyCsv('code,type,parent_code\nA,unit,', 'b.csv'))).toBe('b.csv line 2, column name: the value is missing or unreadable')
    expect(english(() => orderAgencyTree(rows('A,A,unit,,\nA,B,unit,,')))).toBe('line 3: the code A appears twice')
    expect(english(() => orderAgencyTree(rows('A,A,unit,A,')))).toBe('line 2: A cannot be its own parent agency')
    expect(english(() => orderAgencyTree(rows('A,A,unit,NOPE,\nB,B,unit,ALSO-NOPE,')))).toBe(
      'line 2: the parent agency NOPE of A is not in the list\nline 3: the parent agency ALSO-NOPE of B is not in the list',
    )
    expect(english(() => orderAgencyTree(rows('A,A,unit,B,\nB,B,unit,A,')))).toMatch(/^a cycle in the agency tree: /)
  })
})
