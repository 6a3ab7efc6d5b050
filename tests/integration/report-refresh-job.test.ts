// Large counter refreshes out of the admin's transaction (docs/decisions/016, amendment of
// 2026-12-07): above report_clock.refresh_inline_max people, an assignment or an agency move
// queues its people in report_pending and enqueues the job `report.refresh` instead of refreshing
// them in the writing transaction. The report is exact right after the write (the queued people
// are computed at read time), during a partial drain, after a failed run and after the job; a
// failed run is retried; two runners drain each queued pair once. On PostgreSQL and on PGlite.
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moveAgency } from '~/modules/agency/admin.server'
import { createAssignment, deleteAssignment } from '~/modules/assignment/service.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { runDueJobs } from '~/modules/jobs/runner.server'
import { rebuildReportCounters } from '~/modules/report/counters.server'
import { drainReportPending, REPORT_REFRESH_JOB, reportJobs, reportRefreshStatus } from '~/modules/report/refresh.server'
import type { ReportFilters } from '~/modules/report/schema'
import { loadReport, reportParams, shapeReport } from '~/modules/report/service.server'
import { reportSql, type ReportSqlRow } from '~/modules/report/sql.server'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
let admin: Actor
const db = (): PrismaClient => t.db.prisma
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000)

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db())
  admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
})

afterAll(async () => {
  await t?.dispose()
})

