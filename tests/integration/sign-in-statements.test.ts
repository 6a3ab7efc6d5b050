// A password sign-in is two SQL statements (docs/decisions/029): counted on the driver itself (every
// query node-postgres sends, Prisma's included), the same two for a right password, a wrong one and
// an unknown account. And under concurrent sign-ins the throttle still counts exactly — per account
// and per IP — the session row holds the SHA-256 of the secret, and every attempt has its audit row.
import { sha256 } from '@oslojs/crypto/sha2'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { parseSessionToken, sessionPolicy, validateSessionToken } from '~/modules/auth/session.server'
import { signIn, type ClientInfo } from '~/modules/auth/service.server'
import { FREE_FAILURES, IP_FAILURE_CAP } from '~/modules/auth/throttle.server'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
const policy = sessionPolicy({ SESSION_IDLE_MINUTES: 60, SESSION_MAX_DAYS: 30 })
const PASSWORD = 'Mật khẩu đúng của học viên 2026'
const ACCOUNTS = 6
const email = (value: string) => ({ kind: 'email' as const, value })
const client = (over: Partial<ClientInfo> = {}): ClientInfo => ({ ip: '203.0.113.40', userAgent: 'vitest', deviceToken: null, ...over })
const account = (i: number) => `hoc-vien-${i}@dem-lenh.example`

beforeAll(async () => {
  t = await openMigratedDatabase()
  const passwordHash = await hashPassword(PASSWORD)
  for (let i = 0; i < ACCOUNTS; i++) {
    const fullName = `Học viên đếm lệnh ${i}`
    await t.db.prisma.user.create({ data: { email: account(i), fullName, kind: 'CITIZEN', passwordHash, ...userKeys({ fullName, email: account(i) }) } })
  }
})
afterAll(async () => {
  await t.dispose()
})

/** Every statement node-postgres sends while fn runs (the driver under Prisma's adapter too). */
async function statementsOf<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = []
  const original = pg.Client.prototype.query
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string }
    statements.push(typeof first === 'string' ? first : (first?.text ?? String(first)))
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof original
  try {
    return { result: await fn(), statements }
  } finally {
    pg.Client.prototype.query = original
  }
}

describe('statements per sign-in', () => {
  it('a right password: two statements, and a session whose row holds only the SHA-256 of the secret', async () => {
    const { result, statements } = await statementsOf(() => signIn(t.db, { identifier: email(account(0)), password: PASSWORD }, client(), policy))
    expect(statements).toHaveLength(2)
    if (!result.ok) throw new Error('sign-in failed')
    const { id, secret } = parseSessionToken(result.session.token)!
    const row = await t.db.prisma.session.findUniqueOrThrow({ where: { id } })
    expect(Buffer.from(row.secretHash).equals(Buffer.from(sha256(new TextEncoder().encode(secret))))).toBe(true)
    expect(Buffer.from(row.secretHash).toString()).not.toContain(secret)
    expect(await validateSessionToken(t.db.prisma, result.session.token, policy)).toMatchObject({ id, userId: row.userId })
    expect(await t.db.prisma.trustedDevice.count({ where: { userId: row.userId } })).toBe(1)
    expect(await t.db.prisma.auditLog.count({ where: { action: 'auth.signin.success', actorId: row.userId } })).toBe(1)
    expect(await t.db.prisma.loginAttempt.findMany({ where: { identifier: account(0) }, select: { success: true } })).toEqual([{ success: true }])

    // Signing in again from the same browser refreshes its trusted-device cookie rather than adding one.
    const again = await signIn(t.db, { identifier: email(account(0)), password: PASSWORD }, client({ deviceToken: result.device.token }), policy)
    expect(again).toMatchObject({ ok: true, device: { token: result.device.token } })
    expect(await t.db.prisma.trustedDevice.count({ where: { userId: row.userId } })).toBe(1)
  })

  it('a wrong password and an unknown account: the same two statements, each with its failure audit row', async () => {
    const wrong = await statementsOf(() => signIn(t.db, { identifier: email(account(1)), password: 'sai mật khẩu' }, client(), policy))
    const unknown = await statementsOf(() => signIn(t.db, { identifier: email('khong-co-ai@dem-lenh.example'), password: 'sai mật khẩu' }, client(), policy))
    expect(wrong.result).toMatchObject({ ok: false, errors: { form: ['credentialsInvalid'] } })
    expect(unknown.result).toMatchObject({ ok: false, errors: { form: ['credentialsInvalid'] } })
    expect(wrong.statements).toHaveLength(2)
    expect(unknown.statements).toEqual(wrong.statements)
    for (const identifier of [account(1), 'khong-co-ai@dem-lenh.example']) {
      expect(await t.db.prisma.auditLog.count({ where: { action: 'auth.signin.failure', details: { path: ['identifier'], equals: identifier } } })).toBe(1)
      expect(await t.db.prisma.loginAttempt.findMany({ where: { identifier }, select: { success: true } })).toEqual([{ success: false }])
    }
  })

  it('a deactivated account: two statements, no session, a failure audit row saying so', async () => {
    const user = await t.db.prisma.user.update({ where: { email: account(2) }, data: { deactivatedAt: new Date() } })
    const { result, statements } = await statementsOf(() => signIn(t.db, { identifier: email(account(2)), password: PASSWORD }, client(), policy))
    expect(result).toMatchObject({ ok: false, errors: { form: ['accountDeactivated'] } })
    expect(statements).toHaveLength(2)
    expect(await t.db.prisma.session.count({ where: { userId: user.id } })).toBe(0)
    expect(await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'auth.signin.failure', targetId: user.id } })).toMatchObject({ details: { identifier: account(2), deactivated: true } })
  })
})

