// A connection the server ends (pg_terminate_backend, DROP DATABASE … WITH (FORCE), a restart:
// SQLSTATE 57P01) is an expected event: a warning, never console.error or a crash, and the next
// query opens a new connection. close() returns only when every connection has really ended, so a
// database dropped right after it has no backend left to terminate (the CI failure of issue 15).
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isConnectionEndedByServer, poolConfigFromUrl } from '~/utils/db.server'
import { openEmptyDatabase, REAL_POSTGRES_URL, type TestDatabase } from '../setup/test-database'

let current: TestDatabase | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  await current?.dispose()
  current = undefined
})

async function admin<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ ...poolConfigFromUrl(REAL_POSTGRES_URL!), database: 'postgres' })
  await client.connect()
  try {
    return (await client.query(query, params)).rows as T[]
  } finally {
    await client.end()
  }
}

async function waitFor(condition: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function databaseName(t: TestDatabase): string {
  return decodeURIComponent(new URL(t.url!).pathname.slice(1))
}

describe('a connection ended by the server', () => {
  it('classifies server-ended connections, not other errors', () => {
    expect(isConnectionEndedByServer({ code: '57P01', message: 'terminating connection due to administrator command' })).toBe(true)
    expect(isConnectionEndedByServer({ code: '08006' })).toBe(true)
    expect(isConnectionEndedByServer(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isConnectionEndedByServer({ code: '23505', message: 'duplicate key' })).toBe(false)
    expect(isConnectionEndedByServer(new Error('boom'))).toBe(false)
  })

  it.skipIf(!REAL_POSTGRES_URL)('an idle connection terminated by pg_terminate_backend: a warning, no error, the next query works', async () => {
    current = await openEmptyDatabase('postgres')
    const pid = (await current.db.withConnection((sql) => sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')))[0]!.pid
    const warnings: string[] = []
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
    const errors = vi.spyOn(console, 'error')
    const [terminated] = await admin<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid])
    expect(terminated!.ok).toBe(true)
    await waitFor(() => warnings.length > 0)
    expect(warnings[0]).toContain('57P01')
    expect(errors).not.toHaveBeenCalled()
    // Recovered: a new connection (another backend) answers, through both query paths.
    const after = await current.db.withConnection((sql) => sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
    expect(after[0]!.pid).not.toBe(pid)
    expect(await current.db.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }])
  })

  it.skipIf(!REAL_POSTGRES_URL)('a connection terminated while in use: the query fails, no crash, no error, and the pool goes on', async () => {
    current = await openEmptyDatabase('postgres')
    const warnings: string[] = []
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')))
    const errors = vi.spyOn(console, 'error')
    const failure = await current.db
      .withConnection(async (sql) => {
        const [{ pid }] = (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }]
        await admin('SELECT pg_terminate_backend($1)', [pid])
        await waitFor(() => warnings.length > 0)
        return sql.query('SELECT 1')
      })
      .catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(Error)
    expect(isConnectionEndedByServer(failure)).toBe(true)
    expect(warnings.join('\n')).toContain('đang dùng')
    expect(errors).not.toHaveBeenCalled()
    expect(await current.db.withConnection((sql) => sql.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }])
  })

  it.skipIf(!REAL_POSTGRES_URL)('close() returns when no backend of the pool is left, so dropping the database ends nothing', async () => {
    const t = await openEmptyDatabase('postgres')
    const name = databaseName(t)
    // Four connections open and idle in the pool.
    await Promise.all(
      Array.from({ length: 4 }, () => t.db.withConnection((sql) => sql.query('SELECT pg_sleep(0.2)'))),
    )
    const before = await admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])
    expect(before[0]!.n).toBe(4)
    const warn = vi.spyOn(console, 'warn')
    // Connected beforehand, so the look comes the moment close() returns.
    const watcher = new pg.Client({ ...poolConfigFromUrl(REAL_POSTGRES_URL!), database: 'postgres' })
    await watcher.connect()
    try {
      await t.db.close()
      const after = await watcher.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])
      expect(after.rows).toEqual([])
      // The drop (WITH (FORCE), as the tests do) finds nobody to terminate.
      await watcher.query(`DROP DATABASE "${name}" WITH (FORCE)`)
    } finally {
      await watcher.end()
    }
    expect(warn).not.toHaveBeenCalled()
  })
})
