// The trained-staff report against a small province computed by hand (tests/setup/report-fixture.ts):
// own figures and rollups, a merged commune whose people follow it, expired vs valid vs superseded
// vs revoked certificates, overdue assignments, filters, scoping, the people behind a number, and
// the number of queries per request.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mergeAgency } from '~/modules/agency/admin.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { loadPeople, loadReport, type Report, type ReportRow } from '~/modules/report/service.server'
import { AppError } from '~/utils/errors'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
let admin: Actor
let managerX1: Actor
let managerX3: Actor
const now = new Date()
const db = () => t.db.prisma

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db(), now)
  admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  managerX1 = { id: f.managerX1, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X1 }] }
  managerX3 = { id: f.managerX3, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X3 }] }
  // The 2025-style merger: Xã Hai becomes part of Xã Một; its two people follow.
  await mergeAgency(db(), admin, { id: f.agencies.X2, targetId: f.agencies.X1 })
})

afterAll(async () => {
  await t?.dispose()
})

type Expected = [headcount: number, enrolled: number, completed: number, valid: number, expiring: number, expired: number, overdue: number]
const figures = (row: ReportRow | null | undefined, which: 'own' | 'total'): Expected => {
  const x = row![which]
  return [x.headcount, x.enrolled, x.completed, x.valid, x.expiring, x.expired, x.overdue]
}
const row = (report: Report, code: string) => (report.focus?.code === code ? report.focus : report.rows.find((r) => r.code === code))

describe('the report, all courses, no period', () => {
  it('the province: own and rolled-up figures of every agency, computed by hand', async () => {
    const report = await loadReport(db(), admin, {}, now)
    expect(report.focus!.code).toBe('T-P')
    // Vietnamese order; the merged Xã Hai is no longer a row.
    expect(report.rows.map((r) => r.code)).toEqual(['T-D', 'T-X3', 'T-X1'])
    expect(report.breadcrumb).toEqual([])
    //                                      head enr comp valid expiring expired overdue
    expect(figures(row(report, 'T-D'), 'own')).toEqual([10, 2, 1, 1, 0, 0, 0]) // manual headcount 10
    expect(figures(row(report, 'T-D'), 'total')).toEqual([10, 2, 1, 1, 0, 0, 0])
    // Xã Một with Xã Hai's b1 (revoked: neither valid nor expired) and b2 (C2 only, overdue on C1).
    expect(figures(row(report, 'T-X1'), 'own')).toEqual([6, 5, 4, 2, 1, 1, 2])
    expect(figures(row(report, 'T-X1'), 'total')).toEqual([7, 6, 5, 3, 1, 1, 3]) // + Trường Một
    expect(figures(row(report, 'T-X3'), 'own')).toEqual([2, 1, 1, 1, 0, 0, 1]) // c2: teacher, C2 overdue
    expect(figures(report.focus, 'own')).toEqual([0, 0, 0, 0, 0, 0, 0])
    expect(figures(report.focus, 'total')).toEqual([19, 9, 7, 5, 1, 1, 4])
    expect(report.focus!.share).toBeCloseTo(7 / 19, 10)
    expect(row(report, 'T-X1')!.children).toBe(1)
  })

  it('a renewed certificate counts once, as valid; the superseded expired one is not "expired"', async () => {
    const people = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'expired', subtree: true, page: 1 }, now)
    expect(people.people.map((p) => p.staff_code)).toEqual(['NV-A2'])
    const valid = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'valid', subtree: true, page: 1 }, now)
    expect(valid.people.map((p) => p.staff_code).sort()).toEqual(['NV-A1', 'NV-A3', 'NV-S1'])
    const expiring = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'expiring', subtree: true, page: 1 }, now)
    expect(expiring.people.map((p) => p.staff_code)).toEqual(['NV-A1'])
  })

  it('drills down from the province to a commune, with the way back', async () => {
    const report = await loadReport(db(), admin, { agency: f.agencies.X1 }, now)
    expect(report.focus!.code).toBe('T-X1')
    expect(report.rows.map((r) => r.code)).toEqual(['T-S1'])
    expect(figures(row(report, 'T-S1'), 'own')).toEqual([1, 1, 1, 1, 0, 0, 1])
    expect(report.breadcrumb.map((b) => b.name)).toEqual(['Tỉnh Thử'])
  })
})

