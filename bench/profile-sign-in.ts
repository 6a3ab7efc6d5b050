// Profiling aid (issue 21, docs/decisions/029): sign-ins only through POST /login (4 connections,
// 40 accounts), with BENCH_CPU_PROF=<dir> set by the caller so the server writes its V8 CPU profiles
// (the main thread's and each Argon2 worker's) when it stops.
import { createBenchDatabase, createLearners, load, startApp, withCleanup } from './support'
await withCleanup(async (defer) => {
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const accounts = await createLearners(database.url, 40)
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const r = await load({
    url: `${app.base}/login`,
    method: 'POST',
    connections: 4,
    seconds: Number(process.env.BENCH_SECONDS ?? 8),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.base },
    bodies: accounts.map((a) => new URLSearchParams({ identifier: a.email, password: a.password }).toString()),
    expectStatus: 303,
  })
  console.log('sign-ins/s', r.rps.toFixed(1), 'p50', r.p50, 'p95', r.p95, 'bad', r.bad)
})
process.exit(0)
