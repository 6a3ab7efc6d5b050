// What the benchmark scenarios share: a throw-away database on the real PostgreSQL, the app
// started as `npm start` starts it (its own process, production build, NODE_ENV=production), an
// nginx anchor with a private configuration, and a bounded load run (autocannon) that reports
// requests/s and p50/p95/p99 computed from every response's latency.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { seedAgencies } from '~/modules/agency/seed.server'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { openDatabase, poolConfigFromUrl } from '~/utils/db.server'
import { migrate } from '~/utils/migrate.server'

/** The PostgreSQL server the bench uses: BENCH_DATABASE_URL, else DATABASE_URL, else the README's local one. */
export function postgresServerUrl(): string {
  return process.env.BENCH_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres'
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ ...poolConfigFromUrl(postgresServerUrl()), database: 'postgres' })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export interface BenchDatabase {
  url: string
  drop(): Promise<void>
}

/** A fresh database `banso_bench_*`, migrated, with the agency tree; dropped by drop(). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `banso_bench_${process.pid}_${randomBytes(3).toString('hex')}`
  await adminQuery(`CREATE DATABASE "${name}"`)
  const url = new URL(postgresServerUrl())
  url.pathname = `/${name}`
  const db = await openDatabase({ databaseUrl: url.toString(), pgliteDataDir: '', poolSize: 2 })
  try {
    await migrate(db)
    await seedAgencies(db.prisma)
  } finally {
    await db.close()
  }
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}

export interface BenchAccount {
  email: string
  password: string
}

/**
 * Learner accounts with one random password (never a demo password: production refuses those).
 * One Argon2 hash serves all of them: every sign-in still verifies a full Argon2id hash.
 */
export async function createLearners(databaseUrl: string, count: number, { admins = 0 }: { admins?: number } = {}): Promise<BenchAccount[]> {
  const password = `Bench-${randomBytes(9).toString('base64url')}`
  const passwordHash = await hashPassword(password)
  const db = await openDatabase({ databaseUrl, pgliteDataDir: '', poolSize: 2 })
  try {
    const agency = await db.prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null } }, select: { id: true } })
    const accounts: BenchAccount[] = []
    for (let i = 0; i < count; i++) {
      const email = `hoc-vien-${i}@bench.example`
      const fullName = `Học viên thử tải ${i}`
      const user = await db.prisma.user.create({
        data: { email, fullName, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash, ...userKeys({ fullName, email }) },
      })
      // The last `admins` accounts are also admins (the report pages need one).
      if (i >= count - admins) await db.prisma.roleGrant.create({ data: { userId: user.id, role: 'ADMIN', agencyId: null } })
      accounts.push({ email, password })
    }
    return accounts
  } finally {
    await db.close()
  }
}

// ─── Ports ───

/** First of the loopback ports the bench may use: BENCH_PORT_BASE, else 3400 (3400–3499). */
export function benchPortBase(): number {
  const base = Number(process.env.BENCH_PORT_BASE ?? 3400)
  if (!Number.isInteger(base) || base < 1024 || base > 65_435) throw new Error(`BENCH_PORT_BASE không hợp lệ: ${process.env.BENCH_PORT_BASE}`)
  return base
}

/** How many ports from BENCH_PORT_BASE the bench may use: BENCH_PORT_COUNT, else 100. */
export function benchPortCount(): number {
  const count = Number(process.env.BENCH_PORT_COUNT ?? 100)
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new Error(`BENCH_PORT_COUNT không hợp lệ: ${process.env.BENCH_PORT_COUNT}`)
  return count
}

/** A free port in the benchmark range (BENCH_PORT_BASE … + BENCH_PORT_COUNT − 1; loopback only). */
export async function freePort(): Promise<number> {
  const base = benchPortBase()
  const count = benchPortCount()
  const start = Math.floor(Math.random() * count)
  for (let i = 0; i < count; i++) {
    const port = base + ((start + i) % count)
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`Không còn cổng trống trong khoảng ${base}–${base + count - 1}.`)
}

// ─── The app ───

