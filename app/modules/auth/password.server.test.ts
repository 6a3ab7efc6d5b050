// Passwords hashed and verified in the Argon2 worker pool keep OWASP's Argon2id setting.
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { argon2Pool } from './argon2-pool.server'
import { hashPassword, verifyPassword } from './password.server'

describe('password hashing in the worker pool', () => {
  it('hashes with Argon2id m=19456, t=2, p=1 and verifies only the right password (NFC-normalised)', async () => {
    const stored = await hashPassword('Mật khẩu'.normalize('NFD'))
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await verifyPassword(stored, 'Mật khẩu')).toBe(true)
    expect(await verifyPassword(stored, 'Mat khau')).toBe(false)
    expect(await verifyPassword('không-phải-mã-băm', 'Mật khẩu')).toBe(false)
  })

  it('queues more verifications than workers and answers each one', async () => {
    const stored = await hashPassword('Đúng-rồi-2026')
    const pool = argon2Pool()
    expect(pool.size).toBe(Number(process.env.ARGON2_THREADS) || os.availableParallelism())
    const results = await Promise.all(Array.from({ length: pool.size * 3 }, (_, i) => verifyPassword(stored, i % 2 ? 'Đúng-rồi-2026' : 'sai')))
    expect(results).toEqual(Array.from({ length: pool.size * 3 }, (_, i) => i % 2 === 1))
  })
})
