// Applies prisma/migrations at start, in both database modes, with one code path.
// It keeps Prisma's own bookkeeping table (_prisma_migrations, same columns and checksums), so
// `prisma migrate status` against a real database agrees with it. All pending migrations run in
// one transaction: if any statement fails, nothing of this start's migrations stays.
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Database, Sql } from './db.server'

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export const DEFAULT_MIGRATIONS_DIR = path.resolve('prisma/migrations')

export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`Không thấy thư mục migration: ${dir}`)
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

/**
 * Any fixed number: all processes that migrate this database take the same advisory lock. It is a
 * transaction-level lock taken in the one transaction that reads the bookkeeping and applies the
 * migrations, never a session-level one: behind PgBouncer in transaction mode a session lock would
 * stay on whichever server connection ran that statement, and its unlock could run on another
 * (docs/decisions/025). The second of two processes starting at once waits on it, then finds
 * nothing pending.
 */
const MIGRATION_LOCK = 720_250_701

export interface MigrateResult {
  applied: string[]
  alreadyApplied: number
}

export async function migrate(db: Database, dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = readMigrations(dir)
  return db.withConnection(async (sql) => {
    await sql.exec('BEGIN')
    try {
      await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      const result = await migrateLocked(sql, files)
      await sql.exec('COMMIT')
      return result
    } catch (error) {
      await sql.exec('ROLLBACK').catch(() => undefined)
      throw error
    }
  })
}

async function migrateLocked(sql: Sql, files: MigrationFile[]): Promise<MigrateResult> {
  await sql.exec(BOOKKEEPING)
  const rows = await sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  )
  const unfinished = rows.filter((r) => r.finished_at === null)
  if (unfinished.length > 0) {
    throw new MigrationError(
      `Migration ${unfinished[0]!.migration_name} đã bắt đầu nhưng chưa xong trong một lần chạy trước; cần người quản trị kiểm tra cơ sở dữ liệu.`,
    )
  }
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]))
  const known = new Set(files.map((f) => f.name))
  for (const name of applied.keys()) {
    if (!known.has(name)) {
      throw new MigrationError(
        `Cơ sở dữ liệu có migration ${name} mà mã nguồn này không có: cơ sở dữ liệu mới hơn phiên bản ứng dụng.`,
      )
    }
  }
  for (const file of files) {
    const checksum = applied.get(file.name)
    if (checksum !== undefined && checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${file.name} đã bị sửa sau khi được áp dụng (checksum khác). Hãy tạo migration mới thay vì sửa migration cũ.`,
      )
    }
  }
  const pending = files.filter((f) => !applied.has(f.name))
  if (pending.length === 0) return { applied: [], alreadyApplied: files.length }

  // Inside the caller's transaction: a failure rolls back every migration of this start.
  let current = ''
  try {
    for (const file of pending) {
      current = file.name
      const started = new Date()
      await sql.exec(file.sql)
      await sql.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, $4, 1)`,
        [randomUUID(), file.checksum, file.name, started],
      )
    }
  } catch (error) {
    const message = (error as Error).message ?? String(error)
    throw new MigrationError(
      `Migration ${current} thất bại: ${message}. Không migration nào của lần khởi động này được giữ lại; cơ sở dữ liệu vẫn như trước.`,
    )
  }
  return { applied: pending.map((f) => f.name), alreadyApplied: files.length - pending.length }
}
