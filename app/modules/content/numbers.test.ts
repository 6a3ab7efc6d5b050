import { describe, expect, it } from 'vitest'
import { formatNumber, parseNumericAnswer, parseVietnameseNumber } from './numbers'

describe('numbers as a Vietnamese reader writes them', () => {
  it('reads dots and spaces as thousands groups, the comma as the decimal mark', () => {
    expect(parseVietnameseNumber('2.700')).toBe(2700)
    expect(parseVietnameseNumber('2.700.000')).toBe(2_700_000)
    expect(parseVietnameseNumber('2 700')).toBe(2700)
    expect(parseVietnameseNumber('2\u00a0700\u00a0000')).toBe(2_700_000)
    expect(parseVietnameseNumber('2,5')).toBe(2.5)
    expect(parseVietnameseNumber('2.700,5')).toBe(2700.5)
    expect(parseVietnameseNumber('2700')).toBe(2700)
    expect(parseVietnameseNumber('-1.800.000')).toBe(-1_800_000)
    expect(parseVietnameseNumber('−12,5')).toBe(-12.5)
  })

  it('still understands a decimal point where it cannot be a thousands group', () => {
    expect(parseVietnameseNumber('2.5')).toBe(2.5)
    expect(parseVietnameseNumber('2.58')).toBe(2.58)
    expect(parseVietnameseNumber('0.125')).toBe(0.125)
    expect(parseVietnameseNumber('2,700,000')).toBe(2_700_000)
  })

  it('refuses what is not one number', () => {
    for (const bad of ['', 'hai', '2.70.0', '2 70', '2..7', '1,2,3', '2.700.00', '2,5,5', '12a', '0 500']) {
      expect(parseVietnameseNumber(bad), bad).toBeNull()
    }
  })

  it('splits the unit typed after the number', () => {
    expect(parseNumericAnswer('2.700 nghìn đồng')).toEqual({ value: 2700, unit: 'nghindong' })
    expect(parseNumericAnswer('2.700.000đ')).toEqual({ value: 2_700_000, unit: 'd' })
    expect(parseNumericAnswer('2.700.000 đ.')).toEqual({ value: 2_700_000, unit: 'd' })
    expect(parseNumericAnswer(' 14 ')).toEqual({ value: 14, unit: '' })
    expect(parseNumericAnswer('đồng 2.700')).toBeNull()
  })

  it('writes numbers back the same way', () => {
    expect(formatNumber(2700)).toBe('2.700')
    expect(formatNumber(2.5)).toBe('2,5')
    expect(formatNumber(2700, 'en')).toBe('2,700')
  })
})
