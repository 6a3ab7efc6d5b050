// Backend CPU of a sign-in's three statements, one at a time on one connection (issue 21, ADR 029
// amendment 2026-12-08): the rate limiter's, sign_in_begin and the closing CTE, N rounds (default
// 400) after as many to warm up; /proc ticks of 10 ms.  node --import tsx bench/sign-in-statements-cpu.ts
import fs from 'node:fs'
import { createBenchDatabase, createLearners } from './support'
import { openDatabase } from '~/utils/db.server'
import { beginSignIn, finishSignIn } from '~/modules/auth/sign-in.server'
import { hit, budgetsFor } from '~/server/rate-limit'
import { sessionPolicy } from '~/modules/auth/session.server'

const cpu = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}
const database = await createBenchDatabase()
try {
  const accounts = await createLearners(database.url, 40)
  const db = await openDatabase({ databaseUrl: database.url, pgliteDataDir: '', poolSize: 1 })
  const [{ pid }] = (await db.withConnection((sql) => sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))) as [{ pid: number }]
  const policy = sessionPolicy({ SESSION_IDLE_MINUTES: 60, SESSION_MAX_DAYS: 30 })
  const env = { RATE_LIMIT_POSTS_PER_MINUTE_IP: 1e9, RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: 1e9, RATE_LIMIT_SIGNUPS_PER_HOUR_IP: 1e9, RATE_LIMIT_UPLOADS_PER_HOUR: 1e9 }
  const N = Number(process.env.N ?? 400)
  for (let round = 0; round < 2; round++) {
    const c = { limiter: 0, begin: 0, finish: 0 }
    const w = { limiter: 0, begin: 0, finish: 0 }
    for (let i = 0; i < N; i++) {
      const a = accounts[i % accounts.length]!
      let t0 = cpu(pid),
        s = performance.now()
      await hit(db.prisma, { ip: '10.0.0.1', sessionId: null, budgets: budgetsFor(env as never, '/login', 'application/x-www-form-urlencoded') })
      c.limiter += cpu(pid) - t0
      w.limiter += performance.now() - s
      t0 = cpu(pid)
      s = performance.now()
      const v = await beginSignIn(db, { identifier: { kind: 'email', value: a.email }, ip: '10.0.0.1', deviceToken: null }, new Date())
      c.begin += cpu(pid) - t0
      w.begin += performance.now() - s
      if (!v.allowed || !v.user) throw new Error('refused')
      t0 = cpu(pid)
      s = performance.now()
      await finishSignIn(db, v.attemptId, { kind: 'signed-in', userId: v.user.id }, { identifier: a.email, ip: '10.0.0.1', userAgent: 'x', deviceToken: null, policy }, new Date())
      c.finish += cpu(pid) - t0
      w.finish += performance.now() - s
    }
    if (round === 1) for (const k of Object.keys(c) as (keyof typeof c)[]) console.log(`${k}: backend CPU ${(c[k] / N).toFixed(2)} ms, wall ${(w[k] / N).toFixed(2)} ms per call`)
  }
  await db.close()
} finally {
  await database.drop()
}
process.exit(0)
