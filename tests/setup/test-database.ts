// A fresh, migrated database per test file: a new database on the real PostgreSQL server when
// DATABASE_URL is set (CI, integration), else a PGlite folder of its own.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, poolConfigFromUrl, type Database } from '~/utils/db.server'
import { migrate } from '~/utils/migrate.server'

export const REAL_POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined

export interface TestDatabase {
  db: Database
  /** DATABASE_URL of this database, or undefined for PGlite. */
  url?: string
  pgliteDir?: string
  dispose(): Promise<void>
}

async function admin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...poolConfigFromUrl(serverUrl), database: 'postgres' })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database (not migrated) on the real server; returns its URL. */
export async function createEmptyPostgresDatabase(serverUrl: string = REAL_POSTGRES_URL!): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `banso_t_${process.pid}_${randomBytes(4).toString('hex')}`
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `banso-${prefix}-`))
}

export async function openEmptyDatabase(mode: 'postgres' | 'pglite' = REAL_POSTGRES_URL ? 'postgres' : 'pglite'): Promise<TestDatabase> {
  if (mode === 'postgres') {
    if (!REAL_POSTGRES_URL) throw new Error('DATABASE_URL is needed for a real PostgreSQL test database')
    const created = await createEmptyPostgresDatabase()
    const db = await openDatabase({ databaseUrl: created.url, pgliteDataDir: '', poolSize: 4 })
    return {
      db,
      url: created.url,
      async dispose() {
        await db.close()
        await created.drop()
      },
    }
  }
  const dir = tempDir('pglite')
  const db = await openDatabase({ pgliteDataDir: dir })
  return {
    db,
    pgliteDir: dir,
    async dispose() {
      await db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function openMigratedDatabase(mode?: 'postgres' | 'pglite'): Promise<TestDatabase> {
  const t = await openEmptyDatabase(mode)
  await migrate(t.db)
  return t
}
