import { describe, expect, it } from 'vitest'
import { search, searchEntry } from './search'
import { createSlugger, foldVietnamese, slugify } from './text'

const entries = [
  searchEntry({ kind: 'course', courseSlug: 'dvc', courseTitle: 'Dịch vụ công trực tuyến', title: 'Dịch vụ công trực tuyến', summary: 'Nộp hồ sơ trên Cổng Dịch vụ công quốc gia.', body: '' }),
  searchEntry({ kind: 'lesson', courseSlug: 'lq', courseTitle: 'Làm quen', lessonSlug: 'mat-khau', title: 'Đặt mật khẩu mạnh', summary: 'Bảo vệ tài khoản.', body: 'Đừng đọc mã OTP cho người lạ.' }),
  searchEntry({ kind: 'lesson', courseSlug: 'lq', courseTitle: 'Làm quen', lessonSlug: 'go', title: 'Gõ tiếng Việt', summary: 'Kiểu gõ Telex.', body: 'Văn bản gửi dịch vụ công cần có dấu.' }),
]

describe('Vietnamese folding', () => {
  it('drops diacritics, maps đ to d, ignores case, NFC or NFD', () => {
    expect(foldVietnamese('Dịch vụ CÔNG')).toBe('dich vu cong')
    expect(foldVietnamese('Đường đi')).toBe('duong di')
    expect(foldVietnamese('Tiếng Việt'.normalize('NFD'))).toBe('tieng viet')
  })

  it('makes ASCII heading ids, unique in a page', () => {
    expect(slugify('Mật khẩu mạnh là gì?')).toBe('mat-khau-manh-la-gi')
    const slug = createSlugger()
    expect([slug('Ví dụ'), slug('Ví dụ'), slug('Ví dụ')]).toEqual(['vi-du', 'vi-du-1', 'vi-du-2'])
  })
})

describe('search', () => {
  it('finds "Dịch vụ công" from "dich vu cong", title matches first', () => {
    const hits = search(entries, 'dich vu cong')
    expect(hits.map((h) => h.title)).toEqual(['Dịch vụ công trực tuyến', 'Gõ tiếng Việt'])
  })

  it('needs every word, in any field, accents or not', () => {
    expect(search(entries, 'mật khau').map((h) => h.lessonSlug)).toEqual(['mat-khau'])
    expect(search(entries, 'otp').map((h) => h.lessonSlug)).toEqual(['mat-khau'])
    expect(search(entries, 'mat khau telex')).toEqual([])
    expect(search(entries, '   ')).toEqual([])
    expect(search(entries, 'ĐƯỜNG')).toEqual([])
  })
})