const setInlineMax = (n: number) => db().$executeRaw`UPDATE report_clock SET refresh_inline_max = ${n} WHERE id = 1`
const pending = async () => Number((await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report_pending`)[0]!.n)
const refreshJobs = () => db().job.findMany({ where: { kind: REPORT_REFRESH_JOB }, orderBy: { createdAt: 'asc' } })

/** What the stored counters alone say for a course over the whole tree (no read-time correction). */
async function storedOverdue(courseId: string) {
  return Number((await db().$queryRaw<{ n: number }[]>`SELECT COALESCE(sum(overdue), 0)::int AS n FROM report_counter WHERE course_id = ${courseId}::uuid`)[0]!.n)
}

/** The report the page loads against the live statement (no counters), for every view used here. */
async function expectExact(context: string) {
  const views: ReportFilters[] = [{}, { agency: f.agencies.P }, { agency: f.agencies.X1 }, { agency: f.agencies.P, course: f.courses.C1 }, { agency: f.agencies.P, course: f.courses.C2 }, { type: 'COMMUNE' }]
  for (const filters of views) {
    const now = new Date()
    const loaded = await loadReport(db(), admin, filters, now)
    const live = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, filters, now))))
    expect({ focus: loaded.focus, rows: loaded.rows, breadcrumb: loaded.breadcrumb }, `${context}; ${JSON.stringify(filters)}`).toEqual(live)
  }
}

describe('large counter refreshes run in the job, and the report stays exact', () => {
  it('below the threshold an assignment refreshes in its own transaction, as before', async () => {
    await setInlineMax(5000)
    const before = await storedOverdue(f.courses.C2)
    const created = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.X3, jobTitles: [], dueAt: new Date(Date.now() - DAY) })
    expect(await pending()).toBe(0)
    expect(await refreshJobs()).toEqual([])
    expect(await storedOverdue(f.courses.C2)).toBeGreaterThan(before) // c1 and c2 of X3 are overdue now, stored at once
    await expectExact('inline')
    await deleteAssignment(db(), admin, created.id)
  })

  it('above the threshold an assignment on the province returns without refreshing: queued, and the report exact at once', async () => {
    await setInlineMax(1)
    const before = await storedOverdue(f.courses.C2)
    const staffBelow = await db().staffRecord.count()
    await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() - DAY) })
    // Nothing refreshed in the admin's transaction: the stored counters are what they were.
    expect(await storedOverdue(f.courses.C2)).toBe(before)
    expect(await pending()).toBe(staffBelow)
    const jobs = await refreshJobs()
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ status: 'QUEUED', payload: { people: staffBelow, courses: 1 } })
    // The report corrects the queued people at read time: exact, and it says it is updating.
    await expectExact('queued')
    const report = await loadReport(db(), admin, {})
    expect(report.refreshing).toEqual({ pending: staffBelow, percent: 0 })
    // The live statement agrees that the stored counters are behind (the correction is real).
    const live = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, { course: f.courses.C2 }, new Date()))))
    expect(live.focus!.total.overdue).toBeGreaterThan(before)
  })

  it('the job refreshes everything queued; afterwards the stored counters are exact and nothing is pending', async () => {
    const summary = await runDueJobs(db(), reportJobs({ chunk: 2 }), { now: later(1) })
    expect(summary).toMatchObject({ done: 1, retried: 0, failed: 0 })
    expect(await pending()).toBe(0)
    expect(await reportRefreshStatus(db())).toBeNull()
    const live = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, { course: f.courses.C2 }, new Date()))))
    expect(await storedOverdue(f.courses.C2)).toBe(live.focus!.total.overdue)
    await expectExact('after the job')
    expect((await rebuildReportCounters(db())).drift).toEqual([])
  })

  it('a run that fails part-way is retried later; the report is exact after the failure and after the retry', async () => {
    const assignment = await db().courseAssignment.findFirstOrThrow({ where: { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: { isEmpty: true } } })
    await deleteAssignment(db(), admin, assignment.id)
    const queued = await pending()
    expect(queued).toBeGreaterThan(2)
    let chunks = 0
    const failing = reportJobs({
      chunk: 1,
      onChunk: () => {
        chunks++
        if (chunks === 2) throw new Error('mất kết nối giữa chừng')
      },
    })
    const first = await runDueJobs(db(), failing, { now: later(1) })
    expect(first).toMatchObject({ done: 0, retried: 1 })
    // Two chunks committed before the failure; the rest is still queued, and still corrected.
    expect(await pending()).toBe(queued - 2)
    const job = (await refreshJobs()).find((j) => j.status !== 'DONE')!
    expect(job).toMatchObject({ status: 'QUEUED', attempts: 1, lastError: 'mất kết nối giữa chừng' })
    await expectExact('after a failed run')
    expect((await reportRefreshStatus(db()))?.percent).toBeGreaterThan(0)
    // Not before its retry delay; then it finishes.
    expect(await runDueJobs(db(), reportJobs(), { now: later(0.5) })).toMatchObject({ done: 0, retried: 0 })
    expect(await runDueJobs(db(), reportJobs(), { now: later(3) })).toMatchObject({ done: 1 })
    expect(await pending()).toBe(0)
    await expectExact('after the retry')
    expect((await rebuildReportCounters(db())).drift).toEqual([])
  })

  it('a move of a subtree under an assignment is queued too, and two runners drain each pair once', async () => {
    await setInlineMax(1)
    // X3 (two people) and its subtree under D, which holds an assignment of C1 (not yet due).
    await moveAgency(db(), admin, { id: f.agencies.X3, parentId: f.agencies.D })
    // A province-wide assignment (everyone) and the move back: more pairs queued.
    await createAssignment(db(), admin, { courseId: f.courses.C1, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() - DAY) })
    await moveAgency(db(), admin, { id: f.agencies.X3, parentId: f.agencies.P })
    const queued = await pending()
    expect(queued).toBeGreaterThan(2)
    await expectExact('moved and assigned, queued')
    const drained = await Promise.all([drainReportPending(db(), { chunk: 1 }), drainReportPending(db(), { chunk: 1 })])
    expect(drained[0] + drained[1]).toBe(queued)
    expect(await pending()).toBe(0)
    await expectExact('drained by two runners')
    expect((await rebuildReportCounters(db())).drift).toEqual([])
  })

  it('the rebuild refreshes what is queued first: it is not reported as drift', async () => {
    await setInlineMax(1)
    const assignment = await db().courseAssignment.findFirstOrThrow({ where: { courseId: f.courses.C1, agencyId: f.agencies.P } })
    await deleteAssignment(db(), admin, assignment.id)
    expect(await pending()).toBeGreaterThan(0)
    expect((await rebuildReportCounters(db())).drift).toEqual([])
    expect(await pending()).toBe(0)
    await expectExact('after the rebuild')
    await setInlineMax(5000)
  })
})
