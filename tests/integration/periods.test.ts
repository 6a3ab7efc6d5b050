// Periodic reports up the agency tree (issue 17, docs/decisions/020), on the database of this run
// (PostgreSQL with DATABASE_URL, else PGlite; CI runs it in both modes): open a period, plans set
// and inherited, the whole cycle (submit → return → resubmit → approve), every version kept and
// frozen — unchanged after later data changes, refused by the database trigger to anyone's UPDATE,
// DELETE or TRUNCATE — races with one winner and a clear 409 for the loser, scope (another subtree
// gets 404, the lowest level cannot approve itself), consolidation and the overview with its rates,
// previous-period difference and trend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOverview } from '~/modules/periods/overview.server'
import { openPeriod } from '~/modules/periods/period.server'
import { effectivePlan, setPlan } from '~/modules/periods/plan.server'
import { computeFigures } from '~/modules/periods/figures.server'
import type { SnapshotFigures } from '~/modules/periods/types'
import { loadAgencyReport, reviewReport, submitReport, verifySnapshot } from '~/modules/periods/workflow.server'
import { loadReport } from '~/modules/report/service.server'
import type { Actor } from '~/modules/scope/scope.server'
import { userKeys } from '~/modules/auth/keys'
import { staffKeys } from '~/modules/roster/keys'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { isAppError } from '~/utils/errors'
import { refusedWith } from '../setup/refused'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
const db = () => t.db.prisma
const actors = {} as Record<'admin' | 'province' | 'x1' | 'x3' | 'learner', Actor>
let periodId: string
let previousId: string


beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db())
  const provinceManager = await db().user.create({
    data: { fullName: 'Quản lý tỉnh', email: 'ql.tinh@report.example', kind: 'CIVIL_SERVANT', agencyId: f.agencies.P, ...userKeys({ fullName: 'Quản lý tỉnh', email: 'ql.tinh@report.example' }) },
  })
  await db().roleGrant.create({ data: { userId: provinceManager.id, role: 'AGENCY_MANAGER', agencyId: f.agencies.P } })
  actors.admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  actors.province = { id: provinceManager.id, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.P }] }
  actors.x1 = { id: f.managerX1, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X1 }] }
  actors.x3 = { id: f.managerX3, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X3 }] }
  actors.learner = { id: f.users.a1!, roles: [] }
})
afterAll(async () => {
  await t?.dispose()
})

describe('opening a period and training plans', () => {
  it('only an admin opens a period; the agencies of the chosen types must report; the same period twice is a 409', async () => {
    await refusedWith(openPeriod(db(), actors.province, { kind: 'QUARTER', year: 2026, number: 4, dueOn: '2027-01-10', agencyTypes: ['COMMUNE'], subtreeRootId: null }), 'FORBIDDEN')
    // The previous period (Q3), already over: for the overview's comparison and trend.
    previousId = (await openPeriod(db(), actors.admin, { kind: 'QUARTER', year: 2026, number: 3, dueOn: '2026-10-10', agencyTypes: ['COMMUNE', 'PROVINCE'], subtreeRootId: f.agencies.P })).id
    const opened = await openPeriod(db(), actors.admin, { kind: 'QUARTER', year: 2026, number: 4, dueOn: '2099-01-10', agencyTypes: ['COMMUNE', 'PROVINCE'], subtreeRootId: f.agencies.P })
    periodId = opened.id
    expect(opened.agencies).toBe(4) // the province and its three communes
    const period = await db().reportingPeriod.findUniqueOrThrow({ where: { id: periodId } })
    expect([period.startsOn.toISOString().slice(0, 10), period.endsOn.toISOString().slice(0, 10)]).toEqual(['2026-10-01', '2026-12-31'])
    await refusedWith(openPeriod(db(), actors.admin, { kind: 'QUARTER', year: 2026, number: 4, dueOn: '2027-01-10', agencyTypes: [], subtreeRootId: null }), 'CONFLICT', 'periods.exists')
    await refusedWith(openPeriod(db(), actors.admin, { kind: 'YEAR', year: 2030, number: 1, dueOn: '2031-01-10', agencyTypes: ['WARD'], subtreeRootId: f.agencies.P }), 'BAD_INPUT', 'periods.noAgencies')
    expect(await db().reportingPeriod.count({ where: { year: 2030 } })).toBe(0) // all or nothing
    expect(await db().auditLog.count({ where: { action: 'period.open' } })).toBe(2)
  })

  it('a plan set at the province is inherited below; a commune manager cannot set one outside their subtree', async () => {
    await setPlan(db(), actors.province, { agencyId: f.agencies.P, year: 2026, targetPercent: 80, courseIds: [f.courses.C1], dueOn: '2026-12-31' })
    const own = await effectivePlan(db(), f.agencies.P, 2026)
    const inherited = await effectivePlan(db(), f.agencies.X1, 2026)
    expect(own).toMatchObject({ targetPercent: 80, inherited: false })
    expect(inherited).toMatchObject({ targetPercent: 80, inherited: true, setAt: { id: f.agencies.P } })
    expect(inherited!.courses.map((c) => c.id)).toEqual([f.courses.C1])
    await refusedWith(setPlan(db(), actors.x1, { agencyId: f.agencies.X3, year: 2026, targetPercent: 50, courseIds: [], dueOn: '2026-12-31' }), 'NOT_FOUND')
    await setPlan(db(), actors.x3, { agencyId: f.agencies.X3, year: 2026, targetPercent: 60, courseIds: [], dueOn: '2026-12-31' })
    expect(await effectivePlan(db(), f.agencies.X3, 2026)).toMatchObject({ targetPercent: 60, inherited: false, courses: [] })
    expect(await db().auditLog.count({ where: { action: 'plan.set' } })).toBe(2)
  })
})

