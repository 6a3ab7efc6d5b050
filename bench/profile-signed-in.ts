// Profiling aid (issue 21): one signed-in-only load on a page, with BENCH_CPU_PROF set by the caller.
import { createBenchDatabase, createLearners, load, signInCookie, startApp, withCleanup, benchLessonPath } from './support'
const url = process.argv[2] ?? benchLessonPath()
await withCleanup(async (defer) => {
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const [account] = await createLearners(database.url, 1)
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const cookie = await signInCookie(app.base, account!)
  for (const u of [url]) {
    const r = await load({ url: app.base + u, connections: 8, seconds: Number(process.env.BENCH_SECONDS ?? 10), headers: { Cookie: cookie } })
    console.log(u, r.rps.toFixed(0), 'req/s p50', r.p50, 'p95', r.p95, 'bad', r.bad)
  }
  const bare = await load({ url: app.base + '/bench/bare', connections: 8, seconds: 3 })
  console.log('bare', bare.rps.toFixed(0))
})
process.exit(0)
