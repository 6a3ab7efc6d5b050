import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readKeyFile, thumbprint } from './credential.server'
import { addMonths } from './issue.server'
import { cleanNumber, CODE_PATTERN, formatNumber, newVerificationCode, NUMBER_PATTERN, vietnamYear } from './number.server'
import { contentDisposition } from './origin.server'
import { sameName } from './service.server'
import { certificateStatus, renewalDue } from './status'

const now = new Date('2026-11-26T12:00:00Z')
const days = (n: number) => new Date(now.getTime() + n * 86_400_000)

describe('certificate status', () => {
  it('is revoked over superseded over expired over valid', () => {
    expect(certificateStatus({ revokedAt: days(-1), supersededById: 'x', expiresAt: days(-5) }, now)).toBe('revoked')
    expect(certificateStatus({ revokedAt: null, supersededById: 'x', expiresAt: days(-5) }, now)).toBe('superseded')
    expect(certificateStatus({ revokedAt: null, supersededById: null, expiresAt: days(-5) }, now)).toBe('expired')
    expect(certificateStatus({ revokedAt: null, supersededById: null, expiresAt: now }, now)).toBe('expired')
    expect(certificateStatus({ revokedAt: null, supersededById: null, expiresAt: days(1) }, now)).toBe('valid')
    expect(certificateStatus({ revokedAt: null, supersededById: null, expiresAt: null }, now)).toBe('valid')
  })

  it('opens a renewal 60 days before expiry, and after it, for current certificates only', () => {
    const c = (expiresAt: Date | null, extra = {}) => ({ revokedAt: null, supersededById: null, expiresAt, ...extra })
    expect(renewalDue(c(days(61)), now)).toBe(false)
    expect(renewalDue(c(days(60)), now)).toBe(true)
    expect(renewalDue(c(days(-100)), now)).toBe(true)
    expect(renewalDue(c(null), now)).toBe(false)
    expect(renewalDue(c(days(10), { revokedAt: now }), now)).toBe(false)
    expect(renewalDue(c(days(10), { supersededById: 'x' }), now)).toBe(false)
  })
})

describe('numbers and codes', () => {
  it('formats numbers by Vietnam year, six digits and more', () => {
    expect(formatNumber(2026, 123)).toBe('LC-2026-000123')
    expect(formatNumber(2026, 1_234_567)).toBe('LC-2026-1234567')
    expect(NUMBER_PATTERN.test('LC-2026-1234567')).toBe(true)
    // 23:30 UTC on 31 December is already the next year in Vietnam.
    expect(vietnamYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026)
    expect(vietnamYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027)
    expect(cleanNumber(' lc-2026 - 000123 ')).toBe('LC-2026-000123')
  })

  it('makes 128-bit codes that never repeat', () => {
    const codes = new Set(Array.from({ length: 2000 }, newVerificationCode))
    expect(codes.size).toBe(2000)
    for (const code of codes) expect(code).toMatch(CODE_PATTERN)
  })

  it('adds months clamped to the end of the month', () => {
    expect(addMonths(new Date('2026-01-31T05:00:00Z'), 1).toISOString()).toBe('2026-02-28T05:00:00.000Z')
    expect(addMonths(new Date('2028-02-29T05:00:00Z'), 12).toISOString()).toBe('2029-02-28T05:00:00.000Z')
    expect(addMonths(new Date('2026-11-26T05:00:00Z'), 24).toISOString()).toBe('2028-11-26T05:00:00.000Z')
  })
})

describe('look-up by name', () => {
  it('ignores case and spaces, and diacritics only when none were typed', () => {
    expect(sameName('Nguyễn Thị Hương', '  nguyễn  thị HƯƠNG ')).toBe(true)
    expect(sameName('Nguyễn Thị Hương', 'nguyen thi huong')).toBe(true)
    expect(sameName('Nguyễn Thị Hương', 'Nguyễn Thị Hường')).toBe(false)
    expect(sameName('Nguyễn Thị Hương', 'Nguyen Thi Hương')).toBe(false)
    expect(sameName('Nguyễn Thị Hương', 'Nguyễn Thị Hương'.normalize('NFD'))).toBe(true)
    expect(sameName('Đỗ Văn An', 'do van an')).toBe(true)
    expect(sameName('Nguyễn Thị Hương', 'Nguyễn Thị')).toBe(false)
  })
})

describe('downloads', () => {
  it('names files in ASCII for old browsers and in UTF-8 for the rest', () => {
    expect(contentDisposition('LC-2026-000123 Nguyễn Thị Hương.pdf')).toBe(
      `attachment; filename="LC-2026-000123-Nguyen-Thi-Huong.pdf"; filename*=UTF-8''LC-2026-000123%20Nguy%E1%BB%85n%20Th%E1%BB%8B%20H%C6%B0%C6%A1ng.pdf`,
    )
    expect(contentDisposition('Đỗ "x"; y.png')).toBe(`attachment; filename="Do-x-y.png"; filename*=UTF-8''%C4%90%E1%BB%97%20%22x%22%3B%20y.png`)
  })
})

describe('issuer key file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-key-'))
  const { privateKey } = generateKeyPairSync('ed25519')

  it('reads a PKCS#8 PEM and a private JWK to the same key id (its RFC 7638 thumbprint)', () => {
    const pem = path.join(dir, 'key.pem')
    fs.writeFileSync(pem, privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const jwk = path.join(dir, 'key.jwk')
    fs.writeFileSync(jwk, JSON.stringify(privateKey.export({ format: 'jwk' })))
    const a = readKeyFile(pem)
    const b = readKeyFile(jwk)
    expect(a.kid).toBe(b.kid)
    expect(a.kid).toBe(thumbprint(a.publicJwk))
    expect(a.publicJwk).not.toHaveProperty('d')
  })

  it('refuses a key that is not Ed25519, or not a key, with a plain message', () => {
    const rsa = path.join(dir, 'rsa.pem')
    fs.writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }))
    expect(() => readKeyFile(rsa)).toThrow(/phải là Ed25519/)
    const junk = path.join(dir, 'junk.pem')
    fs.writeFileSync(junk, 'không phải khoá')
    expect(() => readKeyFile(junk)).toThrow(/không đọc được khoá bí mật/)
  })
})
