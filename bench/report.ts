// `npm run bench:report`: the trained-staff report at province scale on real PostgreSQL
// (BENCH_SCALE=national: ≈ 11,000 agencies in 34 provinces, 2,000,000 staff, ≈ 20,000,000 enrolments).
//
// Since ADR 016 the loader reads the report counters; the live statement (sql.server.ts) is the
// anchor measured in the same run. Targets: province view ≤ 50 ms median, national ≤ 100 ms, one
// commune ≤ 20 ms, the period filter (live statement) ≤ 1.5 × raw SQL + 20 ms, write overhead of
// the counters' triggers ≤ 2 ms per enrolment and per completion (the same writes with the triggers
// disabled, same run), and the counters equal a full recomputation at the end.
//
// Creates its own database (banso_bench_report on the server of DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432), migrates it, generates the data set — the agency tree and
// the courses in SQL, the people and their learning streamed with COPY (bench/report-copy.ts;
// BENCH_STAFF changes the number of staff): the Lào Cai tree plus two schools under every commune and ward (≥ 300
// agencies), 100,000 linked staff + 5,000 unlinked, 12 courses, ≈ 1,020,000 enrolments, ≈ 60 %
// completed, certificates in every status (valid, no expiry, expiring, expired, revoked,
// superseded by a renewal) and overdue assignments. Then it times the report loader — the same
// function the /reports route calls — against the same SQL statements run directly on node-postgres,
// alternating, in the same run (BENCH_RUNS, default 5, after one warm-up), and prints median and p95, the ratio against the target
// "≤ 1.5 × raw SQL + 20 ms" and the number of queries per request. The database is dropped at the end.
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { seedAgencies } from '~/modules/agency/seed.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { advanceReportClock, countersReportSql, rebuildReportCounters } from '~/modules/report/counters.server'
import { reportParams, loadReport } from '~/modules/report/service.server'
import { reportSql } from '~/modules/report/sql.server'
import type { ReportFilters } from '~/modules/report/schema'
import { openDatabase, poolConfigFromUrl } from '~/utils/db.server'
import { migrate } from '~/utils/migrate.server'
import { copyBulk } from './report-copy'
import { generateInSql } from './report-gen-sql'
import { emitResults, type BenchRow } from './result'

const SERVER = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres'
const NATIONAL = process.env.BENCH_SCALE === 'national'
/** BENCH_DB: the database's name (default banso_bench_report, or …_national). */
const NAME = process.env.BENCH_DB?.trim() || (NATIONAL ? 'banso_bench_report_national' : 'banso_bench_report')
/** BENCH_STAFF: fewer (or more) linked staff on the same agency tree (while tuning; default 2,000,000 / 100,000). */
const STAFF = Number(process.env.BENCH_STAFF ?? (NATIONAL ? 2_000_000 : 100_000))
const UNLINKED = Math.round(STAFF / (NATIONAL ? 40 : 20))
const WRITES = Number(process.env.BENCH_WRITES ?? 200)
const COURSES = 12
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const WARMUP = 1
/** BENCH_KEEP=1: keep the database afterwards and reuse it next time (while tuning queries). */
const KEEP = process.env.BENCH_KEEP === '1'
/**
 * BENCH_GEN: how the big tables are generated — 'sql' (default: INSERT … SELECT generate_series in
 * the server, bench/report-gen-sql.ts, the two chains on two connections at once), 'sql1' (the
 * same on one connection), 'copy' (rows generated in Node.js and streamed with COPY … FREEZE,
 * bench/report-copy.ts).
 */
const GEN = (process.env.BENCH_GEN ?? 'sql') as 'sql' | 'sql1' | 'copy'
if (!['sql', 'sql1', 'copy'].includes(GEN)) throw new Error(`BENCH_GEN=${GEN}: sql, sql1 hoặc copy`)

