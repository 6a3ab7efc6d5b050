// Brute-force throttling, in the database: growing delays, at most 100 failures per account per
// hour from unknown devices, a per-IP cap, and no lock-out of the real user's own device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionPolicy } from '~/modules/auth/session.server'
import { signIn, type ClientInfo } from '~/modules/auth/service.server'
import { ACCOUNT_FAILURE_CAP, delayAfterFailures, IP_FAILURE_CAP } from '~/modules/auth/throttle.server'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
const policy = sessionPolicy({ SESSION_IDLE_MINUTES: 60, SESSION_MAX_DAYS: 30 })
const email = (value: string) => ({ kind: 'email' as const, value })

beforeAll(async () => {
  t = await openSeededDatabase({ demo: true })
})
afterAll(async () => {
  await t.dispose()
})

const client = (over: Partial<ClientInfo> = {}): ClientInfo => ({ ip: '203.0.113.7', userAgent: 'test', deviceToken: null, ...over })

/** Failed attempts written straight into the table, spread over the past hour. */
async function pastFailures(identifier: string, count: number, now: Date, { ip = '198.51.100.1', newestAgoMs = 120_000 } = {}) {
  await t.db.prisma.loginAttempt.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      identifier,
      ip,
      success: false,
      at: new Date(now.getTime() - newestAgoMs - i * 20_000),
    })),
  })
}

describe('delays', () => {
  it('grow after a few failures and stop at a minute', () => {
    expect([0, 1, 4, 5, 6, 7, 10, 20, 100].map(delayAfterFailures)).toEqual([0, 0, 0, 1, 2, 4, 32, 60, 60])
  })

  it('refuse an attempt inside the delay, and let the right password in after it', async () => {
    const now = new Date()
    const who = email('giaovien@banso.example')
    for (let i = 0; i < 6; i++) {
      const r = await signIn(t.db, { identifier: who, password: `sai ${i} lần` }, client(), policy, new Date(now.getTime() + i * 40_000))
      expect(r.ok).toBe(false)
    }
    // 6 failures → 2 s after the last one.
    const last = new Date(now.getTime() + 5 * 40_000)
    const early = await signIn(t.db, { identifier: who, password: 'GiaoVien@2026' }, client(), policy, new Date(last.getTime() + 500))
    expect(early).toMatchObject({ ok: false, errors: { form: ['throttled'] }, params: { seconds: 2 } })
    const later = await signIn(t.db, { identifier: who, password: 'GiaoVien@2026' }, client(), policy, new Date(last.getTime() + 2_500))
    expect(later.ok).toBe(true)
    // A success starts the count again.
    const after = await signIn(t.db, { identifier: who, password: 'sai nữa' }, client(), policy, new Date(last.getTime() + 3_000))
    expect(after).toMatchObject({ ok: false, errors: { form: ['credentialsInvalid'] } })
  })
})

describe('the hourly cap per account', () => {
  it('refuses the 101st failed attempt in an hour from an unknown device, even with the right password', async () => {
    const now = new Date()
    const who = 'hocvien@banso.example'
    // The real user signed in once before, from their phone: that device is trusted.
    const first = await signIn(t.db, { identifier: email(who), password: 'HocVien@2026' }, client({ ip: '192.0.2.10' }), policy, new Date(now.getTime() - 2 * 3_600_000))
    if (!first.ok) throw new Error('setup sign-in failed')
    const phone = first.device.token

    await pastFailures(who, ACCOUNT_FAILURE_CAP, now)
    const before = await t.db.prisma.loginAttempt.count({ where: { identifier: who } })
    const attacker = await signIn(t.db, { identifier: email(who), password: 'đoán thử' }, client({ ip: '198.51.100.66' }), policy, now)
    expect(attacker).toMatchObject({ ok: false, errors: { form: ['lockedForNewDevices'] } })
    // Refused attempts are not counted: hammering a capped account does not extend the lock.
    expect(await t.db.prisma.loginAttempt.count({ where: { identifier: who } })).toBe(before)
    const attackerRightPassword = await signIn(t.db, { identifier: email(who), password: 'HocVien@2026' }, client({ ip: '198.51.100.66' }), policy, now)
    expect(attackerRightPassword.ok).toBe(false)

    // The real user, on the device they used before, signs in (after the delay, long past here).
    const realUser = await signIn(t.db, { identifier: email(who), password: 'HocVien@2026' }, client({ ip: '192.0.2.10', deviceToken: phone }), policy, now)
    expect(realUser.ok).toBe(true)
  })

  it('a device cookie of another account does not count as trusted', async () => {
    const now = new Date()
    const other = await signIn(t.db, { identifier: email('quanly@banso.example'), password: 'QuanLy@2026' }, client(), policy, new Date(now.getTime() - 3 * 3_600_000))
    if (!other.ok) throw new Error('setup sign-in failed')
    await pastFailures('quantri@banso.example', ACCOUNT_FAILURE_CAP, now)
    const r = await signIn(t.db, { identifier: email('quantri@banso.example'), password: 'QuanTri@2026' }, client({ deviceToken: other.device.token }), policy, now)
    expect(r).toMatchObject({ ok: false, errors: { form: ['lockedForNewDevices'] } })
  })

  it('the cap ends when the hour has passed: never a permanent lock', async () => {
    const now = new Date()
    const who = 'khong-ton-tai@banso.example'
    await pastFailures(who, ACCOUNT_FAILURE_CAP, now)
    expect(await signIn(t.db, { identifier: email(who), password: 'x'.repeat(10) }, client(), policy, now)).toMatchObject({
      errors: { form: ['lockedForNewDevices'] },
    })
    const anHourLater = new Date(now.getTime() + 3_600_000)
    expect(await signIn(t.db, { identifier: email(who), password: 'x'.repeat(10) }, client(), policy, anHourLater)).toMatchObject({
      errors: { form: ['credentialsInvalid'] },
    })
  })
})

describe('the hourly cap per IP address', () => {
  it('refuses any sign-in from an address with 1,000 failures in the hour', async () => {
    const now = new Date()
    const ip = '198.51.100.200'
    await t.db.prisma.loginAttempt.createMany({
      data: Array.from({ length: IP_FAILURE_CAP }, (_, i) => ({ identifier: `nguoi${i}@banso.example`, ip, success: false, at: new Date(now.getTime() - 60_000 - i * 1000) })),
    })
    const r = await signIn(t.db, { identifier: email('giaovien@banso.example'), password: 'GiaoVien@2026' }, client({ ip }), policy, now)
    expect(r).toMatchObject({ ok: false, errors: { form: ['ipThrottled'] } })
    const elsewhere = await signIn(t.db, { identifier: email('giaovien@banso.example'), password: 'GiaoVien@2026' }, client({ ip: '192.0.2.99' }), policy, now)
    expect(elsewhere.ok).toBe(true)
  })
})

describe('audit', () => {
  it('records sign-in successes and failures', async () => {
    expect(await t.db.prisma.auditLog.count({ where: { action: 'auth.signin.success' } })).toBeGreaterThan(0)
    const failure = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'auth.signin.failure' } })
    expect(failure.ip).toBe('203.0.113.7')
    expect(failure.details).toMatchObject({ identifier: 'giaovien@banso.example' })
  })
})