export interface AppServer {
  base: string
  pid: number
  /** Resident memory of the server process, in bytes (from /proc). */
  rss(): number
  stop(): Promise<void>
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Máy chủ dừng khi khởi động (mã ${child.exitCode}):\n${output()}`)
    try {
      const r = await fetch(`${base}/healthz`)
      if (r.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`Máy chủ không sẵn sàng sau ${timeoutMs / 1000} giây:\n${output()}`)
}

/**
 * The app as `NODE_ENV=production npm start` runs it, in its own process (node --import tsx, so
 * the pid is the server's own and its RSS can be read), with BENCH_ROUTES=1 and no request log.
 */
export async function startApp({ databaseUrl, pgliteDir, env = {} }: { databaseUrl?: string; pgliteDir?: string; env?: Record<string, string> }): Promise<AppServer> {
  const port = await freePort()
  // An embedded database in a folder of its own, removed at stop.
  const ownPglite = databaseUrl || pgliteDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-pglite-'))
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_REQUESTS: 'false',
    BENCH_ROUTES: '1',
    // A load generator is one address posting thousands of times a minute: budgets out of its way
    // (the limiter still counts every POST, so its cost is in the figures).
    RATE_LIMIT_POSTS_PER_MINUTE_IP: '10000000',
    RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '10000000',
    RATE_LIMIT_SIGNUPS_PER_HOUR_IP: '10000000',
    RATE_LIMIT_UPLOADS_PER_HOUR: '10000000',
    SEED_DEMO: 'false',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DATA_DIR: pgliteDir ?? ownPglite! }),
    ...(process.env.CONTENT_CACHE_DIR ? { CONTENT_CACHE_DIR: process.env.CONTENT_CACHE_DIR } : {}),
    // The Argon2 worker pool's settings, when a run wants to compare them (docs/decisions/012).
    ...(process.env.ARGON2_THREADS ? { ARGON2_THREADS: process.env.ARGON2_THREADS } : {}),
    ...(process.env.ARGON2_NICE ? { ARGON2_NICE: process.env.ARGON2_NICE } : {}),
    ...(process.env.ARGON2_YIELD_TO_PAGES ? { ARGON2_YIELD_TO_PAGES: process.env.ARGON2_YIELD_TO_PAGES } : {}),
    ...(process.env.ARGON2_QUEUE_MAX ? { ARGON2_QUEUE_MAX: process.env.ARGON2_QUEUE_MAX } : {}),
    ...(process.env.ARGON2_BUSY_NICE ? { ARGON2_BUSY_NICE: process.env.ARGON2_BUSY_NICE } : {}),
    // The sign-in fast path off (docs/decisions/029): the Remix path, to compare.
    ...(process.env.SIGN_IN_FAST_PATH ? { SIGN_IN_FAST_PATH: process.env.SIGN_IN_FAST_PATH } : {}),
    ...env,
  }
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (issue 21: find the signed-in page's cost).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'app/server/start.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)))
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)))
  const base = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(base, child, 240_000, () => output)
  } catch (error) {
    child.kill('SIGKILL')
    if (ownPglite) fs.rmSync(ownPglite, { recursive: true, force: true })
    throw error
  }
  return {
    base,
    pid: child.pid!,
    rss: () => rssOf(child.pid!),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(timer)
      }
      if (ownPglite) fs.rmSync(ownPglite, { recursive: true, force: true })
    },
  }
}

export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb * 1024
}

/** Signs in through the form, as a browser does; returns the Cookie header for later requests. */
export async function signInCookie(base: string, account: BenchAccount): Promise<string> {
  const r = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    body: new URLSearchParams({ identifier: account.email, password: account.password }),
    redirect: 'manual',
  })
  if (r.status !== 303) throw new Error(`Đăng nhập ${account.email} thất bại: HTTP ${r.status}`)
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

// ─── Load ───

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p95: number
  p99: number
  /** Responses with a status other than the expected one, plus socket errors and timeouts. */
  bad: number
  statuses: Record<string, number>
}

export interface LoadOptions {
  url: string
  connections?: number
  seconds?: number
  warmupSeconds?: number
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** For POST: a body per request, rotated (autocannon's requests array). */
  bodies?: string[]
  expectStatus?: number
  /** Requests per second over all connections (autocannon's overallRate): latency at a set load, not at saturation. */
  rate?: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

/** Every response of a run: its latency and status, and the count of unexpected ones. */
interface RawRun {
  latencies: number[]
  statuses: Record<string, number>
  bad: number
}

async function runRaw(options: LoadOptions, seconds: number, record: boolean): Promise<RawRun> {
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const expect = options.expectStatus ?? 200
  let bad = 0
  const headers = { 'Accept-Encoding': 'gzip', ...options.headers }
  const requests = options.bodies
    ? options.bodies.map((body) => ({ method: options.method ?? 'POST', body, headers }))
    : undefined
  const onResponse = (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (!record) return
    latencies.push(responseTime)
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    if (statusCode !== expect) bad++
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections ?? 8,
        duration: seconds,
        method: options.method ?? 'GET',
        headers,
        requests,
        timeout: 10,
        ...(options.rate ? { overallRate: options.rate } : {}),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    )
    instance.on('response', onResponse)
  })
  bad += result.errors + result.timeouts
  return { latencies, statuses, bad }
}

/** Runs of the same length, at the same time, as one: the percentiles are of all their responses. */
function summarise(runs: RawRun[], seconds: number): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const statuses: Record<string, number> = {}
  for (const run of runs) for (const [code, n] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + n
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    bad: runs.reduce((n, r) => n + r.bad, 0),
    statuses,
  }
}

/** A warm-up (discarded), then a measured run; both bounded in time. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  return loadTogether([options])
}

/**
 * Several loads at once (e.g. the same page on two server processes, half the connections each, as
 * a proxy in front of them would spread them), warmed up and measured together, reported as one.
 * Their warm-up and measured seconds are the first one's.
 */
export async function loadTogether(parts: LoadOptions[]): Promise<LoadResult> {
  const warmup = parts[0]?.warmupSeconds ?? 2
  const seconds = parts[0]?.seconds ?? 5
  if (warmup > 0) await Promise.all(parts.map((p) => runRaw(p, warmup, false)))
  return summarise(await Promise.all(parts.map((p) => runRaw(p, seconds, true))), seconds)
}

// ─── nginx, the physical limit ───

export interface Nginx {
  base: string
  stop(): Promise<void>
}

export function nginxBinary(): string | null {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && fs.existsSync(candidate)) return candidate
  }
  return null
}

/** Installs Debian's nginx when missing and allowed (root on Debian), as .ci/run installs Chromium. */
export function ensureNginx(log: (line: string) => void): string | null {
  const found = nginxBinary()
  if (found) return found
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    log('nginx không có và không cài được (cần quyền root trên Debian): mốc nginx được báo "không có".')
    return null
  }
  log('nginx chưa có: cài gói nginx-light của Debian…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 120_000 })
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], { stdio: 'ignore', env, timeout: 180_000 })
  if (r.status !== 0) log('cài nginx thất bại: mốc nginx được báo "không có".')
  return nginxBinary()
}

/**
 * nginx serving one saved HTML page, with a private configuration in a temp folder (never the
 * system's): one process, master_process off (the app is one process too), gzip at zlib's default
 * level 6 (what the app's `compression` uses), loopback only, no logs.
 */
export async function startNginx(binary: string, html: string): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-nginx-'))
  // nginx's worker drops root for "nobody" when started as root: it must be able to read the page.
  fs.chmodSync(dir, 0o755)
  fs.mkdirSync(path.join(dir, 'www'), { mode: 0o755 })
  fs.writeFileSync(path.join(dir, 'www', 'index.html'), html)
  const port = await freePort()
  // One process doing the work (master_process off): the app is one process too, and a killed
  // bench leaves no orphaned nginx worker behind.
  const conf = `master_process off;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; }
  default_type text/html;
  sendfile on;
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 1024; # text/html is always compressed
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location / { try_files /index.html =404; }
  }
}
`
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf)
  const child = spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx dừng: ${stderr}`)
    try {
      if ((await fetch(`${base}/`)).status === 200) break
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`nginx không lên: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    base,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGQUIT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

// ─── Small helpers ───

export const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n)

/** A lesson page to measure: the first lesson of the basic-computing course (a typical one). */
export function benchLessonPath(contentDir = process.env.CONTENT_DIR ?? 'content'): string {
  const courseDir = path.join(contentDir, 'courses', 'tin-hoc-co-ban')
  const first = fs
    .readdirSync(courseDir)
    .filter((d) => /^\d+-/.test(d))
    .sort()[0]!
  return `/courses/tin-hoc-co-ban/${first.replace(/^\d+-/, '')}`
}

/** Runs fn, then always runs the clean-ups (last first), even after an error. */
export async function withCleanup<T>(fn: (defer: (cleanup: () => Promise<unknown> | unknown) => void) => Promise<T>): Promise<T> {
  const cleanups: Array<() => Promise<unknown> | unknown> = []
  try {
    return await fn((c) => cleanups.push(c))
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c()
      } catch (error) {
        console.error('dọn dẹp thất bại:', (error as Error).message)
      }
    }
  }
}