describe('filters', () => {
  it('one course: only its enrolments, certificates and assignments count', async () => {
    const report = await loadReport(db(), admin, { course: f.courses.C1 }, now)
    expect(figures(row(report, 'T-X1'), 'own')).toEqual([6, 4, 4, 2, 1, 1, 2])
    expect(figures(row(report, 'T-X1'), 'total')).toEqual([7, 4, 4, 2, 1, 1, 3]) // s1 is overdue on C1
    expect(figures(row(report, 'T-X3'), 'own')).toEqual([2, 1, 1, 1, 0, 0, 0]) // the C2 assignment is out
    expect(figures(report.focus, 'total')).toEqual([19, 7, 6, 4, 1, 1, 3])
  })

  it('a completion period counts completions inside it only', async () => {
    const from = new Date(now.getTime() - 30 * DAY).toISOString().slice(0, 10)
    const report = await loadReport(db(), admin, { from }, now)
    expect(report.focus!.total.completed).toBe(5) // d1 and a2 completed 400 days ago
    expect(report.focus!.total.enrolled).toBe(9)
    const future = await loadReport(db(), admin, { to: new Date(now.getTime() - 100 * DAY).toISOString().slice(0, 10) }, now)
    expect(future.focus!.total.completed).toBe(2)
  })

  it('an agency type lists every agency of that type below the focus, rolled up', async () => {
    const communes = await loadReport(db(), admin, { type: 'COMMUNE' }, now)
    expect(communes.rows.map((r) => r.code)).toEqual(['T-X3', 'T-X1'])
    expect(figures(row(communes, 'T-X1'), 'total')).toEqual([7, 6, 5, 3, 1, 1, 3])
    const schools = await loadReport(db(), admin, { type: 'SCHOOL' }, now)
    expect(schools.rows.map((r) => r.code)).toEqual(['T-S1'])
  })

  it('an unknown course or an agency outside the tree is refused', async () => {
    await expect(loadReport(db(), admin, { course: '00000000-0000-4000-8000-000000000000' }, now)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(loadReport(db(), admin, { agency: f.agencies.X2 }, now)).rejects.toMatchObject({ code: 'NOT_FOUND' }) // merged: history only
  })
})

describe('scope', () => {
  it("a commune's manager sees their subtree only, starting at their commune", async () => {
    const report = await loadReport(db(), managerX1, {}, now)
    expect(report.focus!.code).toBe('T-X1')
    expect(report.rows.map((r) => r.code)).toEqual(['T-S1'])
    expect(report.breadcrumb).toEqual([]) // the province above is not theirs
    const other = await loadReport(db(), managerX3, {}, now)
    expect(figures(other.focus, 'total')).toEqual([2, 1, 1, 1, 0, 0, 1])
    expect(other.rows).toEqual([])
  })

  it("never another agency's figures or people, whatever is asked", async () => {
    for (const agency of [f.agencies.X1, f.agencies.P, f.agencies.S1, f.agencies.D]) {
      const error = await loadReport(db(), managerX3, { agency }, now).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('NOT_FOUND')
      const people = await loadPeople(db(), managerX3, {}, { agencyId: agency, metric: 'staff', subtree: true, page: 1 }, now).catch((e: unknown) => e)
      expect((people as AppError).code).toBe('NOT_FOUND')
    }
    const typed = await loadReport(db(), managerX3, { type: 'SCHOOL' }, now)
    expect(typed.rows).toEqual([])
    const own = await loadPeople(db(), managerX3, {}, { agencyId: f.agencies.X3, metric: 'staff', subtree: true, page: 1 }, now)
    expect(own.people.map((p) => p.staff_code).sort()).toEqual(['NV-C1', 'NV-C2'])
    const learner: Actor = { id: f.users.a1!, roles: [] }
    await expect(loadReport(db(), learner, {}, now)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('the people behind a number', () => {
  it('own or with sub-agencies, with linked and unlinked staff, paged', async () => {
    const completed = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'completed', subtree: true, page: 1 }, now)
    expect(completed.people.map((p) => p.staff_code).sort()).toEqual(['NV-A1', 'NV-A2', 'NV-A3', 'NV-B1', 'NV-S1'])
    expect(completed.total).toBe(5)
    const own = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'completed', subtree: false, page: 1 }, now)
    expect(own.people.map((p) => p.staff_code).sort()).toEqual(['NV-A1', 'NV-A2', 'NV-A3', 'NV-B1'])
    const overdue = await loadPeople(db(), admin, {}, { agencyId: f.agencies.X1, metric: 'overdue', subtree: true, page: 1 }, now)
    expect(overdue.people.map((p) => [p.staff_code, p.linked])).toEqual(
      expect.arrayContaining([
        ['NV-A4', false],
        ['NV-B2', true],
        ['NV-S1', true],
      ]),
    )
    expect(overdue.total).toBe(3)
  })
})

describe('the merger', () => {
  it('moved people, accounts and history; the merged commune keeps its name in history', async () => {
    const x2 = await db().agency.findUniqueOrThrow({ where: { id: f.agencies.X2 }, include: { history: true } })
    expect(x2.status).toBe('MERGED')
    expect(x2.mergedIntoId).toBe(f.agencies.X1)
    expect(x2.name).toBe('Xã Hai')
    expect(x2.history.find((h) => h.change === 'MERGED')).toMatchObject({ targetId: f.agencies.X1, oldName: 'Xã Hai' })
    expect(await db().staffRecord.count({ where: { agencyId: f.agencies.X2 } })).toBe(0)
    expect((await db().user.findUniqueOrThrow({ where: { id: f.users.b1! } })).agencyId).toBe(f.agencies.X1)
  })
})

describe('queries per request', () => {
  it('the report is at most 3 queries, whatever the filters', async () => {
    const spy = vi.spyOn(pg.Client.prototype, 'query')
    try {
      for (const filters of [{}, { course: f.courses.C1, type: 'COMMUNE' as const }, { agency: f.agencies.X1, from: '2020-01-01', to: '2099-12-31' }]) {
        spy.mockClear()
        await loadReport(db(), admin, filters, now)
        expect(spy.mock.calls.length).toBeGreaterThan(0)
        expect(spy.mock.calls.length).toBeLessThanOrEqual(3)
      }
    } finally {
      spy.mockRestore()
    }
  })
})
