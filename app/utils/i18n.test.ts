import { describe, expect, it } from 'vitest'
import { en } from '~/locales/en'
import { vi as vietnamese } from '~/locales/vi'
import { format, localeCookie, localeFromCookieHeader, messagesFor } from './i18n'

type Tree = { readonly [key: string]: string | Tree }

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  )
}

describe('locales', () => {
  const viLeaves = leaves(vietnamese)
  const enLeaves = leaves(en)

  it('English has exactly the keys of Vietnamese', () => {
    expect(enLeaves.map(([k]) => k)).toEqual(viLeaves.map(([k]) => k))
  })

  it('every string is non-empty and in Unicode NFC', () => {
    for (const [key, text] of [...viLeaves, ...enLeaves]) {
      expect(text.trim(), key).not.toBe('')
      expect(text, key).toBe(text.normalize('NFC'))
    }
  })

  it('placeholders match between the languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const enByKey = new Map(enLeaves)
    for (const [key, text] of viLeaves) expect(placeholders(enByKey.get(key)!), key).toEqual(placeholders(text))
  })

  it('Vietnamese text carries its diacritics (no unaccented copy slipped in)', () => {
    expect(vietnamese.home.title).toBe('Học kỹ năng số, từng bước một')
    expect(viLeaves.filter(([, t]) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(t)).length).toBeGreaterThan(
      viLeaves.length * 0.8,
    )
  })
})

describe('i18n helpers', () => {
  it('formats numbers the way each language writes them', () => {
    expect(format('Có {n} đơn vị của {p}', { n: 12345, p: 'Lào Cai' }, 'vi')).toBe('Có 12.345 đơn vị của Lào Cai')
    expect(format('{n} agencies', { n: 12345 }, 'en')).toBe('12,345 agencies')
    expect(format('{missing} stays', {})).toBe('{missing} stays')
  })

  it('reads the language cookie and falls back to Vietnamese', () => {
    expect(localeFromCookieHeader(null)).toBe('vi')
    expect(localeFromCookieHeader('a=1; lang=en; b=2')).toBe('en')
    expect(localeFromCookieHeader('lang=fr')).toBe('vi')
    expect(localeCookie('en')).toBe('lang=en; Path=/; Max-Age=31536000; SameSite=Lax')
    expect(messagesFor('en').layout.home).toBe('Home')
  })
})
