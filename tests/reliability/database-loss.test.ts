// Reliability 2 — database loss (`npm run test:reliability`; too slow for every `npm test`, so CI
// runs it with TEST_RELIABILITY=1). On a PostgreSQL server of its own (never the system one):
// - under steady load (learners starting and submitting quiz attempts, enrolling, reading My
//   learning), the server is stopped and started again: the app process stays up, answers 503
//   with a Vietnamese page only while the database is down, recovers by itself within seconds,
//   and the database holds no half-written attempt or enrolment;
// - the app started while the database is down waits and retries with a clear log line, then
//   serves once the database comes up.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { openDatabase } from '~/utils/db.server'
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../setup/private-postgres'
import { Browser } from '../setup/test-server'

const unavailable = privatePostgresUnavailable()
if (unavailable) console.warn(`[reliability] database-loss tests skipped: ${unavailable}`)

const COURSES = ['tin-hoc-co-ban', 'dich-vu-cong-truc-tuyen', 'nong-nghiep-so', 'lam-quen-ban-so']
const LEARNERS = 8
const PASSWORD = 'Thu-mat-ket-noi-2026'

interface App {
  base: string
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The app as `npm start` runs it, in its own process, against the private server. */
async function spawnApp(databaseUrl: string): Promise<App> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/server/start.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_REQUESTS: 'false',
      RATE_LIMIT_POSTS_PER_MINUTE_IP: '1000000',
      RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '1000000',
      DB_START_RETRY_SECONDS: '90',
      DB_CONNECT_TIMEOUT_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function waitHealthy(app: App, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (app.child.exitCode !== null) throw new Error(`the app exited (${app.child.exitCode}):\n${app.output()}`)
    try {
      if ((await fetch(`${app.base}/healthz`)).status === 200) return Date.now() - started
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${app.output()}`)
}

interface Sample {
  /** When the request was sent … */
  at: number
  /** … and when its answer came (under load the two can be seconds apart). */
  end: number
  what: string
  status: number
  body?: string
}

describe.skipIf(unavailable !== null)('database loss', () => {
  let server: PrivatePostgres
  let app: App
  const database = 'banso_reliability'

  beforeAll(async () => {
    server = await startPrivatePostgres()
    await server.createDatabase(database)
    app = await spawnApp(server.url(database))
    await waitHealthy(app, 180_000)
    // Learners of their own, so the load can start many attempts (three per course each).
    const db = await openDatabase({ databaseUrl: server.url(database), pgliteDataDir: '', poolSize: 2 })
    try {
      const passwordHash = await hashPassword(PASSWORD)
      const agency = await db.prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null } } })
      for (let i = 0; i < LEARNERS; i++) {
        const email = `mat-ket-noi-${i}@reliability.example`
        const fullName = `Học viên thử sự cố ${i}`
        await db.prisma.user.create({ data: { email, fullName, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash, ...userKeys({ fullName, email }) } })
      }
    } finally {
      await db.close()
    }
  }, 240_000)

  afterAll(async () => {
    await app?.stop()
    server?.dispose()
  })

  it('survives a PostgreSQL restart under load: 503 only while down, back by itself, nothing half-written', async () => {
    const browsers: Browser[] = []
    for (let i = 0; i < LEARNERS; i++) {
      const browser = new Browser(app.base)
      expect((await browser.signIn(`mat-ket-noi-${i}@reliability.example`, PASSWORD)).status).toBe(303)
      browsers.push(browser)
    }
    const samples: Sample[] = []
    const record = async (what: string, request: () => Promise<Response>) => {
      const at = Date.now()
      try {
        const response = await request()
        const body = response.status >= 500 ? await response.text() : (await response.arrayBuffer(), undefined)
        samples.push({ at, end: Date.now(), what, status: response.status, body })
        return response
      } catch (error) {
        samples.push({ at, end: Date.now(), what, status: 0, body: String(error) })
        return null
      }
    }
    let running = true
    // Each worker is one learner: start an attempt of a course, submit it, enrol on the next
    // course, read My learning; over and over, until the three attempts of every course are used.
    const worker = async (browser: Browser, w: number) => {
      let turn = w
      while (running) {
        const course = COURSES[turn++ % COURSES.length]!
        const started = await record('start', () => browser.post(`/courses/${course}/quiz`, {}))
        const location = started?.status === 302 ? started.headers.get('location') : null
        if (location?.includes('/quiz/')) await record('submit', () => browser.post(location, { intent: 'submit' }))
        await record('enrol', () => browser.post(`/courses/${COURSES[turn % COURSES.length]}`, { intent: 'enrol' }))
        await record('learning', () => browser.get('/learning'))
        await sleep(20)
      }
    }
    const workers = browsers.map((b, i) => worker(b, i))

    // Under load until every learner could submit once (not a fixed time: on two busy cores three
    // seconds saw fewer submits than learners).
    const submitted = () => samples.filter((s) => s.what === 'submit' && s.status === 302).length
    const loadDeadline = Date.now() + 90_000
    await sleep(3000)
    while (submitted() < LEARNERS && Date.now() < loadDeadline) await sleep(250)
    const stoppedAt = Date.now()
    server.stop()
    await sleep(4000)
    server.start()
    const upAt = Date.now()
    // Run on until the app has answered well for a while after the database came back.
    let recoveredAt: number | null = null
    while (Date.now() - upAt < 45_000) {
      await sleep(250)
      const firstGood = samples.find((s) => s.at > upAt && s.what === 'learning' && s.status === 200)
      const submitAfter = samples.some((s) => s.at > upAt && s.what === 'submit' && s.status === 302)
      if (firstGood && submitAfter && Date.now() - firstGood.at > 3000) {
        recoveredAt = firstGood.at
        break
      }
    }
    running = false
    await Promise.all(workers)

    // The process never went down and every request got an HTTP answer.
    expect(app.child.exitCode, app.output()).toBeNull()
    expect(samples.filter((s) => s.status === 0), 'requests the app did not answer').toEqual([])
    // Never a 500; only the answers a learner can get on a good day, or 503 while down.
    const statuses = new Set(samples.map((s) => s.status))
    for (const status of statuses) expect([200, 302, 303, 409, 503], `status ${status}`).toContain(status)
    // 503 only from the stop until shortly after the database was back, with a Vietnamese page.
    const unavailableSamples = samples.filter((s) => s.status === 503)
    expect(unavailableSamples.length, 'no 503 while the database was down?').toBeGreaterThan(0)
    for (const s of unavailableSamples) {
      // Answered after the stop began (a request sent just before it may wait its turn and meet
      // the database down: seen on a loaded machine, sent 551 ms before the stop).
      expect(s.end).toBeGreaterThanOrEqual(stoppedAt)
      // Generous: CI runs on two busy cores.
      expect(s.at).toBeLessThanOrEqual(upAt + 20_000)
      expect(s.body).toContain('Bản Số đang tạm thời gián đoạn')
    }
    expect(samples.filter((s) => s.end < stoppedAt && s.status >= 400 && s.status !== 409)).toEqual([])
    // Recovered by itself within seconds, and stayed well.
    expect(recoveredAt, 'the app did not recover within 45 s of the database coming back').not.toBeNull()
    expect(recoveredAt! - upAt).toBeLessThan(20_000)
    expect(samples.filter((s) => s.at > recoveredAt! && s.status >= 500)).toEqual([])
    expect(app.output()).toMatch(/\[db\] cơ sở dữ liệu không trả lời: \w+ \/\S+ → 503/)
    expect(samples.filter((s) => s.what === 'submit' && s.status === 302).length).toBeGreaterThan(LEARNERS)

    // Nothing half-written: every submitted attempt is graded whole; an open one holds no grade.
    const db = await openDatabase({ databaseUrl: server.url(database), pgliteDataDir: '', poolSize: 1 })
    try {
      const broken = await db.withConnection((sql) =>
        sql.query(`
          SELECT a.id, a.status, a.score_percent, a.passed, a.submitted_at,
                 jsonb_array_length(a.draw->'questions') AS drawn,
                 count(q.question_id) FILTER (WHERE q.correct IS NOT NULL) AS graded
            FROM quiz_attempt a LEFT JOIN quiz_answer q ON q.attempt_id = a.id
           GROUP BY a.id
          HAVING (a.status = 'SUBMITTED' AND (a.score_percent IS NULL OR a.passed IS NULL OR a.submitted_at IS NULL
                                              OR count(q.question_id) FILTER (WHERE q.correct IS NOT NULL) <> jsonb_array_length(a.draw->'questions')))
              OR (a.status = 'OPEN' AND (a.score_percent IS NOT NULL OR count(q.question_id) FILTER (WHERE q.correct IS NOT NULL) > 0))`),
      )
      expect(broken).toEqual([])
      // An attempt always belongs to an enrolment of the same person and course.
      const orphans = await db.withConnection((sql) =>
        sql.query(`SELECT a.id FROM quiz_attempt a JOIN enrolment e ON e.id = a.enrolment_id WHERE e.user_id <> a.user_id OR e.course_id <> a.course_id`),
      )
      expect(orphans).toEqual([])
      const counts = await db.withConnection((sql) =>
        sql.query<{ attempts: number; enrolments: number }>(`SELECT (SELECT count(*)::int FROM quiz_attempt) AS attempts, (SELECT count(*)::int FROM enrolment) AS enrolments`),
      )
      expect(counts[0]!.attempts).toBeGreaterThan(LEARNERS)
      // One enrolment per person and course, however the retries fell.
      const duplicates = await db.withConnection((sql) => sql.query(`SELECT user_id, course_id FROM enrolment GROUP BY 1, 2 HAVING count(*) > 1`))
      expect(duplicates).toEqual([])
    } finally {
      await db.close()
    }
    // The sessions survived: a learner is still signed in.
    const page = await browsers[0]!.get('/learning')
    expect(page.status).toBe(200)
  }, 120_000)

  it('started while the database is down: waits, says so, and serves once it is up', async () => {
    server.stop()
    const late = await spawnApp(server.url(database))
    try {
      // Generous: starting Node and the app took more than 30 s at a load average of 29.
      const deadline = Date.now() + 120_000
      while (!/\[db\] đang chờ PostgreSQL/.test(late.output()) && Date.now() < deadline) await sleep(200)
      expect(late.output()).toMatch(new RegExp(`\\[db\\] đang chờ PostgreSQL tại 127\\.0\\.0\\.1:${server.port}/${database} \\(ECONNREFUSED\\); thử lại lần \\d+`))
      await sleep(2000)
      expect(late.child.exitCode, late.output()).toBeNull()
      server.start()
      // Then the rest of the start (the app's modules, migrations and content checked): more than 60 s at a load average of 20.
      await waitHealthy(late, 240_000)
      expect(late.output()).toMatch(/\[db\] PostgreSQL tại .* đã trả lời sau \d+ giây chờ\./)
      expect((await fetch(`${late.base}/courses`)).status).toBe(200)
    } finally {
      await late.stop()
    }
  }, 420_000)
})
