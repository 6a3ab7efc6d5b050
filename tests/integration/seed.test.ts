import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEMO_ACCOUNTS } from '~/modules/auth/demo-accounts.server'
import { verifyPassword } from '~/modules/auth/password.server'
import { seed } from '~/server/boot'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
beforeAll(async () => {
  t = await openMigratedDatabase()
})
afterAll(async () => {
  await t.dispose()
})

const quiet = () => undefined

describe('seed', () => {
  it('seeds the Lào Cai agency tree and the sample schools on an empty database', async () => {
    await seed(t.db.prisma, { SEED_DEMO: false }, { log: quiet })
    const agencies = await t.db.prisma.agency.findMany({ include: { parent: true } })
    expect(agencies).toHaveLength(124) // 120 verified rows + 4 samples
    const roots = agencies.filter((a) => a.parentId === null)
    expect(roots.map((a) => [a.code, a.name, a.type])).toEqual([['LC', 'Tỉnh Lào Cai', 'PROVINCE']])
    const count = (type: string) => agencies.filter((a) => a.type === type).length
    expect([count('DEPARTMENT'), count('PARTY'), count('FRONT'), count('WARD'), count('COMMUNE')]).toEqual([14, 5, 1, 10, 89])
    // Names are stored as NFC, so searching and sorting Vietnamese behave.
    expect(agencies.every((a) => a.name === a.name.normalize('NFC'))).toBe(true)
    // Samples are clearly marked, and only they.
    const samples = agencies.filter((a) => a.isSample)
    expect(samples.map((a) => a.code).sort()).toEqual(['MAU-TH-MUCANGCHAI', 'MAU-TH-SAPA', 'MAU-THCS-BACHA', 'MAU-THPT-LAOCAI'])
    expect(samples.every((a) => a.type === 'SCHOOL' && a.name.includes('(dữ liệu mẫu)'))).toBe(true)
    expect(agencies.find((a) => a.code === 'MAU-THCS-BACHA')!.parent!.code).toBe('LC-X-BACHA')
    // The former district is kept for communes.
    expect(agencies.find((a) => a.code === 'LC-X-BACHA')!.note).toBe('Huyện Bắc Hà (tỉnh Lào Cai cũ)')
    expect(await t.db.prisma.agencyHistory.count({ where: { change: 'CREATED' } })).toBe(124)
    expect(await t.db.prisma.user.count()).toBe(0)
  })

  it('a second seed changes nothing', async () => {
    const before = await t.db.prisma.agency.findMany({ orderBy: { code: 'asc' } })
    const log = vi.fn()
    await seed(t.db.prisma, { SEED_DEMO: false }, { log })
    expect(await t.db.prisma.agency.findMany({ orderBy: { code: 'asc' } })).toEqual(before)
    expect(log).not.toHaveBeenCalled()
  })

  it('creates one demo account per role only when demo seeding is on, once', async () => {
    await seed(t.db.prisma, { SEED_DEMO: true }, { log: quiet })
    await seed(t.db.prisma, { SEED_DEMO: true }, { log: quiet })
    const users = await t.db.prisma.user.findMany({ include: { roleGrants: { include: { agency: true } }, agency: true } })
    expect(users).toHaveLength(DEMO_ACCOUNTS.length)
    for (const account of DEMO_ACCOUNTS) {
      const user = users.find((u) => u.email === account.email)!
      expect(user.isDemo).toBe(true)
      expect(user.agency!.code).toBe(account.agencyCode)
      // Only the hash is stored, and it is Argon2id with OWASP's parameters.
      expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
      expect(await verifyPassword(user.passwordHash!, account.password)).toBe(true)
      expect(user.roleGrants.map((g) => [g.role, g.agency?.code ?? null])).toEqual(
        account.role ? [[account.role.role, account.role.agencyCode]] : [],
      )
    }
    const roles = users.flatMap((u) => u.roleGrants.map((g) => g.role)).sort()
    expect(roles).toEqual(['ADMIN', 'AGENCY_MANAGER', 'TEACHER'])
  })

  it('with demo seeding, opens one sample reporting period (the current quarter) for the province, communes and wards, once', async () => {
    const periods = await t.db.prisma.reportingPeriod.findMany({ include: { reports: { include: { agency: true } } } })
    expect(periods).toHaveLength(1)
    const [period] = periods
    expect(period!.kind).toBe('QUARTER')
    expect(period!.dueAt.getTime()).toBeGreaterThan(period!.endsOn.getTime())
    // The province, its 89 communes and 10 wards; the demo manager's commune among them.
    expect(period!.reports).toHaveLength(100)
    expect(period!.reports.some((r) => r.agency.code === 'LC-X-BACHA')).toBe(true)
    expect(period!.reports.every((r) => r.status === 'OPEN')).toBe(true)
    expect(await t.db.prisma.trainingPlan.count()).toBe(1)
    await seed(t.db.prisma, { SEED_DEMO: true }, { log: quiet })
    expect(await t.db.prisma.reportingPeriod.count()).toBe(1)
    expect(await t.db.prisma.periodReport.count()).toBe(100)
  })
})
