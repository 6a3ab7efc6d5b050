// A fresh, migrated database per test file: a new database on the real PostgreSQL server when
// DATABASE_URL is set (CI, integration), else a PGlite folder of its own.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, poolConfigFromUrl, type Database } from '~/utils/db.server'
import { migrate, readMigrations } from '~/utils/migrate.server'
import { DROP_QUEUE_ENV, RUN_DIR_ENV, RUN_ENV, seededTemplateName } from './test-run'

export const REAL_POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined

export { DROP_QUEUE_ENV, RUN_DIR_ENV, RUN_ENV, SEEDED_TEMPLATE } from './test-run'

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

/** A new database's name: `banso_t_<pid>_<random>`, dropped by the test (or the run) that made it. */
function testDatabaseName(): string {
  return `banso_t_${process.pid}_${randomBytes(4).toString('hex')}`
}

/** Creates a database for one test file: empty, or a copy of `template`. */
async function createTestDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  await admin(serverUrl, (c) => c.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`))
}

/**
 * Drops a test database once its pool has closed. PostgreSQL makes every DROP DATABASE wait for
 * a checkpoint of the whole server (seconds on a busy disk), so within a Vitest run the drop is
 * handed to tests/setup/global-database.ts, which drops the databases one at a time in the main
 * process while the next files run; outside a run (a script) it is done here and now.
 */
async function dropTestDatabase(serverUrl: string, name: string): Promise<void> {
  const queue = process.env[DROP_QUEUE_ENV]
  if (queue && fs.existsSync(queue)) {
    // Written under a temporary name and renamed: the dropper never reads half a file.
    const file = path.join(queue, name)
    fs.writeFileSync(`${file}.tmp`, serverUrl)
    fs.renameSync(`${file}.tmp`, file)
    return
  }
  await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

/** Creates an empty database (not migrated) on the real server; returns its URL. */
export async function createEmptyPostgresDatabase(serverUrl: string = REAL_POSTGRES_URL!): Promise<{ url: string; drop(): Promise<void> }> {
  const name = testDatabaseName()
  await createTestDatabase(serverUrl, name)
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => dropTestDatabase(serverUrl, name),
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
  return openPgliteCopy(await pgliteTemplate('empty'))
}

function migrationsDigest(): string {
  return createHash('sha256')
    .update(readMigrations().map((f) => `${f.name} ${f.checksum}`).join('\n'))
    .update(fs.readFileSync(path.resolve('app/utils/migrate.server.ts')))
    .digest('hex')
    .slice(0, 20)
}

const pgliteTemplates = new Map<string, Promise<string>>()

/**
 * A PGlite data folder to copy: a new PGlite runs initdb inside WebAssembly (about 5 s, 20 s on a
 * loaded machine), opening a copied one does not. 'empty' is a fresh initdb, 'migrated' has every
 * migration applied. Built once per machine and set of migrations into a folder of its own, then
 * renamed into place (atomic), so a test never copies a half-written one; two processes building
 * at once both succeed and one copy is kept.
 */
function pgliteTemplate(kind: 'empty' | 'migrated'): Promise<string> {
  const key = kind === 'empty' ? 'empty' : `migrated-${migrationsDigest()}`
  const { version } = JSON.parse(fs.readFileSync(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }
  return pgliteFolder(path.join(os.tmpdir(), `banso-pglite-template-${version}-${key}`), async (building) => {
    const db = await openDatabase({ pgliteDataDir: building })
    try {
      if (kind === 'migrated') await migrate(db)
    } finally {
      await db.close()
    }
  })
}

/** Builds `target` once (per process; across processes the first complete copy wins) with `build(folder)`. */
function pgliteFolder(target: string, build: (building: string) => Promise<void>): Promise<string> {
  let made = pgliteTemplates.get(target)
  if (!made) {
    made = (async () => {
      if (fs.existsSync(path.join(target, 'pgdata', 'PG_VERSION'))) return target
      const building = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`
      try {
        await build(building)
        fs.renameSync(building, target)
      } catch (error) {
        fs.rmSync(building, { recursive: true, force: true })
        // Another process put its copy in place first: use that one.
        if (!fs.existsSync(path.join(target, 'pgdata', 'PG_VERSION'))) throw error
      }
      return target
    })()
    made.catch(() => pgliteTemplates.delete(target))
    pgliteTemplates.set(target, made)
  }
  return made
}

async function openPgliteCopy(template: string): Promise<TestDatabase> {
  const dir = tempDir('pglite')
  fs.cpSync(path.join(template, 'pgdata'), path.join(dir, 'pgdata'), { recursive: true })
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

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Any number that no other advisory lock of the suite uses: "banso" in ASCII. */
const TEMPLATE_LOCK = 0x62616e736f

let template: Promise<string> | undefined

/**
 * A migrated database to copy (CREATE DATABASE … TEMPLATE), named after the migrations it holds (and the migrator's code):
 * every test file then starts from a copy in a fraction of a second instead of migrating (about
 * 1.5 s each, far more on a loaded machine). Made once per server and set of migrations, under an
 * advisory lock (files run in parallel), built under a temporary name and renamed when complete,
 * so a half-migrated template is never used. It stays on the server for the next run; a change of
 * any migration makes a new one.
 */
function migratedTemplate(serverUrl: string): Promise<string> {
  template ??= (async () => {
    const name = `banso_tpl_${migrationsDigest()}`
    return admin(serverUrl, async (c) => {
      await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK])
      try {
        const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (found.rowCount) return name
        const building = `${name}_${process.pid}`
        await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
        await c.query(`CREATE DATABASE "${building}"`)
        try {
          const db = await openDatabase({ databaseUrl: databaseUrl(serverUrl, building), pgliteDataDir: '', poolSize: 1 })
          try {
            await migrate(db)
          } finally {
            await db.close()
          }
          await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
        } catch (error) {
          await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
          throw error
        }
        return name
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK])
      }
    })
  })()
  template.catch(() => (template = undefined))
  return template
}

