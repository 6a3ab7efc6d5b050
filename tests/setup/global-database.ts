// Vitest globalSetup (vitest.config.ts): drops the PostgreSQL databases of the test files while the
// run goes on. PostgreSQL makes every DROP DATABASE wait for a checkpoint of the whole server
// (0.2 to 6 s each on the shared 2-core machine, docs/decisions/019), and each file used to wait
// for its own drop before its worker could start the next file. A file now closes its pool (every connection
// really ended: Database.close()) and leaves the name in a queue folder; this loop, in Vitest's
// main process, drops them one at a time, and the run ends only when the queue is empty.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { poolConfigFromUrl } from '~/utils/db.server'
import { DROP_QUEUE_ENV } from './test-database'

const TEST_DATABASE = /^banso_t_[0-9]+_[0-9a-f]{8}$/

async function drop(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ ...poolConfigFromUrl(serverUrl), database: 'postgres' })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

export default function setup(): (() => Promise<void>) | undefined {
  if (!process.env.DATABASE_URL?.trim()) return undefined
  const queue = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-drop-queue-'))
  // Forked workers inherit the environment of this process.
  process.env[DROP_QUEUE_ENV] = queue
  let finishing = false
  let dropped = 0
  let dropMs = 0
  const failures: string[] = []
  const dropper = (async () => {
    for (;;) {
      const names = fs.readdirSync(queue).filter((f) => TEST_DATABASE.test(f))
      for (const name of names) {
        const file = path.join(queue, name)
        const started = Date.now()
        try {
          await drop(fs.readFileSync(file, 'utf8'), name)
          dropped++
          dropMs += Date.now() - started
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message}`)
        }
        fs.rmSync(file, { force: true })
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
    fs.rmSync(queue, { recursive: true, force: true })
    delete process.env[DROP_QUEUE_ENV]
    if (dropped) console.log(`[test] ${dropped} cơ sở dữ liệu kiểm thử đã được xoá song song với các tệp (${(dropMs / 1000).toFixed(1)} s)`)
    if (failures.length) throw new Error(`test databases not dropped:\n${failures.join('\n')}`)
  }
}
