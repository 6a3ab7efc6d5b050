import { describe, expect, it } from 'vitest'
import { newPassword } from './schema'

describe('a new password', () => {
  it('refuses control characters (the fuzzer found "\\u0000𐀀\\u0000𐀀𐀀" accepted), keeps other Unicode', () => {
    const bad = newPassword.safeParse('\u0000𐀀\u0000𐀀𐀀')
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toBe('passwordControlChars')
    expect(newPassword.safeParse('Mật khẩu\tdài').success).toBe(false)
    expect(newPassword.safeParse('Mật khẩu dài 𐀀 2026').success).toBe(true)
  })
})
