// The general rate limit (docs/decisions/015), through the real HTTP stack at low budgets: the
// (N+1)th sign-up from one address within the hour is a 429 with Retry-After and a Vietnamese
// page, and writes nothing; another address is unaffected; an account is counted whatever address
// it posts from; uploads have their own budget; and the counters live in the database, so another
// process on it counts into the same budget.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

const SIGNUPS = 3
const ACCOUNT_POSTS = 4
const UPLOADS = 2
let server: TestServer
let bacHaId: string

beforeAll(async () => {
  server = await startTestServer({
    env: {
      TRUST_PROXY: 'true', // each test speaks from its own address (X-Forwarded-For)
      RATE_LIMIT_SIGNUPS_PER_HOUR_IP: String(SIGNUPS),
      RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: String(ACCOUNT_POSTS),
      RATE_LIMIT_UPLOADS_PER_HOUR: String(UPLOADS),
    },
  })
  bacHaId = (await server.t.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
})
afterAll(async () => {
  await server?.close()
})

/** Fixed windows: a test that needs n seconds within one window waits for the next if this one is nearly over. */
async function roomInWindow(windowSeconds: number, need = 30) {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds)
  if (left < need) await new Promise((r) => setTimeout(r, (left + 1) * 1000))
}

let ipCounter = 0
/** A browser whose every request comes from its own documentation address (RFC 5737). */
function from(ip = `198.51.100.${++ipCounter}`): Browser & { ip: string } {
  const browser = new Browser(server.base) as Browser & { ip: string }
  browser.ip = ip
  const originalFetch = globalThis.fetch
  const withIp = (init?: RequestInit): RequestInit => ({ ...init, headers: { ...(init?.headers as Record<string, string>), 'X-Forwarded-For': ip } })
  for (const method of ['get', 'post', 'upload'] as const) {
    const own = browser[method].bind(browser) as (...args: never[]) => Promise<Response>
    ;(browser as unknown as Record<string, unknown>)[method] = async (...args: never[]) => {
      globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => originalFetch(input, withIp(init))) as typeof fetch
      try {
        return await own(...args)
      } finally {
        globalThis.fetch = originalFetch
      }
    }
  }
  return browser
}

const signup = (n: string) => ({
  fullName: 'Lò Văn Sáng',
  identifier: `rate.${n}@banso.example`,
  password: 'Mùa mận Bắc Hà 2026',
  passwordConfirm: 'Mùa mận Bắc Hà 2026',
  kind: 'CIVIL_SERVANT',
  agencyId: bacHaId,
  jobTitle: 'Công chức',
})

async function users(): Promise<number> {
  return server.t.db.prisma.user.count()
}

describe('sign-ups per address', () => {
  it(`the ${SIGNUPS + 1}th sign-up from one address within the hour is a 429 with Retry-After, and writes nothing`, async () => {
    await roomInWindow(3600)
    const a = from()
    for (let i = 0; i < SIGNUPS; i++) {
      const response = await from(a.ip).post('/signup', signup(`a${i}`))
      expect(response.status, `sign-up ${i + 1}`).toBe(303)
    }
    const before = await users()
    const refused = await a.post('/signup', signup('a-over'))
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    expect(refused.headers.get('content-type')).toContain('text/html')
    const text = textOf(await refused.text())
    expect(text).toContain('Bạn đã gửi quá nhiều yêu cầu')
    expect(text).toContain('Không có gì được ghi lại')
    expect(await users()).toBe(before)
    expect(await server.t.db.prisma.user.findFirst({ where: { email: 'rate.a-over@banso.example' } })).toBeNull()

    // Another address is not affected.
    const b = await from().post('/signup', signup('b0'))
    expect(b.status).toBe(303)
    expect(await users()).toBe(before + 1)
  })

  it('joining a class counts as a sign-up (it makes an account too)', async () => {
    await roomInWindow(3600)
    const ip = `203.0.113.${++ipCounter}`
    for (let i = 0; i < SIGNUPS; i++) await from(ip).post('/signup', signup(`j${i}`))
    const join = await from(ip).post('/join', { intent: 'join-new', code: 'ZZZZZZ', fullName: 'Lò Thị Mai' })
    expect(join.status).toBe(429)
  })
})

describe('posts per account', () => {
  it(`an account's ${ACCOUNT_POSTS + 1}th POST within the minute is refused, from whatever address`, async () => {
    await roomInWindow(60, 20)
    const browser = from()
    const signIn = await browser.signIn('hocvien@banso.example', 'HocVien@2026')
    expect(signIn.status).toBe(303) // one POST of the address; the account is not signed in yet
    const statuses: number[] = []
    for (let i = 0; i < ACCOUNT_POSTS; i++) {
      const other = from()
      other.cookies = browser.cookies // the same session, another address each time
      statuses.push((await other.post('/account', { fullName: 'Học Viên Demo', jobTitle: '' })).status)
    }
    expect(statuses.every((s) => s !== 429), `within budget: ${statuses}`).toBe(true)
    const other = from()
    other.cookies = browser.cookies
    const over = await other.post('/account', { fullName: 'Đổi Tên Quá Nhiều', jobTitle: '' })
    expect(over.status).toBe(429)
    const user = await server.t.db.prisma.user.findFirstOrThrow({ where: { email: 'hocvien@banso.example' } })
    expect(user.fullName).not.toBe('Đổi Tên Quá Nhiều')
    // Someone else, signed in at the same time, is not affected.
    const teacher = from()
    expect((await teacher.signIn('giaovien@banso.example', 'GiaoVien@2026')).status).toBe(303)
    expect((await teacher.post('/account', { fullName: 'Giáo Viên Demo', jobTitle: '' })).status).not.toBe(429)
  })
})

describe('uploads', () => {
  it(`the ${UPLOADS + 1}th upload within the hour is refused before the file is read`, async () => {
    await roomInWindow(3600)
    const browser = from()
    const statuses: number[] = []
    for (let i = 0; i <= UPLOADS; i++) {
      statuses.push((await browser.upload('/staff/import', { file: { name: 'ds.csv', bytes: new TextEncoder().encode('Họ và tên\nA\n'), type: 'text/csv' } })).status)
    }
    expect(statuses.slice(0, UPLOADS).every((s) => s !== 429), `within budget: ${statuses}`).toBe(true)
    expect(statuses[UPLOADS]).toBe(429)
  })
})

describe('the counters are shared by every process on the database', () => {
  it.skipIf(!server?.t.url && !process.env.DATABASE_URL)('sign-ups counted by another process use up this server’s budget', async () => {
    // PGlite is one process's own database: this applies to PostgreSQL only.
    expect(server.t.url).toBeDefined()
    await roomInWindow(3600)
    const ip = `192.0.2.${++ipCounter}`
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/setup/rate-limit-child.ts', server.t.url!, ip, String(SIGNUPS), String(SIGNUPS)], { timeout: 170_000 })
    const child = JSON.parse(stdout.trim().split('\n').pop()!) as { pid: number; allowed: number }
    expect(child.pid).not.toBe(process.pid)
    expect(child.allowed).toBe(SIGNUPS)
    const before = await users()
    const response = await from(ip).post('/signup', signup('shared'))
    expect(response.status).toBe(429)
    expect(await users()).toBe(before)
  })
})