describe('the cycle: submit, return, resubmit, approve', () => {
  let firstFigures: SnapshotFigures
  let firstId: string

  it('the draft is the report engine’s figures; submitting freezes them with who and when', async () => {
    const page = await loadAgencyReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1 })
    expect(page.report.status).toBe('OPEN')
    const live = await loadReport(db(), actors.admin, { agency: f.agencies.X1 })
    const liveC1 = await loadReport(db(), actors.admin, { agency: f.agencies.X1, course: f.courses.C1 })
    expect(page.draft!.total).toEqual(Object.fromEntries(Object.keys(page.draft!.total).map((k) => [k, live.focus!.total[k as keyof SnapshotFigures['total']]])))
    expect(page.draft!.courses[0]!.figures.valid).toBe(liveC1.focus!.total.valid)
    expect(page.draft!.key).toMatchObject({ count: liveC1.focus!.total.valid, headcount: live.focus!.total.headcount, targetPercent: 80 })
    const snapshot = await submitReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1, narrative: 'Khó khăn: thiếu máy tính ở trường.' }, '10.0.0.1')
    expect(snapshot.version).toBe(1)
    expect(snapshot.verifyCode).toMatch(/^[a-z2-7]{26}$/)
    const row = await db().reportSnapshot.findUniqueOrThrow({ where: { id: snapshot.id } })
    firstFigures = row.figures as unknown as SnapshotFigures
    firstId = row.id
    expect(firstFigures.total).toEqual(page.draft!.total)
    expect(row).toMatchObject({ narrative: 'Khó khăn: thiếu máy tính ở trường.', submittedById: f.managerX1, submittedByName: 'ql.x1@report.example', late: false })
    expect((await db().periodReport.findFirstOrThrow({ where: { periodId, agencyId: f.agencies.X1 } })).status).toBe('SUBMITTED')
  })

  it('a snapshot does not change when the data it came from changes later', async () => {
    // A new valid C1 certificate in X1 and a new member of staff: the live report moves, the snapshot does not.
    const before = (await db().reportSnapshot.findUniqueOrThrow({ where: { id: firstId } })).figures
    await db().staffRecord.create({ data: { staffCode: 'NV-NEW', fullName: 'Người mới', agencyId: f.agencies.X1, ...staffKeys({ staffCode: 'NV-NEW', fullName: 'Người mới', email: null }) } })
    const live = await loadReport(db(), actors.admin, { agency: f.agencies.X1 })
    expect(live.focus!.total.headcount).toBe(firstFigures.total.headcount + 1)
    expect((await db().reportSnapshot.findUniqueOrThrow({ where: { id: firstId } })).figures).toEqual(before)
    const draftNow = await computeFigures(db(), await db().reportingPeriod.findUniqueOrThrow({ where: { id: periodId } }), f.agencies.X1)
    expect(draftNow.total.headcount).toBe(firstFigures.total.headcount + 1)
  })

  it('the commune cannot approve itself; another subtree gets 404; the province returns with a reason', async () => {
    await refusedWith(reviewReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1, decision: 'APPROVED', version: 1 }), 'FORBIDDEN', 'periods.reviewAbove')
    await refusedWith(reviewReport(db(), actors.x3, { periodId, agencyId: f.agencies.X1, decision: 'APPROVED', version: 1 }), 'NOT_FOUND')
    await refusedWith(loadAgencyReport(db(), actors.x3, { periodId, agencyId: f.agencies.X1 }), 'NOT_FOUND')
    await refusedWith(submitReport(db(), actors.x3, { periodId, agencyId: f.agencies.X1, narrative: '' }), 'NOT_FOUND')
    await refusedWith(loadAgencyReport(db(), actors.learner, { periodId, agencyId: f.agencies.X1 }), 'FORBIDDEN')
    await refusedWith(submitReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1, narrative: 'lần hai' }), 'CONFLICT', 'periods.alreadySubmitted')
    await reviewReport(db(), actors.province, { periodId, agencyId: f.agencies.X1, decision: 'RETURNED', version: 1, reason: 'Thiếu số liệu của trường.' })
    const page = await loadAgencyReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1 })
    expect(page.report.status).toBe('RETURNED')
    expect(page.snapshots[0]!.review).toMatchObject({ decision: 'RETURNED', reason: 'Thiếu số liệu của trường.' })
    expect(page.canSubmit).toBe(true)
  })

  it('the commune resubmits (a new version, the old one kept); the province approves; nothing more is accepted', async () => {
    const v2 = await submitReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1, narrative: 'Đã bổ sung số liệu.' })
    expect(v2.version).toBe(2)
    await refusedWith(reviewReport(db(), actors.province, { periodId, agencyId: f.agencies.X1, decision: 'APPROVED', version: 1 }), 'CONFLICT', 'periods.versionChanged')
    await reviewReport(db(), actors.province, { periodId, agencyId: f.agencies.X1, decision: 'APPROVED', version: 2 })
    await refusedWith(submitReport(db(), actors.x1, { periodId, agencyId: f.agencies.X1, narrative: 'lần ba' }), 'CONFLICT', 'periods.approvedFinal')
    const versions = await db().reportSnapshot.findMany({ where: { report: { periodId, agencyId: f.agencies.X1 } }, orderBy: { version: 'asc' }, include: { review: true } })
    expect(versions.map((v) => [v.version, v.review?.decision])).toEqual([
      [1, 'RETURNED'],
      [2, 'APPROVED'],
    ])
    expect((versions[0]!.figures as unknown as SnapshotFigures).total).toEqual(firstFigures.total)
    expect((versions[1]!.figures as unknown as SnapshotFigures).total.headcount).toBe(firstFigures.total.headcount + 1)
    const audits = await db().auditLog.findMany({ where: { action: { startsWith: 'report.' } }, orderBy: { id: 'asc' } })
    expect(audits.map((a) => a.action)).toEqual(['report.submit', 'report.return', 'report.submit', 'report.approve'])
    expect(audits[0]!.ip).toBe('10.0.0.1')
    // The public check shows the frozen version, and says a newer one exists.
    const checked = await verifySnapshot(db(), versions[0]!.verifyCode)
    expect(checked).toMatchObject({ version: 1, latestVersion: 2, narrative: 'Khó khăn: thiếu máy tính ở trường.' })
    expect(await verifySnapshot(db(), 'a'.repeat(26))).toBeNull()
  })
})

