// The seeded template (tests/setup/test-database.ts, openSeededDatabase): what the server tests
// start from must be exactly what `seed` writes on a migrated database, in both database modes, and
// each copy must be a database of its own.
import { afterAll, describe, expect, it } from 'vitest'
import type { PrismaClient } from '@prisma/client'
import { DEMO_ACCOUNTS } from '~/modules/auth/demo-accounts.server'
import { verifyPassword } from '~/modules/auth/password.server'
import { seed } from '~/server/boot'
import { openMigratedDatabase, openSeededDatabase, REAL_POSTGRES_URL, type TestDatabase } from '../setup/test-database'

const opened: TestDatabase[] = []
afterAll(async () => {
  for (const t of opened) await t.dispose()
})
async function keep(t: Promise<TestDatabase>): Promise<TestDatabase> {
  const db = await t
  opened.push(db)
  return db
}

/** Every table's row count, and the seeded rows by their natural keys (ids are random per seed). */
async function fingerprint(prisma: PrismaClient) {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}" WHERE true`)
    counts[name] = Number(row!.n)
  }
  const agencies = await prisma.agency.findMany({ include: { parent: { select: { code: true } } }, orderBy: { code: 'asc' } })
  const users = await prisma.user.findMany({
    include: { agency: { select: { code: true } }, roleGrants: { include: { agency: { select: { code: true } } } } },
    orderBy: { email: 'asc' },
  })
  const periods = await prisma.reportingPeriod.findMany({ include: { reports: { include: { agency: { select: { code: true } } } } } })
  return {
    counts,
    agencies: agencies.map((a) => [a.code, a.name, a.type, a.status, a.parent?.code ?? null, a.isSample, a.note]),
    users: users.map((u) => [u.email, u.fullName, u.kind, u.jobTitle, u.isDemo, u.agency?.code, u.roleGrants.map((g) => [g.role, g.agency?.code ?? null])]),
    periods: periods.map((p) => [p.kind, p.year, p.number, p.startsOn.toISOString(), p.endsOn.toISOString(), p.dueAt.toISOString(), p.agencyTypes, p.reports.map((r) => [r.agency.code, r.status]).sort()]),
  }
}

const modes = REAL_POSTGRES_URL ? (['postgres', 'pglite'] as const) : (['pglite'] as const)

describe.each(modes)('on %s', (mode) => {
  for (const demo of [true, false]) {
    it(`a copy of the seeded template${demo ? ' with the demo data' : ''} holds what seed writes on a migrated database`, async () => {
      const seeded = await keep(openSeededDatabase({ demo, mode }))
      const fresh = await keep(openMigratedDatabase(mode))
      await seed(fresh.db.prisma, { SEED_DEMO: demo }, { log: () => undefined })
      const expected = await fingerprint(fresh.db.prisma)
      expect(expected.counts.agency).toBe(124)
      expect(expected.users).toHaveLength(demo ? DEMO_ACCOUNTS.length : 0)
      expect(await fingerprint(seeded.db.prisma)).toEqual(expected)
      // The demo accounts sign in with the README's passwords.
      for (const account of demo ? DEMO_ACCOUNTS : []) {
        const user = await seeded.db.prisma.user.findUniqueOrThrow({ where: { email: account.email } })
        expect(await verifyPassword(user.passwordHash!, account.password)).toBe(true)
      }
    })
  }

  it('each copy is a database of its own: a change to one is not in the next copy', async () => {
    const first = await keep(openSeededDatabase({ mode }))
    await first.db.prisma.agency.update({ where: { code: 'LC-X-BACHA' }, data: { name: 'Đổi tên trong một bản sao' } })
    await first.db.prisma.user.update({ where: { email: DEMO_ACCOUNTS[0]!.email }, data: { fullName: 'Tên khác' } })
    const second = await keep(openSeededDatabase({ mode }))
    expect((await second.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).name).toBe('Xã Bắc Hà')
    expect((await second.db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS[0]!.email } })).fullName).toBe(DEMO_ACCOUNTS[0]!.fullName)
  })
})
