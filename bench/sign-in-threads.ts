// Per-thread CPU of the server during sign-ins (issue 21, ADR 029 amendment 2026-12-08): POST /login
// with 4 connections for S seconds (default 8) after a 2 s warm-up, then each thread's user and
// system time from /proc/<pid>/task per sign-in, beside a raw Argon2id verification in this
// process and the load generator's own CPU.  node --import tsx bench/sign-in-threads.ts
import fs from 'node:fs'
import { createBenchDatabase, createLearners, load, startApp, withCleanup } from './support'
function threads(pid: number) {
  const out = new Map<string, { comm: string; user: number; sys: number }>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(tid, { comm, user: Number(f[11]) * 10, sys: Number(f[12]) * 10 })
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}
await withCleanup(async (defer) => {
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const accounts = await createLearners(database.url, 40)
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const form = {
    url: `${app.base}/login`,
    method: 'POST' as const,
    connections: 4,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.base },
    bodies: accounts.map((a) => new URLSearchParams({ identifier: a.email, password: a.password }).toString()),
    expectStatus: 303,
  }
  await load({ ...form, seconds: 2, warmupSeconds: 0 })
  const { hash, verify } = await import('@node-rs/argon2')
  const stored = await hash('x-password-2026', { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 })
  const r0 = process.cpuUsage()
  let count = 0
  const end = Date.now() + 4000
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < end) {
        await verify(stored, 'x-password-2026')
        count++
      }
    })
  )
  const r1 = process.cpuUsage(r0)
  console.log(`raw: ${(count / 4).toFixed(1)}/s, user ${(r1.user / 1000 / count).toFixed(2)} ms, sys ${(r1.system / 1000 / count).toFixed(2)} ms per verify`)
  const before = threads(app.pid)
  const c0 = process.cpuUsage()
  const r = await load({ ...form, seconds: Number(process.env.S ?? 8), warmupSeconds: 0 })
  const c1 = process.cpuUsage(c0)
  const after = threads(app.pid)
  const n = r.rps * Number(process.env.S ?? 8)
  console.log(`sign-ins ${n.toFixed(0)} (${r.rps.toFixed(1)}/s); load generator ${((c1.user + c1.system) / 1000 / n).toFixed(2)} ms CPU per sign-in`)
  const groups = new Map<string, { user: number; sys: number; n: number }>()
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { user: 0, sys: 0 }
    const key = tid === String(app.pid) ? 'main' : a.comm
    const g = groups.get(key) ?? { user: 0, sys: 0, n: 0 }
    g.user += a.user - b.user
    g.sys += a.sys - b.sys
    g.n++
    groups.set(key, g)
  }
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { user: 0, sys: 0 }
    if (a.user - b.user + a.sys - b.sys > 0) console.log(`    tid ${tid}: user ${((a.user - b.user) / n).toFixed(2)} sys ${((a.sys - b.sys) / n).toFixed(2)}`)
  }
  for (const [k, g] of [...groups].sort((x, y) => y[1].user + y[1].sys - x[1].user - x[1].sys)) console.log(`  ${k.padEnd(18)} x${g.n}: user ${(g.user / n).toFixed(2)} ms, sys ${(g.sys / n).toFixed(2)} ms per sign-in`)
})
process.exit(0)
