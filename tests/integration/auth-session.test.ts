// Session lifetime: idle timeout and absolute lifetime, enforced on the server; pruning; cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneSessions } from '~/modules/auth/maintenance.server'
import {
  clearSessionCookie,
  createSession,
  readSessionToken,
  sessionCookie,
  sessionPolicy,
  validateSessionToken,
} from '~/modules/auth/session.server'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let userId: string
const env = { SESSION_IDLE_MINUTES: 30, SESSION_MAX_DAYS: 2 }
const policy = sessionPolicy(env)
const minutes = (n: number) => n * 60_000

beforeAll(async () => {
  t = await openSeededDatabase({ demo: true })
  userId = (await t.db.prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
})
afterAll(async () => {
  await t.dispose()
})

describe('session lifetime', () => {
  it('stays alive while used, and records activity at most once a minute', async () => {
    const start = new Date('2026-11-26T08:00:00Z')
    const s = await createSession(t.db.prisma, { userId }, policy, start)
    let now = start
    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + minutes(25)) // each visit within the 30-minute idle timeout
      expect(await validateSessionToken(t.db.prisma, s.token, policy, now)).not.toBeNull()
    }
    const row = await t.db.prisma.session.findUniqueOrThrow({ where: { id: s.id } })
    expect(row.lastActiveAt).toEqual(now)
    await validateSessionToken(t.db.prisma, s.token, policy, new Date(now.getTime() + 10_000))
    expect((await t.db.prisma.session.findUniqueOrThrow({ where: { id: s.id } })).lastActiveAt).toEqual(now)
  })

  it('ends after the idle timeout, and the row is deleted', async () => {
    const start = new Date('2026-11-26T08:00:00Z')
    const s = await createSession(t.db.prisma, { userId }, policy, start)
    expect(await validateSessionToken(t.db.prisma, s.token, policy, new Date(start.getTime() + minutes(30)))).toBeNull()
    expect(await t.db.prisma.session.findUnique({ where: { id: s.id } })).toBeNull()
  })

  it('ends at the absolute lifetime even when used all the time', async () => {
    const start = new Date('2026-11-26T08:00:00Z')
    const s = await createSession(t.db.prisma, { userId }, policy, start)
    let now = start
    while (now.getTime() < start.getTime() + policy.maxAgeMs - minutes(20)) {
      now = new Date(now.getTime() + minutes(20))
      expect(await validateSessionToken(t.db.prisma, s.token, policy, now)).not.toBeNull()
    }
    expect(await validateSessionToken(t.db.prisma, s.token, policy, new Date(start.getTime() + policy.maxAgeMs))).toBeNull()
  })

  it('rejects malformed tokens without touching the database rows', async () => {
    const count = await t.db.prisma.session.count()
    for (const token of ['', 'abc', 'a.b.c', `${'x'.repeat(100)}.y`, '.', '%00.%00']) {
      expect(await validateSessionToken(t.db.prisma, token, policy)).toBeNull()
    }
    expect(await t.db.prisma.session.count()).toBe(count)
  })

  it('pruning deletes expired and idle sessions, and keeps live ones', async () => {
    const now = new Date('2026-11-28T12:00:00Z')
    await t.db.prisma.session.deleteMany()
    const live = await createSession(t.db.prisma, { userId }, policy, new Date(now.getTime() - minutes(5)))
    await createSession(t.db.prisma, { userId }, policy, new Date(now.getTime() - minutes(45))) // idle
    await createSession(t.db.prisma, { userId }, policy, new Date(now.getTime() - 3 * 86_400_000)) // past its lifetime
    const result = await pruneSessions(t.db.prisma, env, now)
    expect(result.sessions).toBe(2)
    expect((await t.db.prisma.session.findMany()).map((s) => s.id)).toEqual([live.id])
  })
})

describe('session cookie', () => {
  const session = { token: 'id.secret', id: 'id', expiresAt: new Date('2026-12-26T08:00:00Z') }
  const now = new Date('2026-11-26T08:00:00Z')

  it('is HttpOnly, SameSite=Lax, Path=/, and lasts as long as the session', () => {
    expect(sessionCookie(new Request('http://localhost:3000/login'), session, now)).toBe(
      'banso_session=id.secret; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000',
    )
  })

  it('over HTTPS: Secure with the __Host- prefix, and only that cookie is read', () => {
    const https = new Request('https://hoc.laocai.gov.vn/login')
    expect(sessionCookie(https, session, now)).toBe('__Host-banso_session=id.secret; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure')
    expect(clearSessionCookie(https)).toBe('__Host-banso_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure')
    const withBoth = new Request('https://hoc.laocai.gov.vn/', { headers: { Cookie: 'banso_session=plain.x; __Host-banso_session=host.y' } })
    expect(readSessionToken(withBoth)).toBe('host.y')
  })
})
