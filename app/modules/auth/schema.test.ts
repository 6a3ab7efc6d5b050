import { describe, expect, it } from 'vitest'
import { ChangePasswordSchema, LoginSchema, newPassword } from './schema'

describe('a new password', () => {
  it('refuses control characters (the fuzzer found "\\u0000𐀀\\u0000𐀀𐀀" accepted), keeps other Unicode', () => {
    const bad = newPassword.safeParse('\u0000𐀀\u0000𐀀𐀀')
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toBe('passwordControlChars')
    expect(newPassword.safeParse('Mật khẩu\tdài').success).toBe(false)
    expect(newPassword.safeParse('Mật khẩu dài 𐀀 2026').success).toBe(true)
  })
})

describe('a password typed to sign in', () => {
  it('refuses a NUL or other control character (CI fuzz seed 677202406 found "\\u0000" accepted), keeps Vietnamese', () => {
    for (const password of ['\u0000', 'abc\u0000def', 'mật\u0007khẩu']) {
      const bad = LoginSchema.safeParse({ identifier: '+84912345678', password })
      expect(bad.success).toBe(false)
      expect(bad.error?.issues.map((i) => i.message)).toEqual(['passwordControlChars'])
      expect(ChangePasswordSchema.safeParse({ currentPassword: password, password: 'Mật khẩu mới 2026', passwordConfirm: 'Mật khẩu mới 2026' }).success).toBe(false)
    }
    expect(LoginSchema.safeParse({ identifier: '+84912345678', password: 'Mật khẩu dài 2026' }).success).toBe(true)
  })
})