const admin = async (sql: string) => {
  const client = new pg.Client({ ...poolConfigFromUrl(SERVER), database: 'postgres' })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

const url = new URL(SERVER)
url.pathname = `/${NAME}`
const log = (s: string) => process.stdout.write(`${s}\n`)
const t0 = performance.now()
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`

const exists = async () => {
  const client = new pg.Client({ ...poolConfigFromUrl(SERVER), database: 'postgres' })
  await client.connect()
  try {
    if ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAME])).rowCount !== 1) return false
  } finally {
    await client.end()
  }
  // Only a finished data set is reused (a run that failed half-way leaves no counters).
  const kept = new pg.Client({ ...poolConfigFromUrl(SERVER), database: NAME })
  await kept.connect()
  try {
    return (await kept.query(`SELECT to_regclass('report_counter') IS NOT NULL AND EXISTS (SELECT 1 FROM report_counter) AS done`)).rows[0].done === true
  } catch {
    return false
  } finally {
    await kept.end()
  }
}
const reuse = KEEP && (await exists())
if (!reuse) {
  await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)
  await admin(`CREATE DATABASE ${NAME}`)
}
const rows: BenchRow[] = []
let database: Awaited<ReturnType<typeof openDatabase>> | undefined
try {
  database = await openDatabase({ databaseUrl: url.toString(), pgliteDataDir: '', poolSize: 4 })
  const gen = new pg.Client(poolConfigFromUrl(url.toString()))
  await gen.connect()
  const step = async (label: string, sql: string) => {
    const started = performance.now()
    const r = await gen.query(sql)
    log(`  ${label}: ${r.rowCount ?? ''} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  // ── CPU time of the work, which a shared machine's load does not inflate ──
  // Node.js: process.cpuUsage(). PostgreSQL: utime + stime (/proc/<pid>/stat, 10 ms ticks) of every
  // server process of this database (backends and parallel workers), sampled every second by a
  // probe connection: a process first seen during the run counts from zero, one that exits counts
  // up to its last sample (a parallel worker may lose up to a second). Null when the server cannot
  // read /proc (not superuser, not Linux).
  const probe = new pg.Client(poolConfigFromUrl(url.toString()))
  await probe.connect()
  const cpuSeen = new Map<number, { base: number; last: number }>()
  let pgCpuOk = true
  let sampling = false
  const sampleCpu = async () => {
    if (!pgCpuOk || sampling) return
    sampling = true
    try {
      const r = await probe.query(
        `SELECT pid, pg_read_file('/proc/' || pid || '/stat', 0, 1000, true) AS stat FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [NAME],
      )
      for (const row of r.rows as { pid: number; stat: string | null }[]) {
        if (!row.stat) continue
        const f = row.stat.slice(row.stat.lastIndexOf(') ') + 2).split(' ')
        const ms = (Number(f[11]) + Number(f[12])) * 10
        const seen = cpuSeen.get(row.pid)
        if (seen) seen.last = ms
        else cpuSeen.set(row.pid, { base: firstSample ? ms : 0, last: ms })
      }
      firstSample = false
    } catch {
      pgCpuOk = false
    } finally {
      sampling = false
    }
  }
  let firstSample = true
  await sampleCpu()
  const sampler = setInterval(() => void sampleCpu(), 1000)
  sampler.unref()
  const pgCpuMs = () => [...cpuSeen.values()].reduce((a, v) => a + v.last - v.base, 0)
  const nodeCpuMs = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  interface Phase {
    label: string
    s: number
    nodeCpuS: number
    pgCpuS: number | null
    load: string
  }
  const phases: Phase[] = []
  const phase = async <T,>(label: string, fn: () => Promise<T>): Promise<T> => {
    await sampleCpu()
    const [w, n, c] = [performance.now(), nodeCpuMs(), pgCpuMs()]
    const loadBefore = os.loadavg()[0]!.toFixed(1)
    const result = await fn()
    await sampleCpu()
    const p: Phase = {
      label,
      s: (performance.now() - w) / 1000,
      nodeCpuS: (nodeCpuMs() - n) / 1000,
      pgCpuS: pgCpuOk ? (pgCpuMs() - c) / 1000 : null,
      load: `${loadBefore}→${os.loadavg()[0]!.toFixed(1)}`,
    }
    phases.push(p)
    log(`  ⏱ ${label}: ${p.s.toFixed(1)} s; CPU node ${p.nodeCpuS.toFixed(1)} s, PostgreSQL ${p.pgCpuS === null ? '?' : p.pgCpuS.toFixed(1)} s; tải ${p.load}`)
    return result
  }
  let generated: { ms: number; rebuildMs: number } | null = null
  if (!reuse) await generate()
  else {
    // A kept database: pending migrations are applied (the check at the end compares the counters
    // with a full recomputation, so a migration that changed their meaning shows as drift).
    const applied = (await migrate(database)).applied
    if (applied.length > 0) log(`  migration: ${applied.join(', ')}`)
  }
  async function generate() {
  const genStart = performance.now()
  await migrate(database!)
  if (!NATIONAL) await seedAgencies(database!.prisma)
  log(`Sinh dữ liệu trong ${NAME}…`)
  gen.on('error', (error) => log(`  (kết nối sinh dữ liệu: ${error.message})`))
  // Bench data only: the generator writes consistent rows, so foreign-key triggers — and the
  // report counters' triggers — are skipped for this session (superuser) and commits do not wait
  // for the disk. The counters are then computed once by the rebuild (timed below).
  await gen.query('SET synchronous_commit = off')
  await gen.query('SET session_replication_role = replica')
  await gen.query(`SET maintenance_work_mem = '1GB'`)
  // Bulk load: the secondary indexes of the big tables are dropped and built once at the end
  // (20 million index insertions at random places is most of the time otherwise).
  const BIG = ['app_user', 'staff_record', 'enrolment', 'quiz_attempt', 'course_completion', 'certificate']
  const secondary = (
    await gen.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [BIG],
    )
  ).rows as { indexname: string; indexdef: string }[]
  for (const i of secondary) await gen.query(`DROP INDEX "${i.indexname}"`)
  if (NATIONAL) {
    // 34 provinces (the first is Lào Cai, code LC, with the commune LC-X-BACHA), each with 20
    // departments and 100 communes with two schools each: 34 × 321 = 10,914 agencies.
    await step(
      'provinces, departments, communes',
      `INSERT INTO agency (code, name, type, parent_id, updated_at)
       SELECT CASE WHEN p = 1 THEN 'LC' ELSE 'P' || p END, 'Tỉnh ' || p, 'PROVINCE', NULL, now() FROM generate_series(1, 34) p;
       INSERT INTO agency (code, name, type, parent_id, updated_at)
       SELECT a.code || '-D' || d, 'Sở ' || d || ' ' || a.name, 'DEPARTMENT', a.id, now() FROM agency a, generate_series(1, 20) d WHERE a.type = 'PROVINCE';
       INSERT INTO agency (code, name, type, parent_id, updated_at)
       SELECT CASE WHEN a.code = 'LC' AND x = 1 THEN 'LC-X-BACHA' ELSE a.code || '-X' || x END, 'Xã ' || x || ' ' || a.name, 'COMMUNE', a.id, now()
       FROM agency a, generate_series(1, 100) x WHERE a.type = 'PROVINCE'`,
    )
  }
  await step(
    'agencies (schools under communes and wards)',
    `INSERT INTO agency (code, name, type, parent_id, updated_at)
     SELECT 'B-' || a.code || '-' || s, 'Trường ' || s || ' ' || a.name, 'SCHOOL', a.id, now()
     FROM agency a CROSS JOIN generate_series(1, 2) s WHERE a.type IN ('COMMUNE', 'WARD')`,
  )
  await step(
    'courses',
    `INSERT INTO course (slug, title, summary, audiences, topic, level, estimated_hours, standard_codes, pass_mark, validity_months, version, content_hash, updated_at)
     SELECT 'bench-' || i, 'Khoá đo ' || i, 'Chỉ dùng để đo', '{CIVIL_SERVANTS}', 'basic', 'basic', 2, '{}', 70, 24, '1', 'h' || i, now()
     FROM generate_series(1, ${COURSES}) i`,
  )
  // The big tables: generated in the server (BENCH_GEN=sql, bench/report-gen-sql.ts) or in Node.js
  // and streamed with COPY (BENCH_GEN=copy, bench/report-copy.ts).
  const agencies = (await gen.query(`SELECT id FROM agency WHERE status = 'ACTIVE' ORDER BY code`)).rows.map((r) => r.id as string)
  const courses = (await gen.query(`SELECT id FROM course WHERE slug LIKE 'bench-%' ORDER BY slug`)).rows.map((r) => r.id as string)
  const plan = { staff: STAFF, unlinked: UNLINKED, agencies, courses, now: new Date() }
  // A second connection of the generator (the second chain of BENCH_GEN=sql, the second half of the indexes).
  const gen2 = new pg.Client(poolConfigFromUrl(url.toString()))
  await gen2.connect()
  for (const c of [gen, gen2]) {
    await c.query('SET synchronous_commit = off')
    await c.query('SET session_replication_role = replica')
    await c.query(`SET maintenance_work_mem = '1GB'`)
    await c.query('SET jit = off')
  }
  await phase(`base tables (${GEN})`, async () => {
    if (GEN === 'copy') return copyBulk(gen, plan, log)
    const agenciesBefore = Number((await gen.query('SELECT count(*) AS n FROM agency')).rows[0].n)
    await gen.query('TRUNCATE app_user, staff_record, enrolment, quiz_attempt, course_completion, certificate CASCADE')
    if (Number((await gen.query('SELECT count(*) AS n FROM agency')).rows[0].n) !== agenciesBefore) throw new Error('TRUNCATE … CASCADE đã xoá cả cơ quan')
    await generateInSql(GEN === 'sql' ? [gen, gen2] : [gen], plan, log)
  })
  await step(
    'assignments',
    `INSERT INTO course_assignment (course_id, agency_id, job_titles, due_at)
     SELECT (SELECT id FROM course WHERE slug = 'bench-1'), (SELECT id FROM agency WHERE code = 'LC'), '{}'::text[], now() - interval '30 days'
     UNION ALL SELECT (SELECT id FROM course WHERE slug = 'bench-2'), (SELECT id FROM agency WHERE code = 'LC'), '{Giáo viên}'::text[], now() - interval '5 days'
     UNION ALL SELECT (SELECT id FROM course WHERE slug = 'bench-3'), id, '{}'::text[], now() - interval '1 day' FROM agency WHERE type = 'COMMUNE' AND status = 'ACTIVE'
     UNION ALL SELECT (SELECT id FROM course WHERE slug = 'bench-4'), (SELECT id FROM agency WHERE code = 'LC'), '{}'::text[], now() + interval '60 days'`,
  )
  // Secondary indexes after the load, on two connections at once (the biggest table's first, so the
  // two queues end together); each build sorts in maintenance_work_mem (1 GB). Parallel workers
  // of one build are left to the server's default: with other work on the two cores they add
  // little, and the two connections already use both.
  await phase(`${secondary.length} secondary indexes (two connections)`, async () => {
    const sizes = new Map(
      (await gen.query(`SELECT relname, pg_relation_size(oid) AS b FROM pg_class WHERE relname = ANY($1::text[])`, [BIG])).rows.map((r) => [r.relname as string, Number(r.b)]),
    )
    const table = (def: string) => BIG.find((t) => def.includes(` ON public.${t} `) || def.includes(` ON ${t} `)) ?? ''
    const queue = [...secondary].sort((a, b) => (sizes.get(table(b.indexdef)) ?? 0) - (sizes.get(table(a.indexdef)) ?? 0))
    const worker = async (c: pg.Client) => {
      for (let i = queue.shift(); i; i = queue.shift()) await c.query(i.indexdef)
    }
    await Promise.all([worker(gen), worker(gen2)])
  })
  // As autovacuum would after a bulk load: statistics, and the visibility map for index-only
  // scans (rows inserted by INSERT … SELECT are not frozen: this pass sets their hint bits too).
  await phase('VACUUM ANALYZE', async () => {
    const tables = [...BIG, 'agency', 'course', 'course_assignment']
    const worker = async (c: pg.Client) => {
      for (let t = tables.shift(); t; t = tables.shift()) await c.query(`VACUUM ANALYZE ${t}`)
    }
    await Promise.all([worker(gen), worker(gen2)])
  })
  await gen2.end()
  // The counters of everything generated (the triggers were off): the repair command, timed. From
  // empty tables it writes every person's flags with one set-based INSERT … SELECT (report_all_flags)
  // and the counters with one GROUP BY of them.
  const genMs = performance.now() - genStart
  const rebuilt = await phase('counters (report:rebuild from empty)', () => rebuildReportCounters(database!.prisma))
  log(`  bộ đếm báo cáo (report:rebuild): ${rebuilt.people} dòng cờ, ${rebuilt.counters} bộ đếm (${(rebuilt.ms / 1000).toFixed(1)} s)`)
  generated = { ms: genMs, rebuildMs: rebuilt.ms }
  // Statistics for the planner (report_person is only read by primary key: no VACUUM needed).
  await phase('statistics of the counters', async () => {
    await gen.query('ANALYZE report_person')
    await gen.query('VACUUM ANALYZE report_counter, agency_closure')
  })
  const total = phases.reduce((a, p) => ({ s: a.s + p.s, node: a.node + p.nodeCpuS, pg: a.pg + (p.pgCpuS ?? 0) }), { s: 0, node: 0, pg: 0 })
  log(`  ⏱ tổng các pha: ${total.s.toFixed(1)} s; CPU node ${total.node.toFixed(1)} s, PostgreSQL ${total.pg.toFixed(1)} s`)
  }
  const counts = (
    await gen.query(`SELECT (SELECT count(*) FROM agency)::int AS agencies, (SELECT count(*) FROM staff_record)::int AS staff,
      (SELECT count(*) FROM enrolment)::int AS enrolments, (SELECT count(*) FROM certificate)::int AS certificates,
      (SELECT count(*) FROM certificate WHERE revoked_at IS NOT NULL)::int AS revoked,
      (SELECT count(*) FROM certificate WHERE superseded_by_id IS NOT NULL)::int AS superseded,
      (SELECT count(*) FROM certificate WHERE expires_at < now() AND revoked_at IS NULL AND superseded_by_id IS NULL)::int AS expired,
      (SELECT count(*) FROM certificate WHERE expires_at >= now() AND expires_at < now() + interval '60 days')::int AS expiring`)
  ).rows[0] as Record<string, number>
  log(`Dữ liệu: ${JSON.stringify(counts)} — ${since()}`)
  if (generated) {
    const g: { ms: number; rebuildMs: number } = generated
    rows.push({
      scenario: 'report',
      metric: `data set generation with its counters${NATIONAL ? ' (national data set)' : ''}, s`,
      product: Math.round((g.ms + g.rebuildMs) / 100) / 10,
      anchor: null,
      unit: 's',
      ratio: null,
      target: NATIONAL ? '< 600 s' : null,
      pass: NATIONAL ? g.ms + g.rebuildMs < 600_000 : null,
      note: `BENCH_GEN=${GEN}: ${(g.ms / 1000).toFixed(1)} s of base tables, secondary indexes and VACUUM, then report:rebuild ${(g.rebuildMs / 1000).toFixed(1)} s; phases: ${phases.map((p) => `${p.label} ${p.s.toFixed(1)} s (CPU node ${p.nodeCpuS.toFixed(1)} s, PostgreSQL ${p.pgCpuS === null ? '?' : p.pgCpuS.toFixed(1)} s, load ${p.load})`).join('; ')}; ${counts.agencies} agencies, ${counts.staff} staff, ${counts.enrolments} enrolments, ${counts.certificates} certificates`,
    })
  }

  // BENCH_GEN_ONLY=1: the generation alone (comparing generators), nothing measured after it.
  measured: {
  if (process.env.BENCH_GEN_ONLY === '1') break measured
  // ── Timing ──
  // As the server does at start (and every minute): the expiry job brings the counters to now.
  const jobStart = performance.now()
  const moved = await advanceReportClock(database.prisma)
  log(`Việc cập nhật hết hạn: ${moved ?? 0} người (${(performance.now() - jobStart).toFixed(0)} ms)`)
  const prisma = database.prisma
  const province = await prisma.agency.findUniqueOrThrow({ where: { code: 'LC' } })
  const adminUser = await prisma.user.upsert({
    where: { email: 'admin@bench.example' },
    update: {},
    create: { fullName: 'Quản trị đo', email: 'admin@bench.example', kind: 'CIVIL_SERVANT', agencyId: province.id },
  })
  const adminActor: Actor = { id: adminUser.id, roles: [{ role: 'ADMIN', agencyId: null }] }
  const commune = await prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
  const managerActor: Actor = { id: adminUser.id, roles: [{ role: 'AGENCY_MANAGER', agencyId: commune.id }] }
  const course1 = await prisma.course.findUniqueOrThrow({ where: { slug: 'bench-1' } })
  const raw = new pg.Pool({ ...poolConfigFromUrl(url.toString()), max: 4 })
  const COURSE_SQL = `SELECT id::text AS id, title FROM course WHERE retired_at IS NULL ORDER BY title`

  const provinceActor: Actor = { id: adminUser.id, roles: [{ role: 'AGENCY_MANAGER', agencyId: province.id }] }
  // At province scale the admin's view is the province; at national scale it is the 34 provinces
  // and the province view is a province manager's.
  const scenarios: { name: string; actor: Actor; filters: ReportFilters; targetMs: number | null }[] = [
    { name: 'province, all courses', actor: NATIONAL ? provinceActor : adminActor, filters: {}, targetMs: 50 },
    { name: 'province, one course + type', actor: NATIONAL ? provinceActor : adminActor, filters: { course: course1.id, type: 'COMMUNE' }, targetMs: 50 },
    ...(NATIONAL ? [{ name: 'national, all courses (admin)', actor: adminActor, filters: {}, targetMs: 100 }] : []),
    { name: 'one commune (manager)', actor: managerActor, filters: {}, targetMs: 20 },
    // A completion period is answered by the live statement (ADR 016): the old target.
    { name: 'province, one course + period + type (live)', actor: NATIONAL ? provinceActor : adminActor, filters: { course: course1.id, from: '2025-01-01', to: '2026-12-31', type: 'COMMUNE' }, targetMs: null },
  ]
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!

  // Queries per request: every statement node-postgres sends while the loader runs.
  const original = pg.Client.prototype.query
  let statements = 0
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof original
  await loadReport(prisma, adminActor, {})
  statements = 0
  await loadReport(prisma, adminActor, {})
  const queryCount = statements
  pg.Client.prototype.query = original

  log(`\nĐo báo cáo: ${RUNS} lần mỗi kịch bản (sau ${WARMUP} lần làm nóng); mốc: câu lệnh trực tiếp (sql.server.ts) cùng lần chạy.`)
  log(['kịch bản', 'loader trung vị', 'loader p95', 'SQL bộ đếm', 'SQL trực tiếp trung vị', 'mục tiêu', 'đạt'].join('\t'))
  // The live statement is the anchor; at national scale it takes about a minute, so it runs once.
  const liveRuns = NATIONAL ? 1 : RUNS
  for (const s of scenarios) {
    const now = new Date()
    const params = reportParams(s.actor, s.filters, now)
    const live = reportSql(params)
    const counters = s.targetMs === null ? live : countersReportSql(params)
    const loaderMs: number[] = []
    const countersMs: number[] = []
    const rawMs: number[] = []
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let start = performance.now()
      await loadReport(prisma, s.actor, s.filters, now)
      const l = performance.now() - start
      start = performance.now()
      await Promise.all([raw.query(counters.text, counters.values as unknown[]), raw.query(COURSE_SQL)])
      const c = performance.now() - start
      if (i >= WARMUP) {
        loaderMs.push(l)
        countersMs.push(c)
      }
    }
    for (let i = 0; i < (s.targetMs === null ? RUNS : liveRuns); i++) {
      const start = performance.now()
      await raw.query(live.text, live.values as unknown[])
      rawMs.push(performance.now() - start)
    }
    const lm = median(loaderMs)
    const rm = s.targetMs === null ? median(countersMs) : median(rawMs)
    const limit = s.targetMs ?? 1.5 * rm + 20
    const pass = lm <= limit
    const target = s.targetMs === null ? '≤ 1.5× raw SQL + 20 ms' : `≤ ${s.targetMs} ms median`
    const load = os.loadavg()[0]!.toFixed(1)
    log([s.name, lm.toFixed(1), p95(loaderMs).toFixed(1), median(countersMs).toFixed(1), median(rawMs).toFixed(1), target, pass ? 'có' : 'KHÔNG', `tải ${load}`].join('\t'))
    rows.push({
      scenario: 'report',
      metric: `report loader, ${s.name}${NATIONAL ? ' (national data set)' : ''}, median ms`,
      product: Math.round(lm * 10) / 10,
      anchor: Math.round(rm * 10) / 10,
      unit: 'ms',
      ratio: Math.round((lm / rm) * 100) / 100,
      target,
      pass,
      note: `${s.targetMs === null ? 'anchor: the same statement run directly' : 'anchor: the live statement (no counters)'}; load average ${load}; counters statement alone ${median(countersMs).toFixed(1)} ms; p95 loader ${p95(loaderMs).toFixed(1)} ms; ${counts.agencies} agencies, ${counts.staff} staff, ${counts.enrolments} enrolments, ${counts.certificates} certificates`,
    })
  }

  // ── Write overhead of the counters' triggers: the same writes with the triggers on and off ──
  // Single-row autocommitted statements, as the learning pages write them: an enrolment, then its
  // completion. "Off": the report triggers disabled (ALTER TABLE … DISABLE TRIGGER), on other
  // learners, whose rows are removed again (still with the triggers off) so the counters stay
  // exact. Each batch alternates on/off.
  const writer = new pg.Client(poolConfigFromUrl(url.toString()))
  await writer.connect()
  const bench12 = (await writer.query(`SELECT id FROM course WHERE slug = 'bench-${COURSES}'`)).rows[0].id as string
  const learners = (
    await writer.query(
      `SELECT u.id FROM app_user u JOIN staff_record s ON s.user_id = u.id
       WHERE u.email LIKE '%@bench.example' AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.user_id = u.id AND e.course_id = $1)
       ORDER BY u.id LIMIT $2`,
      [bench12, 2 * WRITES + 1],
    )
  ).rows.map((r) => r.id as string)
  // One more learner, enrolled, completed and removed again (triggers on) before each timed batch
  // with the triggers: enabling them is DDL, which invalidates the session's cached plans, and a
  // learner's server process plans its statements once, not once per forty writes.
  const warm = learners.pop()!
  const warmUp = async () => {
    await writer.query('INSERT INTO enrolment (user_id, course_id) VALUES ($1, $2)', [warm, bench12])
    await writer.query('UPDATE enrolment SET completed_at = now() WHERE user_id = $1 AND course_id = $2', [warm, bench12])
    await writer.query('DELETE FROM enrolment WHERE user_id = $1 AND course_id = $2', [warm, bench12])
  }
  const toggle = (on: boolean) =>
    writer.query(`ALTER TABLE enrolment ${on ? 'ENABLE' : 'DISABLE'} TRIGGER report_enrolment_insert;
                  ALTER TABLE enrolment ${on ? 'ENABLE' : 'DISABLE'} TRIGGER report_enrolment_update;
                  ALTER TABLE enrolment ${on ? 'ENABLE' : 'DISABLE'} TRIGGER report_enrolment_delete`)
  const timed = { on: { enrol: 0, complete: 0, n: 0 }, off: { enrol: 0, complete: 0, n: 0 } }
  // Also the CPU time of the writing backend (utime + stime of /proc/<backend>/stat, 10 ms ticks),
  // which a loaded machine does not inflate; null when the server cannot read it (not superuser,
  // not Linux).
  const cpu = { on: { enrol: 0, complete: 0 }, off: { enrol: 0, complete: 0 } }
  let cpuOk = true
  const backendCpu = async (): Promise<number> => {
    if (!cpuOk) return 0
    try {
      const stat = String((await writer.query(`SELECT pg_read_file('/proc/self/stat') AS s`)).rows[0].s)
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
      return (Number(f[11]) + Number(f[12])) * 10
    } catch {
      cpuOk = false
      return 0
    }
  }
  const BATCH = 40
  for (let b = 0; b * BATCH * 2 < learners.length; b++) {
    for (const mode of ['on', 'off'] as const) {
      const batch = learners.slice((2 * b + (mode === 'on' ? 0 : 1)) * BATCH, (2 * b + (mode === 'on' ? 1 : 2)) * BATCH)
      if (batch.length === 0) continue
      if (mode === 'off') await toggle(false)
      else await warmUp()
      let c = await backendCpu()
      let start = performance.now()
      for (const id of batch) await writer.query('INSERT INTO enrolment (user_id, course_id) VALUES ($1, $2)', [id, bench12])
      timed[mode].enrol += performance.now() - start
      cpu[mode].enrol += (await backendCpu()) - c
      c = await backendCpu()
      start = performance.now()
      for (const id of batch) await writer.query('UPDATE enrolment SET completed_at = now() WHERE user_id = $1 AND course_id = $2', [id, bench12])
      timed[mode].complete += performance.now() - start
      cpu[mode].complete += (await backendCpu()) - c
      timed[mode].n += batch.length
      if (mode === 'off') {
        await writer.query('DELETE FROM enrolment WHERE user_id = ANY($1::uuid[]) AND course_id = $2', [batch, bench12])
        await toggle(true)
      }
    }
  }
  await writer.end()
  for (const op of ['enrol', 'complete'] as const) {
    const on = timed.on[op] / timed.on.n
    const off = timed.off[op] / timed.off.n
    const added = on - off
    const cpuAdded = cpuOk ? (cpu.on[op] / timed.on.n - cpu.off[op] / timed.off.n).toFixed(2) : null
    log(
      `Chi phí ghi thêm mỗi ${op === 'enrol' ? 'lần ghi danh' : 'lần hoàn thành'}: ${added.toFixed(2)} ms (${on.toFixed(2)} so với ${off.toFixed(2)} ms, ${timed.on.n} + ${timed.off.n} lần)` +
        (cpuAdded === null ? '' : `; CPU của tiến trình máy chủ: +${cpuAdded} ms`) +
        `; tải ${os.loadavg()[0]!.toFixed(1)}`,
    )
    rows.push({
      scenario: 'report',
      metric: `counters write overhead per ${op === 'enrol' ? 'enrolment' : 'completion'}${NATIONAL ? ' (national data set)' : ''}, ms added`,
      product: Math.round(added * 100) / 100,
      anchor: Math.round(off * 100) / 100,
      unit: 'ms',
      ratio: Math.round((on / off) * 100) / 100,
      target: '≤ 2 ms added per operation',
      pass: added <= 2,
      note: `anchor: the same single-row write with the report triggers disabled; ${timed.on.n} writes each way${cpuAdded === null ? '' : `; server backend CPU added ${cpuAdded} ms per write`}`,
    })
  }

  // ── Large writes: an assignment on the province root, a move of the whole province ──
  // Each in its own transaction with the triggers on (what the admin waits for), then undone.
  const big = new pg.Client(poolConfigFromUrl(url.toString()))
  await big.connect()
  // Since the amendment of 2026-12-08 every refresh runs in the writer's transaction (set-based,
  // report_refresh_overdue): the write is timed (what the admin waits for) with its server CPU
  // time; while it runs, the province view is loaded again and again on other connections (readers
  // see the last committed counters and are not blocked); right after its commit, the view again
  // (exact at once: the property test checks it), each with the load average. Nothing is queued.
  const viewActor = NATIONAL ? provinceActor : adminActor
  const bigCpu = async (): Promise<number | null> => {
    try {
      const stat = String((await big.query(`SELECT pg_read_file('/proc/self/stat') AS s`)).rows[0].s)
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
      return (Number(f[11]) + Number(f[12])) * 10
    } catch {
      return null
    }
  }
  const timedWrite = async (label: string, sql: string, values: unknown[]) => {
    const cpu0 = await bigCpu()
    const loadBefore = os.loadavg()[0]!.toFixed(1)
    const start = performance.now()
    let writing = true
    const write = big.query(sql, values).finally(() => {
      writing = false
    })
    const during: number[] = []
    while (writing) {
      const t = performance.now()
      await loadReport(prisma, viewActor, {})
      if (writing) during.push(performance.now() - t)
    }
    await write
    const ms = performance.now() - start
    const cpu1 = await bigCpu()
    const cpuMs = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0
    const queued = Number((await big.query('SELECT count(*)::int AS n FROM report_pending')).rows[0].n)
    const after: number[] = []
    for (let i = 0; i < 9; i++) {
      const t = performance.now()
      await loadReport(prisma, viewActor, {})
      after.push(performance.now() - t)
    }
    const load = `${loadBefore}→${os.loadavg()[0]!.toFixed(1)}`
    const extra =
      `server CPU ${cpuMs === null ? '?' : `${cpuMs} ms`}; province view while it ran: median ${during.length ? median(during).toFixed(1) : '–'} ms (${during.length} loads, max ${during.length ? Math.max(...during).toFixed(1) : '–'}), ` +
      `right after its commit: median ${median(after).toFixed(1)} ms; queued for a job: ${queued}`
    log(`${label}: ${ms.toFixed(0)} ms (tải ${load}); ${extra}`)
    rows.push({
      scenario: 'report',
      metric: `${label}${NATIONAL ? ' (national data set)' : ''}, the writing transaction, ms`,
      product: Math.round(ms),
      anchor: null,
      unit: 'ms',
      ratio: null,
      target: null,
      pass: null,
      note: `every refresh in the writer's transaction; ${counts.staff} staff; ${extra}; load ${load}`,
    })
    rows.push({
      scenario: 'report',
      metric: `province view while (and right after) ${label}${NATIONAL ? ' (national data set)' : ''}, median ms`,
      product: Math.round(Math.max(during.length ? median(during) : 0, median(after)) * 10) / 10,
      anchor: null,
      unit: 'ms',
      ratio: null,
      target: '≤ 50 ms median',
      pass: (during.length ? median(during) : 0) <= 50 && median(after) <= 50 && queued === 0,
      note: `the larger of the two medians (while: ${during.length} loads); queued ${queued}; load ${load}`,
    })
  }
  const bench5 = (await big.query(`SELECT id FROM course WHERE slug = 'bench-5'`)).rows[0].id as string
  const provinceStaff = Number(
    (await big.query(`SELECT count(*)::int AS n FROM staff_record s JOIN agency_closure cl ON cl.descendant_id = s.agency_id WHERE cl.ancestor_id = $1`, [province.id])).rows[0].n,
  )
  await timedWrite(
    `assignment of one course on the province root (${provinceStaff} staff below), past due`,
    `INSERT INTO course_assignment (course_id, agency_id, job_titles, due_at) VALUES ($1, $2, '{}', now() - interval '1 day')`,
    [bench5, province.id],
  )
  await timedWrite(`the same assignment removed`, `DELETE FROM course_assignment WHERE course_id = $1 AND agency_id = $2`, [bench5, province.id])
  // The usual case: a due date ahead (nobody's figures change until it passes; the expiry job then
  // refreshes the people falling due).
  await timedWrite(
    `assignment of one course on the province root (${provinceStaff} staff below), due in 30 days`,
    `INSERT INTO course_assignment (course_id, agency_id, job_titles, due_at) VALUES ($1, $2, '{}', now() + interval '30 days')`,
    [bench5, province.id],
  )
  await timedWrite(`the same assignment removed (not due)`, `DELETE FROM course_assignment WHERE course_id = $1 AND agency_id = $2`, [bench5, province.id])
  // Time alone: a province-wide assignment falls due. Until the expiry job's next round (every
  // minute) the view recomputes the people concerned at read time; then the job refreshes them
  // (set-based since 2026-12-08, under the lock every writer of counters waits for).
  {
    await advanceReportClock(prisma)
    await big.query(`INSERT INTO course_assignment (course_id, agency_id, job_titles, due_at) VALUES ($1, $2, '{}', now() + interval '2 seconds')`, [bench5, province.id])
    await new Promise((r) => setTimeout(r, 3000))
    const before: number[] = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      await loadReport(prisma, viewActor, {})
      before.push(performance.now() - t)
    }
    const loadBefore = os.loadavg()[0]!.toFixed(1)
    const t = performance.now()
    const n = await advanceReportClock(prisma)
    const jobMs = performance.now() - t
    const after: number[] = []
    for (let i = 0; i < 9; i++) {
      const t2 = performance.now()
      await loadReport(prisma, viewActor, {})
      after.push(performance.now() - t2)
    }
    const load = `${loadBefore}→${os.loadavg()[0]!.toFixed(1)}`
    const note = `province view after it fell due, before the job: median ${median(before).toFixed(0)} ms; the expiry job ${(jobMs / 1000).toFixed(1)} s for ${n ?? 0} people; the view after the job: median ${median(after).toFixed(1)} ms`
    log(`assignment on the province root falling due: ${note} (tải ${load})`)
    rows.push({
      scenario: 'report',
      metric: `the expiry job when an assignment on the province root falls due${NATIONAL ? ' (national data set)' : ''}, ms`,
      product: Math.round(jobMs),
      anchor: null,
      unit: 'ms',
      ratio: null,
      target: null,
      pass: null,
      note: `${note}; load ${load}`,
    })
    await big.query(`DELETE FROM course_assignment WHERE course_id = $1 AND agency_id = $2`, [bench5, province.id])
  }
  // Moves: a commune and its schools into another province (it loses the province's
  // assignments), and the whole province under another province that holds an assignment (every
  // person below gains it: the worst case), each undone.
  const communeParent = (await big.query(`SELECT parent_id FROM agency WHERE id = $1`, [commune.id])).rows[0].parent_id as string
  const elsewhere = (
    await big.query(`SELECT id FROM agency WHERE id <> $1 AND id <> $2 AND type = ANY('{PROVINCE,DEPARTMENT}'::"AgencyType"[]) AND status = 'ACTIVE'
      AND NOT EXISTS (SELECT 1 FROM agency_closure cl WHERE cl.descendant_id = agency.id AND cl.ancestor_id = $1) ORDER BY code LIMIT 1`, [province.id, communeParent])
  ).rows[0]?.id as string | undefined
  if (elsewhere) {
    await timedWrite(`move of a commune and its schools out of the province`, `UPDATE agency SET parent_id = $2 WHERE id = $1`, [commune.id, elsewhere])
    await timedWrite(`and back`, `UPDATE agency SET parent_id = $2 WHERE id = $1`, [commune.id, communeParent])
  }
  if (NATIONAL && elsewhere) {
    const bench6 = (await big.query(`SELECT id FROM course WHERE slug = 'bench-6'`)).rows[0].id as string
    await big.query(`INSERT INTO course_assignment (course_id, agency_id, job_titles, due_at) VALUES ($1, $2, '{}', now() - interval '1 day')`, [bench6, elsewhere])
    await timedWrite(`move of the whole province (${provinceStaff} staff) under a province with an assignment`, `UPDATE agency SET parent_id = $2 WHERE id = $1`, [province.id, elsewhere])
    await timedWrite(`and back to the root`, `UPDATE agency SET parent_id = NULL WHERE id = $1`, [province.id])
    await big.query(`DELETE FROM course_assignment WHERE course_id = $1 AND agency_id = $2`, [bench6, elsewhere])
  }
  await big.end()

  // ── Counters = recomputation at the end (after the writes above) ──
  const check = await rebuildReportCounters(prisma)
  log(`Bộ đếm so với tính lại từ đầu: ${check.drift.length === 0 ? 'khớp' : `${check.drift.length} số liệu lệch`} (tính lại ${(check.ms / 1000).toFixed(1)} s)`)
  rows.push({
    scenario: 'report',
    metric: `counters drifted from a full recomputation at the end${NATIONAL ? ' (national data set)' : ''}`,
    product: check.drift.length,
    anchor: null,
    unit: 'count',
    ratio: null,
    target: '0',
    pass: check.drift.length === 0,
    note: `report:rebuild took ${(check.ms / 1000).toFixed(1)} s for ${check.people} flag rows`,
  })
  log(`Số truy vấn mỗi lần tải báo cáo: ${queryCount} (giới hạn 3)`)
  rows.push({
    scenario: 'report',
    metric: 'queries per report request',
    product: queryCount,
    anchor: null,
    unit: 'count',
    ratio: null,
    target: '≤ 3',
    pass: queryCount <= 3,
  })
  await raw.end()
  }
  clearInterval(sampler)
  await probe.end()
  await gen.end()
} finally {
  await database?.close()
  if (KEEP) log(`Giữ lại ${NAME} (BENCH_KEEP=1). Tổng thời gian ${since()}.`)
  else {
    await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)
    log(`Đã xoá ${NAME}. Tổng thời gian ${since()}.`)
  }
}
emitResults(rows)