describe('concurrent sign-ins', () => {
  it('wrong passwords for one account at once: exactly the free failures and one more are verified, the rest wait', async () => {
    const who = account(3)
    const now = new Date()
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(t.db, { identifier: email(who), password: `đoán ${i}` }, client({ ip: `198.51.100.${i + 1}` }), policy, now)))
    const verified = results.filter((r) => !r.ok && r.errors.form?.[0] === 'credentialsInvalid')
    const waiting = results.filter((r) => !r.ok && r.errors.form?.[0] === 'throttled')
    expect(verified).toHaveLength(FREE_FAILURES + 1)
    expect(waiting).toHaveLength(12 - FREE_FAILURES - 1)
    const attempts = await t.db.prisma.loginAttempt.findMany({ where: { identifier: who }, select: { success: true } })
    expect(attempts).toEqual(Array.from({ length: FREE_FAILURES + 1 }, () => ({ success: false })))
    expect(await t.db.prisma.auditLog.count({ where: { action: 'auth.signin.failure', details: { path: ['identifier'], equals: who } } })).toBe(FREE_FAILURES + 1)
  })

  it('from one address near its hourly cap: exactly the attempts left in the cap are verified', async () => {
    const ip = '198.51.100.250'
    const now = new Date()
    const left = 3
    await t.db.prisma.loginAttempt.createMany({
      data: Array.from({ length: IP_FAILURE_CAP - left }, (_, i) => ({ identifier: `ai-do-${i}@dem-lenh.example`, ip, success: false, at: new Date(now.getTime() - 60_000 - i * 1000) })),
    })
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(t.db, { identifier: email(`khach-${i}@dem-lenh.example`), password: 'đoán' }, client({ ip }), policy, now)))
    expect(results.filter((r) => !r.ok && r.errors.form?.[0] === 'credentialsInvalid')).toHaveLength(left)
    expect(results.filter((r) => !r.ok && r.errors.form?.[0] === 'ipThrottled')).toHaveLength(8 - left)
    expect(await t.db.prisma.loginAttempt.count({ where: { ip } })).toBe(IP_FAILURE_CAP)
  })

  it('right passwords for several accounts at once: each gets its own working session and audit row', async () => {
    const accounts = [4, 5, 0].map(account)
    const results = await Promise.all(accounts.flatMap((who) => [1, 2].map(() => signIn(t.db, { identifier: email(who), password: PASSWORD }, client(), policy))))
    const tokens = results.map((r) => (r.ok ? r.session.token : null))
    expect(tokens.every((token) => token !== null)).toBe(true)
    expect(new Set(tokens).size).toBe(tokens.length)
    for (const token of tokens) expect(await validateSessionToken(t.db.prisma, token!, policy)).not.toBeNull()
    for (const who of accounts) {
      const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email: who } })
      expect(await t.db.prisma.auditLog.count({ where: { action: 'auth.signin.success', actorId: user.id } })).toBeGreaterThanOrEqual(2)
    }
    expect(await t.db.prisma.loginAttempt.count({ where: { identifier: { in: accounts }, success: null } })).toBe(0)
  })
})
