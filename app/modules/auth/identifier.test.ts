import { describe, expect, it } from 'vitest'
import { isCommonPassword } from './common-passwords.server'
import { formatPhone, normalizeEmail, normalizePhone, parseIdentifier } from './identifier'
import { errorsOf } from '~/utils/forms'
import { SignupSchema } from './schema'

describe('Vietnamese mobile numbers', () => {
  it('normalises every common way of writing one to +84…', () => {
    for (const written of ['0912345678', '0912 345 678', '0912.345.678', '+84 912 345 678', '84912345678', '+84-912-345-678', '(091) 234-5678']) {
      expect(normalizePhone(written), written).toBe('+84912345678')
    }
    expect(normalizePhone('0386 123 456')).toBe('+84386123456')
  })

  it('refuses landlines, short numbers and old 11-digit numbers', () => {
    for (const bad of ['0214 3840 123', '012345', '01234567890', '0112345678', 'abc', '']) expect(normalizePhone(bad), bad).toBeNull()
  })

  it('formats a stored number the way people write it', () => {
    expect(formatPhone('+84912345678')).toBe('0912 345 678')
  })
})

describe('identifiers', () => {
  it('lower-cases emails and tells email from phone', () => {
    expect(normalizeEmail('  Ten.Ho@LaoCai.Gov.Vn ')).toBe('ten.ho@laocai.gov.vn')
    expect(parseIdentifier('Ten@LaoCai.gov.vn')).toEqual({ kind: 'email', value: 'ten@laocai.gov.vn' })
    expect(parseIdentifier('0912 345 678')).toEqual({ kind: 'phone', value: '+84912345678' })
    expect(parseIdentifier('ten@')).toBeNull()
  })
})

describe('common passwords', () => {
  it('catches leaked and Vietnamese favourites, case-insensitively', () => {
    for (const p of ['123456789', 'Password', 'qwerty123', 'iloveyou', 'matkhau123', 'AnhYeuEm', '11111111', 'laocai123']) {
      expect(isCommonPassword(p), p).toBe(true)
    }
  })

  it('lets a personal passphrase through', () => {
    expect(isCommonPassword('Ruộng bậc thang Mù Cang Chải')).toBe(false)
    expect(isCommonPassword('mận hậu Bắc Hà chín đỏ')).toBe(false)
  })
})

describe('the sign-up schema', () => {
  const valid = {
    fullName: 'Sùng A Páo',
    identifier: 'pao@banso.example',
    password: 'Một câu đủ dài',
    passwordConfirm: 'Một câu đủ dài',
    kind: 'TEACHER',
    agencyId: '3f6c2a4e-2d7b-4f52-9d36-1a2b3c4d5e6f',
    jobTitle: '',
  }

  it('accepts a good form and cleans it', () => {
    const parsed = SignupSchema.parse({ ...valid, fullName: '  Sùng   A Páo ' })
    expect(parsed.fullName).toBe('Sùng A Páo')
    expect(parsed.jobTitle).toBeNull()
    expect(parsed.identifier).toEqual({ kind: 'email', value: 'pao@banso.example' })
  })

  it('compares passwords after Unicode normalisation (NFC vs NFD typing)', () => {
    const r = SignupSchema.safeParse({ ...valid, password: 'Mật khẩu dài'.normalize('NFD'), passwordConfirm: 'Mật khẩu dài'.normalize('NFC') })
    expect(r.success).toBe(true)
  })

  it('gives one message key per bad field, and ignores fields it does not know', () => {
    const r = SignupSchema.safeParse({ fullName: '', identifier: 'x', password: '1', passwordConfirm: '2', kind: 'X', agencyId: '', isAdmin: 'true' })
    expect(r.success).toBe(false)
    expect(errorsOf(r.error!).fieldErrors).toEqual({
      fullName: ['nameRequired'],
      identifier: ['identifierInvalid'],
      password: ['passwordTooShort'],
      kind: ['kindRequired'],
    })
  })

  it('survives non-string form values', () => {
    const r = SignupSchema.safeParse({ ...valid, fullName: 42, kind: ['TEACHER'] })
    expect(r.success).toBe(false)
  })
})