const seededTemplates = new Map<string, Promise<string>>()

/**
 * The seed every server test starts from (the agency tree, with `demo` also the demo accounts and
 * the demo reporting period, as `seed` in app/server/boot.ts makes them), applied once per Vitest
 * run to a copy of the migrated template, then copied per file like that one: a seed costs about
 * 0.3 CPU-s on PostgreSQL and 0.7 on PGlite, four Argon2 hashes among it, and ~50 files seeded the
 * same rows each. Once per run, not kept between runs like the migrated template: what the seed
 * writes depends on the day (the demo period is the current quarter) and its code and data change
 * more often than the migrations. tests/setup/global-database.ts gives the run its id and drops the
 * run's templates at its end.
 */
function seededTemplate(serverUrl: string, run: string, demo: boolean): Promise<string> {
  const name = seededTemplateName(run, demo)
  let made = seededTemplates.get(name)
  if (!made) {
    made = (async () => {
      const source = await migratedTemplate(serverUrl)
      return admin(serverUrl, async (c) => {
        // One run's workers wait for each other; other runs on the same server do not wait.
        await c.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name])
        try {
          const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
          if (found.rowCount) return name
          const building = `${name}_${process.pid}`
          await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
          await c.query(`CREATE DATABASE "${building}" TEMPLATE "${source}"`)
          try {
            const db = await openDatabase({ databaseUrl: databaseUrl(serverUrl, building), pgliteDataDir: '', poolSize: 1 })
            try {
              await seedDatabase(db, demo)
            } finally {
              await db.close()
            }
            await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
          } catch (error) {
            await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
            throw error
          }
          return name
        } finally {
          await c.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
        }
      })
    })()
    made.catch(() => seededTemplates.delete(name))
    seededTemplates.set(name, made)
  }
  return made
}

async function seedDatabase(db: Database, demo: boolean): Promise<void> {
  // Imported here: boot.ts loads most of the app, which a file that never seeds does not need.
  const { seed } = await import('~/server/boot')
  await seed(db.prisma, { SEED_DEMO: demo }, { log: () => undefined })
}

/** The seeded PGlite folder of this run (see seededTemplate), built from the migrated one. */
async function pgliteSeededTemplate(runDir: string, demo: boolean): Promise<string> {
  const migrated = await pgliteTemplate('migrated')
  return pgliteFolder(path.join(runDir, `pglite-seeded-${demo ? 'demo' : 'base'}`), async (building) => {
    fs.mkdirSync(building, { recursive: true })
    fs.cpSync(path.join(migrated, 'pgdata'), path.join(building, 'pgdata'), { recursive: true })
    const db = await openDatabase({ pgliteDataDir: building })
    try {
      await seedDatabase(db, demo)
    } finally {
      await db.close()
    }
  })
}

/**
 * A migrated database with the seed applied (`demo`: the demo accounts and period too), exactly
 * what `openMigratedDatabase` followed by `seed` gives, from this run's seeded template. Outside a
 * Vitest run with tests/setup/global-database.ts (no run id) it is that: migrated, then seeded.
 */
export async function openSeededDatabase({ demo = true, mode = REAL_POSTGRES_URL ? 'postgres' : 'pglite' }: { demo?: boolean; mode?: 'postgres' | 'pglite' } = {}): Promise<TestDatabase> {
  const run = process.env[RUN_ENV]
  const runDir = process.env[RUN_DIR_ENV]
  if (mode === 'pglite' && runDir && fs.existsSync(runDir)) return openPgliteCopy(await pgliteSeededTemplate(runDir, demo))
  if (mode === 'postgres' && run && REAL_POSTGRES_URL) return openPostgresCopy(await seededTemplate(REAL_POSTGRES_URL, run, demo))
  const t = await openMigratedDatabase(mode)
  try {
    await seedDatabase(t.db, demo)
  } catch (error) {
    await t.dispose()
    throw error
  }
  return t
}

async function openPostgresCopy(source: string): Promise<TestDatabase> {
  const name = testDatabaseName()
  await createTestDatabase(REAL_POSTGRES_URL!, name, source)
  const url = databaseUrl(REAL_POSTGRES_URL!, name)
  const db = await openDatabase({ databaseUrl: url, pgliteDataDir: '', poolSize: 4 })
  return {
    db,
    url,
    async dispose() {
      await db.close()
      await dropTestDatabase(REAL_POSTGRES_URL!, name)
    },
  }
}

export async function openMigratedDatabase(mode: 'postgres' | 'pglite' = REAL_POSTGRES_URL ? 'postgres' : 'pglite'): Promise<TestDatabase> {
  if (mode === 'pglite') return openPgliteCopy(await pgliteTemplate('migrated'))
  if (!REAL_POSTGRES_URL) throw new Error('DATABASE_URL is needed for a real PostgreSQL test database')
  return openPostgresCopy(await migratedTemplate(REAL_POSTGRES_URL))
}
