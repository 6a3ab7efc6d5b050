import { describe, expect, it } from 'vitest'
import { collator } from './text'
import { personSortKey, vietnameseSortKey } from './vietnamese-sort'

const byKey = (a: string, b: string) => (vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : vietnameseSortKey(a) > vietnameseSortKey(b) ? 1 : 0)

describe('vietnameseSortKey', () => {
  it('orders the Vietnamese alphabet', () => {
    const words = ['đá', 'da', 'ơn', 'ô', 'o', 'ư', 'u', 'ă', 'â', 'a', 'ê', 'e', 'b']
    expect([...words].sort(byKey)).toEqual(['a', 'ă', 'â', 'b', 'da', 'đá', 'e', 'ê', 'o', 'ô', 'ơn', 'u', 'ư'])
  })

  it('puts tones in dictionary order when the letters are the same', () => {
    expect(['mạ', 'mã', 'mả', 'mà', 'má', 'ma'].sort(byKey)).toEqual(['ma', 'má', 'mà', 'mả', 'mã', 'mạ'])
  })

  it('agrees with Intl.Collator("vi") on the primary order of real names and places', () => {
    const names = [
      'Lào Cai', 'Lào Cai cũ', 'Bắc Hà', 'Bảo Thắng', 'Bảo Yên', 'Bát Xát', 'Mường Khương', 'Mù Cang Chải',
      'Sa Pa', 'Si Ma Cai', 'Văn Bàn', 'Văn Chấn', 'Yên Bái', 'Yên Bình', 'Trạm Tấu', 'Trấn Yên', 'Đức Giang',
      'Dương Quỳ', 'Âu Lâu', 'Ấu Thơ', 'An Lương', 'Ơn Thắng', 'Ô Quy Hồ', 'Ưng Hòa', 'Uyên', 'Nghĩa Lộ',
      'Ngũ Chỉ Sơn', 'Nậm Xé', 'Nà Hẩu', 'Cốc San', 'Cam Đường', 'Hợp Thành', 'Gia Phú', 'Giàng Thị Mai',
    ]
    const c = collator('vi')
    // The collator's primary strength ignores tones; compare the letter order only.
    const primary = (s: string) => vietnameseSortKey(s).split('\u0001')[0]!
    const sortedByCollator = [...names].sort((a, b) => c.compare(a, b))
    for (let i = 1; i < sortedByCollator.length; i++) {
      const a = sortedByCollator[i - 1]!
      const b = sortedByCollator[i]!
      expect(primary(a) <= primary(b), `${a} before ${b}`).toBe(true)
    }
  })

  it('ignores case, Unicode form and punctuation', () => {
    expect(vietnameseSortKey('Hà Nội')).toBe(vietnameseSortKey('hà nội'.normalize('NFD')))
    expect(vietnameseSortKey('Nguyễn-Văn A.')).toBe(vietnameseSortKey('NguyễnVăn A'))
  })

  it('sorts people by given name, then by the whole name', () => {
    const people = ['Nguyễn Thị Hương', 'Trần Văn An', 'Lò Văn Minh', 'Đỗ Thị An', 'Giàng A Dình']
    expect([...people].sort((a, b) => (personSortKey(a) < personSortKey(b) ? -1 : 1))).toEqual([
      'Đỗ Thị An',
      'Trần Văn An',
      'Giàng A Dình',
      'Nguyễn Thị Hương',
      'Lò Văn Minh',
    ])
  })
})