describe('a submitted snapshot cannot be changed by anyone', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of snapshots and reviews — also straight SQL, also through Prisma', async () => {
    const snapshot = await db().reportSnapshot.findFirstOrThrow({ where: { version: 1 } })
    const statements = [
      `UPDATE report_snapshot SET narrative = 'sửa lén' WHERE id = '${snapshot.id}'`,
      `UPDATE report_snapshot SET figures = '{}'::jsonb`,
      `DELETE FROM report_snapshot WHERE id = '${snapshot.id}'`,
      `TRUNCATE report_snapshot CASCADE`,
      `UPDATE report_review SET reason = 'khác' WHERE snapshot_id = '${snapshot.id}'`,
      `DELETE FROM report_review`,
    ]
    for (const statement of statements) {
      await expect(t.db.withConnection((sql) => sql.query(statement)), statement).rejects.toThrow(/report_frozen/)
    }
    await expect(db().reportSnapshot.update({ where: { id: snapshot.id }, data: { narrative: 'sửa' } })).rejects.toThrow(/report_frozen/)
    await expect(db().reportSnapshot.deleteMany({})).rejects.toThrow(/report_frozen/)
    const after = await db().reportSnapshot.findUniqueOrThrow({ where: { id: snapshot.id }, include: { review: true } })
    expect(after).toEqual({ ...snapshot, review: after.review })
    expect(after.review?.reason).toBe('Thiếu số liệu của trường.')
  })
})

