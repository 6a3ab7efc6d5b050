// When more sign-ins wait for an Argon2 worker than the queue admits, a new one is answered at once
// with 503, Retry-After and the form saying "thử lại sau ít giây" (docs/decisions/029) — and nothing
// of it is recorded: no attempt counted against the person, no audit row. Once there is room again,
// the same sign-in goes through. The server's pool is replaced for the test by a one-worker pool
// with room for one job, kept full by verifications made slow on purpose (t raised in the hash:
// seconds each), so the queue is full whatever the machine's load.
import { hash } from '@node-rs/argon2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool, type Argon2Pool } from '~/modules/auth/argon2-pool.server'
import { ARGON2_OPTIONS } from '~/modules/auth/password.server'
import { getSingleton, setSingleton } from '~/utils/singleton.server'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
})

describe('a full Argon2 queue', () => {
  it('answers a sign-in 503 with Retry-After and a Vietnamese "try again in a few seconds", recording nothing; later it signs in', async () => {
    const previous = getSingleton<Argon2Pool>('argon2-pool')
    const small = createPool({ size: 1, nice: 0, yieldToPages: false, queueMax: 1 })
    setSingleton('argon2-pool', small)
    const slow = (await hash('một mật khẩu', ARGON2_OPTIONS)).replace(',t=2,', ',t=1000,')
    const filling = [small.run({ op: 'verify', args: [slow, 'x'] }), small.run({ op: 'verify', args: [slow, 'x'] })].map((p) => p.catch(() => 'closed'))
    try {
      expect(small.admits()).toBe(false)
      const attemptsBefore = await server.t.db.prisma.loginAttempt.count()
      const auditBefore = await server.t.db.prisma.auditLog.count()
      const browser = new Browser(server.base)
      const refused = await browser.signIn('hocvien@banso.example', 'HocVien@2026')
      expect(refused.status).toBe(503)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(textOf(await refused.text())).toContain('Vui lòng thử lại sau ít giây')
      expect(browser.cookies.size).toBe(0)
      expect(await server.t.db.prisma.loginAttempt.count()).toBe(attemptsBefore)
      expect(await server.t.db.prisma.auditLog.count()).toBe(auditBefore)
    } finally {
      await small.close()
      setSingleton('argon2-pool', previous)
    }
    expect(await Promise.all(filling)).toEqual(['closed', 'closed'])
    expect((await new Browser(server.base).signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
  })
})
