// Two real server processes (`npm start`, as a deployment runs them behind nginx) on one fresh
// PostgreSQL database must behave as one server (docs/decisions/025): both start at once on the
// empty database (migrations, seeds, content mirror and the issuer key raced), a session made on
// one works on the other and ends on both, the same quiz submission posted through both at once is
// graded once and its certificate issued once, the sign-in throttle and the rate limit count what
// both processes saw. PostgreSQL only: the embedded database (PGlite) is one process's files, so
// there a single process is the only mode.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { openDatabase, type Database } from '~/utils/db.server'
import { tempContentDir } from '../setup/content-fixture'
import { RIGHT, writeLearningFixture } from '../setup/learning-fixture'
import { createEmptyPostgresDatabase, REAL_POSTGRES_URL } from '../setup/test-database'
import { freePort } from '../setup/free-port'
import { Browser, textOf } from '../setup/test-server'

const START = path.resolve('app/server/start.ts')
const COURSE = '/courses/khoa-thu'
const PASSWORD = 'Hai-may-chu-2026!'
const SIGNUPS_PER_HOUR = 4
const ROUNDS = 8
/** Submissions of one attempt per round through each process. */
const EACH = 3

interface Child {
  proc: ChildProcess
  base: string
  output: () => string
}

/** Every process spawned, from the moment it is spawned: afterAll stops them all, started or not. */
const spawned: ChildProcess[] = []

