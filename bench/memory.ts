// PGlite mode's memory (issue 21; docs/decisions/003, amendment "memory"): the server's resident
// memory in embedded-database mode, first start on a new folder and a restart on it, idle and after
// an anonymous page load, against the same server on PostgreSQL measured in the same run (the
// anchor). A probe (bench/memory-probe.mjs) splits each figure into the V8 heap, external memory
// (the WASM memories of PGlite's PostgreSQL and Prisma's query compiler, and Buffers) and the rest
// (code, native allocations, thread stacks, memory freed but not returned to the system).
// `npm run bench:memory`; not part of `npm run bench` (its ten-minute budget is spent).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { emitResults, type BenchRow } from './result'
import { createBenchDatabase, startApp, type AppServer } from './support'

const COURSE = 'tin-hoc-co-ban'
/** The home page, the catalogue, one course and every one of its lessons, anonymously. */
const PAGES = [
  '/',
  '/courses',
  `/courses/${COURSE}`,
  ...fs
    .readdirSync(path.join(process.env.CONTENT_DIR ?? 'content', 'courses', COURSE))
    .filter((d) => /^\d+-/.test(d))
    .map((d) => `/courses/${COURSE}/${d.replace(/^\d+-/, '')}`),
]
const ROUNDS = 5
const PROBE = path.resolve('bench/memory-probe.mjs')

interface Split {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10

async function probe(app: AppServer, file: string): Promise<Split> {
  fs.rmSync(file, { force: true })
  process.kill(app.pid, 'SIGUSR2')
  const deadline = Date.now() + 10_000
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  await new Promise((r) => setTimeout(r, 50))
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Split
}

async function pageLoad(app: AppServer): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of PAGES) {
      const r = await fetch(app.base + page)
      await r.arrayBuffer()
      if (r.status !== 200) throw new Error(`${page}: HTTP ${r.status}`)
    }
  }
}

function show(label: string, s: Split) {
  console.log(`${label.padEnd(42)} RSS ${mb(s.rss)} MB = V8 heap ${mb(s.heapTotal)} (used ${mb(s.heapUsed)}) + external ${mb(s.external)} + the rest ${mb(s.rss - s.heapTotal - s.external)}`)
}

const rows: BenchRow[] = []
const probeFile = path.join(os.tmpdir(), `banso-memory-${process.pid}.json`)
const env = { NODE_OPTIONS: `--import ${PROBE}`, BANSO_MEMORY_PROBE: probeFile }

// The anchor: the same server on PostgreSQL, after the same load.
const database = await createBenchDatabase()
let anchor: Split
try {
  const app = await startApp({ databaseUrl: database.url, env })
  try {
    await pageLoad(app)
    anchor = await probe(app, probeFile)
    show('PostgreSQL, after the load', anchor)
  } finally {
    await app.stop()
  }
} finally {
  await database.drop()
}

const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-memory-'))
try {
  for (const start of ['first start (new folder)', 'restart'] as const) {
    const app = await startApp({ pgliteDir, env })
    try {
      const idle = await probe(app, probeFile)
      show(`PGlite, ${start}, idle`, idle)
      await pageLoad(app)
      const loaded = await probe(app, probeFile)
      show(`PGlite, ${start}, after the load`, loaded)
      rows.push({
        scenario: 'memory',
        metric: `PGlite server RSS, ${start}, after the load`,
        product: mb(loaded.rss),
        anchor: mb(anchor.rss),
        unit: 'MB',
        ratio: Math.round((loaded.rss / anchor.rss) * 100) / 100,
        target: null,
        pass: null,
        note: `anchor: the PostgreSQL-mode server after the same load; idle ${mb(idle.rss)} MB; V8 heap ${mb(loaded.heapTotal)}, external ${mb(loaded.external)} MB (PostgreSQL mode: ${mb(anchor.heapTotal)}, ${mb(anchor.external)})`,
      })
    } finally {
      await app.stop()
    }
  }
} finally {
  fs.rmSync(pgliteDir, { recursive: true, force: true })
  fs.rmSync(probeFile, { force: true })
}
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
emitResults(rows)
