// schema.prisma and prisma/migrations must describe the same database: a fresh database migrated
// by the app and one built from Prisma's own rendering of schema.prisma must have the same tables,
// columns, keys, foreign keys, indexes and enums. (CHECK constraints are written by hand in the
// migrations, since Prisma cannot express them, and so are column collations; they are compared
// only by the parity and constraint tests, and so is NULLS NOT DISTINCT on role_grant.)
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openEmptyDatabase, openMigratedDatabase, REAL_POSTGRES_URL, type TestDatabase } from '../setup/test-database'
import { describeSchema } from './schema-introspection'

const opened: TestDatabase[] = []
afterAll(async () => {
  await Promise.all(opened.map((t) => t.dispose()))
})

function prismaRenderedSchemaSql(): string {
  return execFileSync(
    path.resolve('node_modules/.bin/prisma'),
    ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
}

describe('schema drift', () => {
  // Prisma's CLI renders schema.prisma through its PostgreSQL adapter (prisma.config.ts), so it needs
  // a PostgreSQL server: on the embedded database alone (no DATABASE_URL) this is reported skipped,
  // as the README says of the tests that need a real server; CI runs it.
  it.skipIf(!REAL_POSTGRES_URL)('the migrations build exactly the database that schema.prisma describes', async () => {
    const migrated = await openMigratedDatabase()
    opened.push(migrated)
    const rendered = await openEmptyDatabase()
    opened.push(rendered)
    await rendered.db.withConnection((sql) => sql.exec(prismaRenderedSchemaSql()))

    const withoutChecks = async (t: TestDatabase) => {
      const schema = await t.db.withConnection(describeSchema)
      return {
        ...schema,
        // Column collations (COLLATE "C" on sort keys) are hand-written too.
        columns: schema.columns
          .filter((c) => c.table_name !== '_prisma_migrations')
          .map(({ collation_name: _collation, ...rest }) => rest),
        constraints: schema.constraints.filter((c) => c.contype !== 'c' && c.table_name !== '_prisma_migrations'),
        // NULLS NOT DISTINCT (one admin grant per person) is hand-written too: Prisma 6 cannot say it.
        indexes: schema.indexes
          .filter((i) => i.tablename !== '_prisma_migrations')
          .map((i) => ({ ...i, indexdef: String(i.indexdef).replace(/ NULLS NOT DISTINCT$/, '') })),
      }
    }
    const fromMigrations = await withoutChecks(migrated)
    expect(fromMigrations.columns.length).toBeGreaterThan(100)
    expect(fromMigrations).toEqual(await withoutChecks(rendered))
  })
})
