import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_MIGRATIONS_DIR, migrate, MigrationError, readMigrations } from '~/utils/migrate.server'
import { openEmptyDatabase, tempDir, type TestDatabase } from '../setup/test-database'
import { describeSchema } from './schema-introspection'

let current: TestDatabase | undefined
afterEach(async () => {
  await current?.dispose()
  current = undefined
})

/** A copy of the real migrations plus extra ones written by the test. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = tempDir('migrations')
  fs.cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true })
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name))
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql)
  }
  return dir
}

async function tableExists(t: TestDatabase, table: string): Promise<boolean> {
  const rows = await t.db.withConnection((sql) =>
    sql.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${table}`]),
  )
  return rows[0]!.exists
}

describe('migrations at start-up', () => {
  it('applies every migration on an empty database, records it as Prisma does, and then has nothing to do', async () => {
    current = await openEmptyDatabase()
    const files = readMigrations()
    const first = await migrate(current.db)
    expect(first.applied).toEqual(files.map((f) => f.name))
    const rows = await current.db.withConnection((sql) =>
      sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
      ),
    )
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]))
    expect(rows.every((r) => r.finished_at !== null)).toBe(true)
    expect(await tableExists(current, 'agency')).toBe(true)

    const second = await migrate(current.db)
    expect(second).toEqual({ applied: [], alreadyApplied: files.length })
  })

  it('a failing migration stops with its name and the error, and leaves the database as it was', async () => {
    current = await openEmptyDatabase()
    await migrate(current.db)
    const before = await current.db.withConnection(describeSchema)
    const dir = migrationsWith({
      '29990101000000_good_part': 'CREATE TABLE "added_by_good_migration" (id int);',
      '29990102000000_broken': 'CREATE TABLE "half_written" (id int);\nALTER TABLE "no_such_table" ADD COLUMN x int;',
    })
    const error = await migrate(current.db, dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as Error).message).toContain('29990102000000_broken')
    expect((error as Error).message).toContain('no_such_table')
    // Neither the failing migration's first statement nor the earlier pending migration stays.
    expect(await tableExists(current, 'half_written')).toBe(false)
    expect(await tableExists(current, 'added_by_good_migration')).toBe(false)
    expect(await current.db.withConnection(describeSchema)).toEqual(before)
    const names = await current.db.withConnection((sql) =>
      sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`),
    )
    expect(names.map((r) => r.migration_name)).not.toContain('29990101000000_good_part')
  })

  it('on an empty database, a broken later migration leaves no table at all', async () => {
    current = await openEmptyDatabase()
    const dir = migrationsWith({ '29990102000000_broken': 'SELECT * FROM no_such_table;' })
    await expect(migrate(current.db, dir)).rejects.toThrow(MigrationError)
    expect(await tableExists(current, 'agency')).toBe(false)
  })

  it('refuses a migration that was edited after it was applied', async () => {
    current = await openEmptyDatabase()
    const dir = migrationsWith({ '29990101000000_extra': 'CREATE TABLE "extra_table" (id int);' })
    await migrate(current.db, dir)
    fs.writeFileSync(path.join(dir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE "extra_table" (id bigint);')
    await expect(migrate(current.db, dir)).rejects.toThrow(/đã bị sửa/)
  })

  it('refuses to run against a database that has migrations this code does not know', async () => {
    current = await openEmptyDatabase()
    await migrate(current.db, migrationsWith({ '29990101000000_from_the_future': 'SELECT 1;' }))
    await expect(migrate(current.db)).rejects.toThrow(/29990101000000_from_the_future/)
  })
})
