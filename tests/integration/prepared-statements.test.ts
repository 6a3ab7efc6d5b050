// Named (prepared) statements — plainQuery's and Sql.query's `prepare` — are for PostgreSQL only.
// PGlite is one backend session behind its socket: a statement named by one client outlives it, and
// the pool's next client (after an idle close or an error) preparing the same name was refused
// ("prepared statement … already exists"): a sign-in on the embedded database failed with a 500
// (fresh-clone CI, 2026-12-08). So on PGlite nothing is named, and the session holds no statement.
import { afterEach, describe, expect, it } from 'vitest'
import { plainQuery } from '~/utils/db.server'
import { openEmptyDatabase, type TestDatabase } from '../setup/test-database'

let current: TestDatabase | undefined
afterEach(async () => {
  await current?.dispose()
  current = undefined
})

describe('named statements', () => {
  it('are never prepared on PGlite, by plainQuery or by a connection', async () => {
    current = await openEmptyDatabase('pglite')
    const { db } = current
    expect(await plainQuery<{ n: number }>(db.prisma, { text: 'SELECT $1::int + 1 AS n', values: [1] }, { prepare: true })).toEqual([{ n: 2 }])
    expect(await db.withConnection((sql) => sql.query<{ n: number }>('SELECT $1::int + 2 AS n', [1], { prepare: true }))).toEqual([{ n: 3 }])
    const held = await plainQuery<{ name: string }>(db.prisma, { text: 'SELECT name FROM pg_prepared_statements', values: [] })
    expect(held).toEqual([])
  })

  it('are prepared on PostgreSQL (once per connection)', async () => {
    if (!process.env.DATABASE_URL) return
    current = await openEmptyDatabase('postgres')
    const { db } = current
    const names = await db.withConnection(async (sql) => {
      await sql.query('SELECT $1::int + 2 AS n', [1], { prepare: true })
      return sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements')
    })
    expect(names.length).toBe(1)
  })
})
