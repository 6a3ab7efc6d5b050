// Vitest globalSetup (vitest.config.ts): what one run shares between its workers, made and removed
// here in Vitest's main process.
// - The run's id and temporary folder (tests/setup/test-run.ts): the seeded templates of the run
//   (tests/setup/test-database.ts, openSeededDatabase) are named after it and removed at its end.
// - With DATABASE_URL, the drops of the test files' PostgreSQL databases while the run goes on.
//   PostgreSQL makes every DROP DATABASE wait for a checkpoint of the whole server (0.2 to 6 s
//   each on the shared 2-core machine, docs/decisions/019), and each file used to wait for its own
//   drop before its worker could start the next file. A file now closes its pool (every connection
//   really ended: Database.close()) and leaves the name in a queue folder; this loop drops them one
//   at a time, and the run ends only when the queue is empty.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { poolConfigFromUrl } from '~/utils/db.server'
import { DROP_QUEUE_ENV, RUN_DIR_ENV, RUN_ENV, SEEDED_TEMPLATE, seededTemplateName } from './test-run'

const TEST_DATABASE = /^banso_t_[0-9]+_[0-9a-f]{8}$/
const RUN_DIR = /^banso-test-run-([0-9]+)_[0-9a-f]{8}$/
/** No run lasts a day: what an interrupted run left older than that is removed by the next one. */
const STALE_SECONDS = 24 * 3600

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...poolConfigFromUrl(serverUrl), database: 'postgres' })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const drop = (serverUrl: string, name: string) => withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))

export default function setup(): () => Promise<void> {
  const run = `${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`
  const runDir = path.join(os.tmpdir(), `banso-test-run-${run}`)
  fs.mkdirSync(runDir)
  // Forked workers inherit the environment of this process.
  process.env[RUN_ENV] = run
  process.env[RUN_DIR_ENV] = runDir
  const now = Math.floor(Date.now() / 1000)
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const m = RUN_DIR.exec(entry)
    if (m && now - Number(m[1]) > STALE_SECONDS) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true })
  }
  const serverUrl = process.env.DATABASE_URL?.trim()
  const clearRun = () => {
    fs.rmSync(runDir, { recursive: true, force: true })
    delete process.env[RUN_ENV]
    delete process.env[RUN_DIR_ENV]
  }
  if (!serverUrl) return async () => clearRun()

  const queue = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-drop-queue-'))
  process.env[DROP_QUEUE_ENV] = queue
  let finishing = false
  let dropped = 0
  let dropMs = 0
  const failures: string[] = []
  const dropAll = async (names: string[], server = () => serverUrl) => {
    for (const name of names) {
      const started = Date.now()
      try {
        await drop(server(), name)
        dropped++
        dropMs += Date.now() - started
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`)
      }
    }
  }
  const dropper = (async () => {
    // Seeded templates of runs that were interrupted (a day old), while the first files start.
    const stale = await withAdmin(serverUrl, (c) => c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'banso\\_seed\\_%'`)).catch(() => ({ rows: [] }))
    await dropAll(stale.rows.map((r) => r.datname).filter((n) => now - Number(SEEDED_TEMPLATE.exec(n)?.[1] ?? now) > STALE_SECONDS))
    for (;;) {
      const names = fs.readdirSync(queue).filter((f) => TEST_DATABASE.test(f))
      for (const name of names) {
        const file = path.join(queue, name)
        // The file holds the server the database is on.
        await dropAll([name], () => fs.readFileSync(file, 'utf8')).finally(() => fs.rmSync(file, { force: true }))
      }
      if (names.length === 0) {
        if (finishing) return
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  })()
  return async () => {
    finishing = true
    await dropper
    // This run's seeded templates: no file copies them any more.
    const built = await withAdmin(serverUrl, (c) => c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[true, false].map((demo) => seededTemplateName(run, demo))]))
    await dropAll(built.rows.map((r) => r.datname))
    fs.rmSync(queue, { recursive: true, force: true })
    delete process.env[DROP_QUEUE_ENV]
    clearRun()
    if (dropped) console.log(`[test] ${dropped} cơ sở dữ liệu kiểm thử đã được xoá song song với các tệp (${(dropMs / 1000).toFixed(1)} s)`)
    if (failures.length) throw new Error(`test databases not dropped:\n${failures.join('\n')}`)
  }
}
