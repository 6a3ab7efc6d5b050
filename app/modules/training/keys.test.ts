import { describe, expect, it } from 'vitest'
import { citizenKey } from './keys'

describe('citizenKey', () => {
  it('is the same for one person written with or without accents, case and spaces', () => {
    const a = citizenKey({ fullName: 'Lò Thị Mai', birthYear: 1990, village: 'Thôn Nậm Sài' })
    expect(citizenKey({ fullName: 'lo thi  mai', birthYear: 1990, village: 'THON NAM SAI' })).toBe(a)
    expect(citizenKey({ fullName: 'Lò Thị Mai'.normalize('NFD'), birthYear: 1990, village: 'Thôn Nậm Sài' })).toBe(a)
  })
  it('differs by year of birth, village or the letter đ vs d only where the name differs', () => {
    const a = citizenKey({ fullName: 'Đỗ Văn Đức', birthYear: 1980, village: 'Bản Phố' })
    expect(citizenKey({ fullName: 'Do Van Duc', birthYear: 1980, village: 'Ban Pho' })).toBe(a)
    expect(citizenKey({ fullName: 'Đỗ Văn Đức', birthYear: 1981, village: 'Bản Phố' })).not.toBe(a)
    expect(citizenKey({ fullName: 'Đỗ Văn Đức', birthYear: 1980, village: 'Bản Mo' })).not.toBe(a)
  })
})
