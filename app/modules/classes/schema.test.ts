import { describe, expect, it } from 'vitest'
import { isTooSimplePin, JoinWithAccountSchema, JoinWithPinSchema, normaliseJoinCode, PinSignInSchema } from './schema'
import { dueDate, newJoinCode, newPin } from './service.server'

describe('class helpers', () => {
  it('read join codes the way people type them', () => {
    expect(normaliseJoinCode(' k7q-m2p ')).toBe('K7QM2P')
    expect(normaliseJoinCode('ｋ７ｑｍ２ｐ')).toBe('K7QM2P') // full-width from a phone keyboard
    for (let i = 0; i < 50; i++) expect(newJoinCode()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
  })

  it('never pass on a code that cannot be one (a NUL would reach PostgreSQL), and name every problem with a message key', () => {
    for (const code of ['\u0000', 'AB\u0000CD', 'ĐẶNG', '<script>']) {
      const parsed = JoinWithAccountSchema.safeParse({ code })
      expect(parsed.success, code).toBe(false)
      expect(parsed.error!.issues.map((i) => i.message)).toEqual(['codeUnknown'])
    }
    const missing = JoinWithPinSchema.safeParse({ code: 'ABC234', fullName: 'Sùng A Páo', pin: '482915' })
    expect(missing.error!.issues.map((i) => i.message)).toEqual(['pinMismatch'])
    expect(PinSignInSchema.safeParse({ code: 'ABC234', fullName: 'Sùng A Páo', pin: '4829\u000015' }).error!.issues.map((i) => i.message)).toEqual(['pinInvalid'])
  })

  it('refuse PINs anyone would try first, and draw none of them', () => {
    for (const pin of ['000000', '111111', '123456', '654321', '789012', '098765']) expect(isTooSimplePin(pin), pin).toBe(true)
    for (const pin of ['482915', '100000', '121212']) expect(isTooSimplePin(pin), pin).toBe(false)
    for (let i = 0; i < 200; i++) {
      const pin = newPin()
      expect(pin).toMatch(/^\d{6}$/)
      expect(isTooSimplePin(pin)).toBe(false)
    }
    const parsed = JoinWithPinSchema.safeParse({ code: 'abc234', fullName: '  Sùng   A  Páo ', pin: '48291', pinAgain: '48291' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((i) => i.message)).toContain('pinFormat')
  })

  it('date a due day at its end in Vietnam, and refuse days that do not exist', () => {
    expect(dueDate('2026-12-31')!.toISOString()).toBe('2026-12-31T16:59:59.999Z')
    expect(dueDate('2026-02-31')).toBeNull()
    expect(dueDate('2026-13-01')).toBeNull()
  })
})
