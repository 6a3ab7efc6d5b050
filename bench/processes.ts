// Scale-out (issue 21, docs/decisions/025): one server process vs two on one PostgreSQL.
//
// Two processes of the production build (`NODE_ENV=production npm start`) on one database. The
// anchor is the same load sent to one of them; the product is that load shared out over both (half
// the connections each, at the same time: what nginx's round robin in front of them does), in the
// same run, one after the other:
// - the signed-in lesson page (a session looked up in PostgreSQL, the page rendered per request),
// - sign-ins through POST /login (throttle checks, one Argon2id verification, session, audit).
// No proxy runs in the measurement: on two cores it would take CPU from the servers it measures.
// The load generator (autocannon, in this process) shares the cores too; its CPU share is noted.
// On 2 cores, at most 2× is possible; the Argon2 worker pool already hashes on every core from one
// process, so sign-ins are not expected to gain much.
import fs from 'node:fs'
import os from 'node:os'
import { emitResults, type BenchRow } from './result'
import { benchLessonPath, createBenchDatabase, createLearners, loadTogether, round, signInCookie, startApp, withCleanup, type LoadOptions, type LoadResult } from './support'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const LESSON_CONNECTIONS = 8
const SIGN_IN_CONNECTIONS = 4
const ACCOUNTS = 40
const rows: BenchRow[] = []

/** CPU time of a process (user + system), in seconds, from /proc (clock ticks of 10 ms). */
function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** CPU time of the whole machine that was not idle, in seconds (/proc/stat, every process, PostgreSQL and other users too). */
function machineBusySeconds(): number {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return (ticks.reduce((a, b) => a + b, 0) - idle) / 100
}

type Measured = LoadResult & { generatorCores: number; serverCores: number; machineCores: number }

/** The load, and how many cores were busy meanwhile: the load generator (this process), the servers, the machine. */
async function measured(parts: LoadOptions[], servers: number[]): Promise<Measured> {
  const before = { generator: process.cpuUsage(), servers: servers.map(cpuSecondsOf), machine: machineBusySeconds(), at: Date.now() }
  const result = await loadTogether(parts)
  const seconds = (Date.now() - before.at) / 1000
  const generator = process.cpuUsage(before.generator)
  const serverSeconds = servers.reduce((sum, pid, i) => sum + cpuSecondsOf(pid) - before.servers[i]!, 0)
  return {
    ...result,
    generatorCores: (generator.user + generator.system) / 1e6 / seconds,
    serverCores: serverSeconds / seconds,
    machineCores: (machineBusySeconds() - before.machine) / seconds,
  }
}

function show(name: string, r: Measured) {
  const bad = r.bad > 0 ? `, ${r.bad} lỗi/khác mã (${JSON.stringify(r.statuses)})` : ''
  console.log(
    `${name.padEnd(40)} ${r.rps.toFixed(1).padStart(7)} /s   p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   lõi bận: máy chủ ${r.serverCores.toFixed(2)}, bộ tạo tải ${r.generatorCores.toFixed(2)}, cả máy ${r.machineCores.toFixed(2)}${bad}`,
  )
}

/** `connections` shared out over the servers, each request sent to its own server's address. */
function spread(bases: string[], connections: number, make: (base: string) => Omit<LoadOptions, 'connections'>): LoadOptions[] {
  return bases.map((base, i) => ({ ...make(base), seconds: SECONDS, connections: Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0) }))
}

function row(metric: string, two: Measured, one: Measured, unit: string, note: string): BenchRow {
  return {
    scenario: 'processes',
    metric,
    product: round(two.rps, 1),
    anchor: round(one.rps, 1),
    unit,
    ratio: round(two.rps / one.rps),
    target: null,
    pass: null,
    note: `${note}; p95 ${one.p95.toFixed(1)} → ${two.p95.toFixed(1)} ms; busy cores of ${os.cpus().length} (1 → 2 processes): servers ${one.serverCores.toFixed(2)} → ${two.serverCores.toFixed(2)}, load generator ${one.generatorCores.toFixed(2)} → ${two.generatorCores.toFixed(2)}, whole machine ${one.machineCores.toFixed(2)} → ${two.machineCores.toFixed(2)}${one.bad + two.bad ? `; bad responses ${one.bad} / ${two.bad}` : ''}`,
  }
}

await withCleanup(async (defer) => {
  const lesson = benchLessonPath()
  console.log(`Một tiến trình so với hai trên cùng một PostgreSQL; ${os.cpus().length} lõi; đo ${SECONDS} s mỗi lượt (khởi động 2 s).`)
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const accounts = await createLearners(database.url, ACCOUNTS)
  const a = await startApp({ databaseUrl: database.url })
  defer(() => a.stop())
  const b = await startApp({ databaseUrl: database.url })
  defer(() => b.stop())

  // One session, made on A: B reads it from the same table.
  const cookie = await signInCookie(a.base, accounts[0]!)
  const page = (base: string) => ({ url: base + lesson, headers: { Cookie: cookie } })
  const lessonOne = await measured(spread([a.base], LESSON_CONNECTIONS, page), [a.pid])
  show('bài học, đã đăng nhập, 1 tiến trình', lessonOne)
  const lessonTwo = await measured(spread([a.base, b.base], LESSON_CONNECTIONS, page), [a.pid, b.pid])
  show('bài học, đã đăng nhập, 2 tiến trình', lessonTwo)
  rows.push(row('signed-in lesson req/s, 2 processes vs 1', lessonTwo, lessonOne, 'req/s', `${lesson}, ${LESSON_CONNECTIONS} connections in all`))

  const signIn = (base: string): Omit<LoadOptions, 'connections'> => ({
    url: `${base}/login`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    bodies: accounts.map((account) => new URLSearchParams({ identifier: account.email, password: account.password }).toString()),
    expectStatus: 303,
  })
  const signInOne = await measured(spread([a.base], SIGN_IN_CONNECTIONS, signIn), [a.pid])
  show('đăng nhập, 1 tiến trình', signInOne)
  const signInTwo = await measured(spread([a.base, b.base], SIGN_IN_CONNECTIONS, signIn), [a.pid, b.pid])
  show('đăng nhập, 2 tiến trình', signInTwo)
  rows.push(row('sign-ins/s via POST /login, 2 processes vs 1', signInTwo, signInOne, '/s', `${SIGN_IN_CONNECTIONS} connections in all, ${ACCOUNTS} accounts, Argon2 threads ${process.env.ARGON2_THREADS ?? 'one per core'} per process`))
  console.log(`Tỉ lệ 2/1: bài học ${(lessonTwo.rps / lessonOne.rps).toFixed(2)}×, đăng nhập ${(signInTwo.rps / signInOne.rps).toFixed(2)}×; tải máy ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
})

emitResults(rows)
process.exit(0)