async function startProcess(port: number, env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', START], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), HOST: '127.0.0.1' } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  spawned.push(proc)
  let output = ''
  proc.stdout!.on('data', (d) => (output += d))
  proc.stderr!.on('data', (d) => (output += d))
  // Generous, only to stop a hang: two processes compiling the content at once on two busy cores.
  const deadline = Date.now() + 240_000
  while (!output.includes('Bản Số đang chạy')) {
    if (proc.exitCode !== null) throw new Error(`server on ${port} exited (${proc.exitCode}): ${output}`)
    if (Date.now() > deadline) throw new Error(`server on ${port} did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { proc, base: `http://127.0.0.1:${port}`, output: () => output }
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

/** One person with one cookie jar, speaking to either process (as nginx would send them). */
function person(a: Child, b: Child): { A: Browser; B: Browser } {
  const A = new Browser(a.base)
  const B = new Browser(b.base)
  B.cookies = A.cookies
  return { A, B }
}

describe.skipIf(!REAL_POSTGRES_URL)('two server processes on one PostgreSQL (needs DATABASE_URL: on PGlite one process is the only mode)', () => {
  let a: Child
  let b: Child
  let db: Database
  let drop: () => Promise<void>
  const dirs: string[] = []

  beforeAll(async () => {
    const created = await createEmptyPostgresDatabase()
    drop = created.drop
    const contentDir = writeLearningFixture()
    const cacheDir = tempContentDir()
    dirs.push(contentDir, cacheDir)
    const env = {
      DATABASE_URL: created.url,
      NODE_ENV: 'production',
      LOG_REQUESTS: 'false',
      CONTENT_DIR: contentDir,
      // One machine, one cache folder: both processes compile into it at once.
      CONTENT_CACHE_DIR: cacheDir,
      ARGON2_THREADS: '1',
      RATE_LIMIT_POSTS_PER_MINUTE_IP: '1000000',
      RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '1000000',
      RATE_LIMIT_UPLOADS_PER_HOUR: '1000000',
      RATE_LIMIT_SIGNUPS_PER_HOUR_IP: String(SIGNUPS_PER_HOUR),
    }
    // Both at once on the empty database: migrations, seeds, the content mirror and the issuer key
    // are made by whichever gets there first, and the other must start too.
    // Free ports, not fixed ones: another run on the machine may hold any fixed port.
    const ports = [await freePort()]
    while (ports.length < 2) {
      const port = await freePort()
      if (port !== ports[0]) ports.push(port)
    }
    ;[a, b] = await Promise.all([startProcess(ports[0]!, env), startProcess(ports[1]!, env)])
    db = await openDatabase({ databaseUrl: created.url, pgliteDataDir: '', poolSize: 2 })
    const passwordHash = await hashPassword(PASSWORD)
    const agency = await db.prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null } } })
    for (const who of ['phien', 'chan', 'nho', ...Array.from({ length: ROUNDS }, (_, i) => `dua-${i}`)]) {
      const email = `${who}@hai-may.example`
      const fullName = `Học viên ${who}`
      await db.prisma.user.create({ data: { email, fullName, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash, ...userKeys({ fullName, email }) } })
    }
  }, 600_000)

  afterAll(async () => {
    await Promise.all(spawned.map(stopProcess))
    await db?.close()
    await drop?.()
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('both started on the empty database: one set of agencies, one issuer key, the course mirrored once', async () => {
    expect(await db.prisma.agency.count({ where: { code: 'LC' } })).toBe(1)
    expect(await db.prisma.course.count({ where: { slug: 'khoa-thu' } })).toBe(1)
    const keys = await db.withConnection((sql) => sql.query<{ n: number }>('SELECT count(*)::int AS n FROM issuer_key'))
    expect(keys[0]!.n).toBe(1)
    for (const base of [a.base, b.base]) expect((await fetch(`${base}/healthz`)).status).toBe(200)
  })

  it('a session made on A works on B, and signing out on A ends it on B', async () => {
    const { A, B } = person(a, b)
    expect((await A.signIn('phien@hai-may.example', PASSWORD)).status).toBe(303)
    const onB = await B.get('/account')
    expect(onB.status).toBe(200)
    expect(textOf(await onB.text())).toContain('Học viên phien')
    expect((await A.post('/logout', {})).status).toBe(303)
    expect((await B.get('/account')).status).toBe(302)
  })

  it('a session cookie kept after sign-out on A is refused by B', async () => {
    const { A, B } = person(a, b)
    expect((await A.signIn('phien@hai-may.example', PASSWORD)).status).toBe(303)
    const kept = new Map(A.cookies)
    expect((await B.get('/account')).status).toBe(200)
    expect((await A.post('/logout', {})).status).toBe(303)
    const thief = new Browser(b.base)
    thief.cookies = kept
    expect((await thief.get('/account')).status).toBe(302)
  })

  it('a page whose facts B keeps follows a write made through A at once, and a sign-out on A ends it on B', async () => {
    const { A, B } = person(a, b)
    const lesson = `${COURSE}/bai-mot`
    expect((await A.signIn('nho@hai-may.example', PASSWORD)).status).toBe(303)
    // B keeps the facts (docs/decisions/030, 2026-12-08): a hit once its LISTEN connection is up.
    const hitOnB = async (who: Browser) => {
      const until = Date.now() + 30_000
      for (;;) {
        const r = await who.get(lesson)
        await r.arrayBuffer()
        if (r.headers.get('x-banso-facts') === 'hit') return
        if (Date.now() > until) throw new Error(`B chưa giữ dữ liệu cá nhân (lần cuối: ${r.headers.get('x-banso-facts')})`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    await hitOnB(B)
    // Written through A; the very next page from B shows it (the write stamp, no waiting).
    expect((await A.post(COURSE, { intent: 'enrol' })).status).toBe(302)
    expect((await A.post(lesson, { intent: 'done' })).status).toBe(302)
    expect(await (await B.get(lesson)).text()).toContain('name="intent" value="undo"')
    // Signed out on A: a copy of the cookie kept by someone else is refused by B once B hears of it.
    await hitOnB(B)
    const kept = new Map(A.cookies)
    expect((await A.post('/logout', {})).status).toBe(303)
    const thief = new Browser(b.base)
    thief.cookies = kept
    const started = Date.now()
    for (;;) {
      const r = await thief.get(lesson)
      const html = await r.text()
      if (!html.includes('Học viên nho')) break
      expect(Date.now() - started, 'B vẫn phục vụ phiên đã đăng xuất').toBeLessThan(5000)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    console.log(`[two-processes] phiên đăng xuất trên A bị B từ chối sau ${Date.now() - started} ms`)
  })

  it(`the same submission through A and B at once (${ROUNDS} rounds, ${2 * EACH} posts each): graded once, one completion, one certificate`, async () => {
    const lessons = await db.prisma.lesson.findMany({ where: { course: { slug: 'khoa-thu' }, retiredAt: null }, select: { slug: true } })
    expect(lessons.length).toBeGreaterThan(0)
    for (let round = 0; round < ROUNDS; round++) {
      const email = `dua-${round}@hai-may.example`
      const { A, B } = person(a, b)
      expect((await A.signIn(email, PASSWORD)).status).toBe(303)
      expect((await B.post(COURSE, { intent: 'enrol' })).status).toBe(302)
      for (const [i, lesson] of lessons.entries()) expect((await (i % 2 ? A : B).post(`${COURSE}/${lesson.slug}`, { intent: 'done' })).status).toBe(302)
      const start = await (round % 2 ? A : B).post(`${COURSE}/quiz`, {})
      expect(start.status).toBe(302)
      const attemptPath = start.headers.get('location')!
      const posts = Array.from({ length: 2 * EACH }, (_, i) => (i % 2 ? A : B).post(attemptPath, { ...RIGHT, intent: 'submit' }))
      const statuses = (await Promise.all(posts)).map((r) => r.status)
      expect(statuses, `round ${round}`).toEqual(statuses.map(() => 302))

      const user = await db.prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } })
      const attempts = await db.prisma.quizAttempt.findMany({ where: { userId: user.id }, include: { answers: true, completion: { include: { certificate: true } } } })
      expect(attempts, `round ${round}`).toHaveLength(1)
      const [attempt] = attempts
      expect(attempt!.status).toBe('SUBMITTED')
      expect(Number(attempt!.scorePercent)).toBe(100)
      expect(attempt!.answers).toHaveLength((attempt!.draw as { questions: unknown[] }).questions.length)
      expect(await db.prisma.courseCompletion.count({ where: { enrolment: { userId: user.id } } }), `round ${round}`).toBe(1)
      expect(await db.prisma.certificate.count({ where: { userId: user.id } }), `round ${round}`).toBe(1)
      expect(attempt!.completion?.certificate).toBeTruthy()
    }
  }, 300_000)

  it('the sign-in throttle counts failures made on A and on B together', async () => {
    const email = 'chan@hai-may.example'
    const { A, B } = person(a, b)
    // Eight failures, four through each process. Past the fourth the next attempt must wait a
    // growing delay (1, 2, 4 s): a refused attempt is not recorded, so it is simply tried again.
    let failures = 0
    while (failures < 8) {
      const response = await (failures % 2 ? B : A).signIn(email, `sai lần ${failures}`)
      if (response.status === 400) failures++
      else {
        expect(response.status).toBe(429)
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    expect(await db.prisma.loginAttempt.count({ where: { identifier: email, success: false } })).toBe(8)
    // Each process saw four failures, which alone let the right password in at once; together they
    // are eight, which hold every attempt for 8 s after the last.
    for (const browser of [A, B]) {
      const refused = await browser.signIn(email, PASSWORD)
      expect(refused.status).toBe(429)
      expect(browser.cookies.size).toBe(0)
    }
  }, 120_000)

  it(`the sign-up budget (${SIGNUPS_PER_HOUR} an hour from one address) is spent through A and B together`, async () => {
    const agencyId = (await db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
    const signup = (n: number) => ({
      fullName: 'Lò Văn Sáng',
      identifier: `han-muc.${n}@hai-may.example`,
      password: 'Mùa mận Bắc Hà 2026',
      passwordConfirm: 'Mùa mận Bắc Hà 2026',
      kind: 'CIVIL_SERVANT',
      agencyId,
      jobTitle: 'Công chức',
    })
    // An hour's window that ends within the next minute would let the last sign-ups through.
    const left = 3600 - ((Date.now() / 1000) % 3600)
    if (left < 60) await new Promise((r) => setTimeout(r, (left + 1) * 1000))
    for (let n = 0; n < SIGNUPS_PER_HOUR; n++) {
      const response = await new Browser(n % 2 ? b.base : a.base).post('/signup', signup(n))
      expect(response.status, `sign-up ${n + 1}`).toBe(303)
    }
    for (const base of [a.base, b.base]) {
      const over = await new Browser(base).post('/signup', signup(100))
      expect(over.status).toBe(429)
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(await db.prisma.user.count({ where: { email: { startsWith: 'han-muc.' } } })).toBe(SIGNUPS_PER_HOUR)
  }, 120_000)
})
