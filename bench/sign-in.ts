// Scenario 4: sign-in.
// - Sign-ins/s through POST /login (the whole form: parse, throttle checks in the database, one
//   Argon2id verification, session, trusted device, audit) vs raw Argon2id verifications/s with
//   the same parameters, in one process with the same concurrency (anchor). Target ≥ 80 %.
// - The lesson page's p95 while a sign-in flood runs vs its quiet p95. Target: within 2×.
// Sign-ins are spread over many seeded accounts; successful sign-ins are not throttled (only
// failures count), and nothing in the app is loosened for the bench.
import { hash, verify } from '@node-rs/argon2'
import { emitResults, type BenchRow } from './result'
import { benchLessonPath, createBenchDatabase, createLearners, load, round, startApp, withCleanup } from './support'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONCURRENCY = 4
const ACCOUNTS = 40
// The app's parameters (app/modules/auth/password.server.ts): OWASP's Argon2id setting.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const
const rows: BenchRow[] = []

/** Raw verifications/s: CONCURRENCY loops verifying one hash for `seconds`. */
async function rawVerifications(seconds: number): Promise<number> {
  const password = 'Mật-khẩu-thử-tải-2026'
  const stored = await hash(password, ARGON2)
  let count = 0
  const end = Date.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        if (!(await verify(stored, password))) throw new Error('verify failed')
        count++
      }
    }),
  )
  return count / seconds
}

await withCleanup(async (defer) => {
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const accounts = await createLearners(database.url, ACCOUNTS)
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())

  await rawVerifications(1) // warm-up
  const raw = await rawVerifications(SECONDS)
  console.log(`Argon2id thô (m=19456, t=2, p=1), ${CONCURRENCY} song song: ${raw.toFixed(1)} lần xác minh/s`)

  const form = {
    url: `${app.base}/login`,
    method: 'POST' as const,
    connections: CONCURRENCY,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.base },
    bodies: accounts.map((a) => new URLSearchParams({ identifier: a.email, password: a.password }).toString()),
    expectStatus: 303,
  }
  const signIns = await load({ ...form, seconds: SECONDS })
  console.log(`Đăng nhập qua POST /login: ${signIns.rps.toFixed(1)}/s, p95 ${signIns.p95.toFixed(0)} ms, mã: ${JSON.stringify(signIns.statuses)}`)
  const ratio = signIns.rps / raw
  rows.push({
    scenario: 'sign-in',
    metric: 'sign-ins/s via POST /login vs raw Argon2id verify/s',
    product: round(signIns.rps, 1),
    anchor: round(raw, 1),
    unit: '/s',
    ratio: round(ratio),
    target: '≥ 0.80 of anchor',
    pass: ratio >= 0.8 && signIns.bad === 0,
    note: `${CONCURRENCY} concurrent, ${ACCOUNTS} accounts${signIns.bad ? `; ${signIns.bad} responses not 303 ${JSON.stringify(signIns.statuses)}` : ''}`,
  })

  const lesson = { url: app.base + benchLessonPath(), connections: CONCURRENCY }
  const quiet = await load({ ...lesson, seconds: SECONDS })
  const [underFlood, flood] = await Promise.all([load({ ...lesson, seconds: SECONDS }), load({ ...form, seconds: SECONDS })])
  console.log(`Bài học p95: yên ${quiet.p95.toFixed(1)} ms; khi đăng nhập dồn dập ${underFlood.p95.toFixed(1)} ms (${flood.rps.toFixed(1)} đăng nhập/s)`)
  const slowdown = underFlood.p95 / quiet.p95
  rows.push({
    scenario: 'sign-in',
    metric: 'lesson p95 during a sign-in flood vs quiet p95',
    product: round(underFlood.p95, 1),
    anchor: round(quiet.p95, 1),
    unit: 'ms',
    ratio: round(slowdown),
    target: '≤ 2.00× anchor',
    pass: slowdown <= 2 && underFlood.bad === 0,
    note: `flood: ${round(flood.rps, 1)} sign-ins/s over ${CONCURRENCY} connections; lesson ${round(quiet.rps, 0)} → ${round(underFlood.rps, 0)} req/s`,
  })
})

emitResults(rows)
process.exit(0)
