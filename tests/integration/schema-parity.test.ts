// One schema, one migration history, two database modes: the same migrations must produce the
// same tables, columns, types, defaults, constraints, indexes and enums on the real PostgreSQL
// server and on the embedded PGlite.
import { afterAll, describe, expect, it } from 'vitest'
import { openMigratedDatabase, REAL_POSTGRES_URL, type TestDatabase } from '../setup/test-database'
import { describeSchema } from './schema-introspection'

const opened: TestDatabase[] = []
afterAll(async () => {
  await Promise.all(opened.map((t) => t.dispose()))
})

describe.skipIf(!REAL_POSTGRES_URL)('schema parity (needs DATABASE_URL: a real PostgreSQL server)', () => {
  it('the migrations give the same schema on PostgreSQL and on PGlite', async () => {
    const real = await openMigratedDatabase('postgres')
    opened.push(real)
    const embedded = await openMigratedDatabase('pglite')
    opened.push(embedded)
    const a = await real.db.withConnection(describeSchema)
    const b = await embedded.db.withConnection(describeSchema)
    // Sanity: the comparison is not between two empty lists.
    expect(a.columns.length).toBeGreaterThan(100)
    expect(a.constraints.filter((c) => c.contype === 'c').length).toBeGreaterThan(20)
    expect(a.indexes.length).toBeGreaterThan(30)
    expect(b).toEqual(a)
  })
})