describe('races', () => {
  it('two submits at once: one version, one clear 409', async () => {
    const results = await Promise.allSettled([
      submitReport(db(), actors.x3, { periodId, agencyId: f.agencies.X3, narrative: 'cửa sổ một' }),
      submitReport(db(), actors.x3, { periodId, agencyId: f.agencies.X3, narrative: 'cửa sổ hai' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(isAppError(lost.reason) && lost.reason.code === 'CONFLICT' && lost.reason.key === 'periods.alreadySubmitted').toBe(true)
    expect(await db().reportSnapshot.count({ where: { report: { periodId, agencyId: f.agencies.X3 } } })).toBe(1)
  })

  it('an approve and a return at once: one decision, one clear 409', async () => {
    const results = await Promise.allSettled([
      reviewReport(db(), actors.province, { periodId, agencyId: f.agencies.X3, decision: 'APPROVED', version: 1 }),
      reviewReport(db(), actors.admin, { periodId, agencyId: f.agencies.X3, decision: 'RETURNED', version: 1, reason: 'Trả lại cùng lúc' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(isAppError(lost.reason) && lost.reason.code === 'CONFLICT').toBe(true)
    const report = await db().periodReport.findFirstOrThrow({ where: { periodId, agencyId: f.agencies.X3 } })
    const reviews = await db().reportReview.findMany({ where: { snapshot: { reportId: report.id } } })
    expect(reviews).toHaveLength(1)
    expect(report.status).toBe(reviews[0]!.decision)
  })
})

describe('consolidation and the overview for the level above', () => {
  it('the province’s report consolidates its children’s submitted snapshots and names those missing', async () => {
    const page = await loadAgencyReport(db(), actors.province, { periodId, agencyId: f.agencies.P })
    const c = page.draft!
    expect(c.children.map((ch) => ch.name).sort()).toEqual(['Xã Ba', 'Xã Hai', 'Xã Một'])
    const x1 = (await db().reportSnapshot.findFirstOrThrow({ where: { report: { periodId, agencyId: f.agencies.X1 }, version: 2 } })).figures as unknown as SnapshotFigures
    const reported = c.children.filter((ch) => ch.figures)
    const x3status = (await db().periodReport.findFirstOrThrow({ where: { periodId, agencyId: f.agencies.X3 } })).status
    expect(reported.map((ch) => ch.name).sort()).toEqual(x3status === 'APPROVED' ? ['Xã Ba', 'Xã Một'] : ['Xã Một'])
    expect(c.children.find((ch) => ch.name === 'Xã Hai')).toMatchObject({ status: 'OPEN', figures: null })
    expect(c.consolidated.expected).toBe(3)
    expect(c.consolidated.total.headcount).toBe(reported.reduce((s, ch) => s + ch.figures!.headcount, 0))
    expect(reported.find((ch) => ch.name === 'Xã Một')!.figures).toEqual(x1.total)
  })

  it('counts on time, late, missing, returned; rates; the previous period and the trend', async () => {
    // Q3 (due 2026-10-10, long past): X2 submitted late (now), X1 and X3 never — missing.
    await submitReport(db(), actors.admin, { periodId: previousId, agencyId: f.agencies.X2, narrative: '' })
    const o = await loadOverview(db(), actors.province, { periodId, focusId: null })
    expect(o.focus.id).toBe(f.agencies.P)
    expect(o.rows.map((r) => [r.name, r.state]).sort()).toEqual(
      [['Xã Ba', o.rows.find((r) => r.name === 'Xã Ba')!.status === 'RETURNED' ? 'returned' : 'onTime'], ['Xã Hai', 'pending'], ['Xã Một', 'onTime']].sort(),
    )
    expect(o.previous?.id).toBe(previousId)
    expect(o.previous).toMatchObject({ expected: 3, reported: 1, onTime: 0, reportingRate: 33.3, onTimeRate: 0 })
    const prev = await loadOverview(db(), actors.admin, { periodId: previousId, focusId: f.agencies.P }, new Date())
    expect(prev.rows.map((r) => [r.name, r.state]).sort()).toEqual([['Xã Ba', 'missing'], ['Xã Hai', 'late'], ['Xã Một', 'missing']])
    expect(o.trend.map((p) => p.id)).toEqual([previousId, periodId])
    expect(o.current!.reportingRate).toBe(o.rows.filter((r) => r.state === 'onTime').length === 2 ? 66.7 : 33.3)
    expect(o.counts).toMatchObject({ expected: 3, pending: 1, late: 0, missing: 0 })
    // A commune manager sees only their own subtree: the province's overview is 404 to them.
    await refusedWith(loadOverview(db(), actors.x1, { periodId, focusId: f.agencies.P }), 'NOT_FOUND')
  })

  it('a report submitted after the due date is marked late', async () => {
    const late = await submitReport(db(), actors.x1, { periodId: previousId, agencyId: f.agencies.X1, narrative: '' }, null, new Date(Date.now() + DAY))
    expect((await db().reportSnapshot.findUniqueOrThrow({ where: { id: late.id } })).late).toBe(true)
  })
})
