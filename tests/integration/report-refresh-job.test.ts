// Large counter refreshes in the writer's transaction (docs/decisions/016, amendment of
// 2026-12-08). An assignment on the province root, its removal, a move of a large subtree under
// (and away from) an assignment, a course retired: over 5,000 people each (above the threshold at
// which the version of 2026-12-07 queued them for a background job), and after each commit
//  - nothing is queued and no job is enqueued;
//  - the stored counters alone (report_counter, no read-time correction) equal the live statement,
//    and every stored person row equals its recomputation;
//  - the province view reads no row per person: its statement's plan (EXPLAIN ANALYZE) reads a
//    number of rows that does not grow with the people the write concerned;
// a write that rolls back leaves the counters as they were; the job `report.refresh` still drains a
// queue left by a process started before the migration. On PostgreSQL and on PGlite.
import type { PrismaClient } from '@prisma/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moveAgency } from '~/modules/agency/admin.server'
import { createAssignment, deleteAssignment } from '~/modules/assignment/service.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { runDueJobs } from '~/modules/jobs/runner.server'
import { advanceReportClock, ANY_COURSE, countersReportSql, rebuildReportCounters, startReportClock } from '~/modules/report/counters.server'
import { REPORT_REFRESH_JOB, reportJobs } from '~/modules/report/refresh.server'
import type { ReportFilters } from '~/modules/report/schema'
import { loadReport, reportParams, shapeReport } from '~/modules/report/service.server'
import { reportSql, type ReportSqlRow } from '~/modules/report/sql.server'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
let admin: Actor
let big: string
const db = (): PrismaClient => t.db.prisma
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000)
/** More people than the version of 2026-12-07 refreshed in the writer's transaction (5,000). */
const MANY = 5_100

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db())
  admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  // A large commune under the province: MANY staff records (one statement, refreshed by its trigger).
  big = (await db().agency.create({ data: { code: 'T-XL', name: 'Xã Lớn', type: 'COMMUNE', parentId: f.agencies.P } })).id
  await db().$executeRaw`
    INSERT INTO staff_record (staff_code, full_name, job_title, agency_id, search_text, sort_key, updated_at)
    SELECT 'XL-' || i, 'Người ' || i, CASE WHEN i % 3 = 0 THEN 'Giáo viên' ELSE 'Công chức' END, ${big}::uuid, 'nguoi ' || i, '', now()
    FROM generate_series(1, ${MANY}) i`
}, 300_000)

afterAll(async () => {
  await t?.dispose()
})

const pending = async () => Number((await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report_pending`)[0]!.n)
const refreshJobs = () => db().job.findMany({ where: { kind: REPORT_REFRESH_JOB }, orderBy: { createdAt: 'asc' } })

/** The stored counters of a course (or any course) summed over the whole tree: no read-time correction. */
async function stored(courseId: string) {
  const [row] = await db().$queryRaw<{ overdue: number; staff: number }[]>`
    SELECT COALESCE(sum(c.overdue), 0)::int AS overdue, COALESCE(sum(c.staff), 0)::int AS staff
    FROM report_counter c JOIN agency_closure cl ON cl.descendant_id = c.agency_id AND cl.ancestor_id = ${f.agencies.P}::uuid
    WHERE c.course_id = ${courseId}::uuid`
  return { overdue: Number(row!.overdue), staff: Number(row!.staff) }
}

/** The live statement's province total (no counters). */
async function live(courseId: string | null) {
  const shaped = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, { agency: f.agencies.P, ...(courseId ? { course: courseId } : {}) }, new Date()))))
  return shaped.focus!.total
}

/** Every stored person row equals its recomputation now (nobody's flags changed with time here). */
async function storedRowsExact(at = new Date()) {
  const [row] = await db().$queryRaw<{ n: number }[]>`
    WITH f AS (SELECT * FROM report_person_flags(ARRAY(SELECT id FROM staff_record), greatest(${at}::timestamptz, (SELECT as_of FROM report_clock WHERE id = 1)))),
    s AS (SELECT staff_id, course_id, agency_id, enrolled, completed, valid, expiring, expired, overdue FROM report_person)
    SELECT count(*)::int AS n FROM ((SELECT * FROM s EXCEPT ALL SELECT * FROM f) UNION ALL (SELECT * FROM f EXCEPT ALL SELECT * FROM s)) d`
  return Number(row!.n)
}

/** After a commit: nothing queued, the stored counters and rows exact, every view exact. */
async function expectExactAtCommit(context: string, courseId: string) {
  expect(await pending(), context).toBe(0)
  expect(await refreshJobs(), context).toEqual([])
  expect(await storedRowsExact(), `${context}: stored rows`).toBe(0)
  const total = await live(courseId)
  expect((await stored(courseId)).overdue, `${context}: stored overdue of the course`).toBe(total.overdue)
  expect((await stored(ANY_COURSE)).overdue, `${context}: stored overdue of any course`).toBe((await live(null)).overdue)
  const listed = new Set((await db().course.findMany({ where: { retiredAt: null }, select: { id: true } })).map((c) => c.id))
  const views: ReportFilters[] = [{}, { agency: f.agencies.P }, { agency: f.agencies.P, course: f.courses.C1 }, { agency: f.agencies.P, course: f.courses.C2 }, { type: 'COMMUNE' }]
  for (const filters of views.filter((v) => !v.course || listed.has(v.course))) {
    const now = new Date()
    const loaded = await loadReport(db(), admin, filters, now)
    const liveReport = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, filters, now))))
    expect({ focus: loaded.focus, rows: loaded.rows, breadcrumb: loaded.breadcrumb }, `${context}; ${JSON.stringify(filters)}`).toEqual(liveReport)
  }
  return total
}

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  Plans?: PlanNode[]
}

/** Rows the province view's statement reads from the person-level tables (report_person, report_pending, staff_record). */
async function personRowsReadByProvinceView(courseId: string | null) {
  const q = countersReportSql(reportParams(admin, { agency: f.agencies.P, ...(courseId ? { course: courseId } : {}) }, new Date()))
  const [row] = await db().$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, ...q.values)
  const raw = row!['QUERY PLAN']
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[]
  let rows = 0
  const walk = (n: PlanNode) => {
    if (n['Relation Name'] && ['report_person', 'report_pending', 'staff_record'].includes(n['Relation Name'])) rows += (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1)
    n.Plans?.forEach(walk)
  }
  walk(plan[0]!.Plan)
  return rows
}

describe("large counter refreshes run in the writer's transaction: exact at commit, nothing queued", () => {
  it('an assignment on the province root (past due) changes the stored counters in its own transaction', async () => {
    const before = await stored(f.courses.C2)
    const created = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() - DAY) })
    const total = await expectExactAtCommit('assigned', f.courses.C2)
    expect(total.overdue).toBeGreaterThanOrEqual(MANY) // every person of the large commune is overdue now
    expect(total.overdue).toBeGreaterThan(before.overdue)
    // Not due yet: nobody's figures change; removed again: as before.
    await deleteAssignment(db(), admin, created.id)
    expect(await stored(f.courses.C2)).toEqual(before)
    await expectExactAtCommit('removed', f.courses.C2)
    const ahead = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() + 30 * DAY) })
    expect(await stored(f.courses.C2)).toEqual(before)
    await expectExactAtCommit('assigned, not due', f.courses.C2)
    await deleteAssignment(db(), admin, ahead.id)
  })

  it('the province view reads no row per person after a large write (its plan reads as many rows as before it)', async () => {
    const quiet = await personRowsReadByProvinceView(null)
    const quietC1 = await personRowsReadByProvinceView(f.courses.C1)
    const created = await createAssignment(db(), admin, { courseId: f.courses.C1, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() - DAY) })
    // A few rows at most (the people whose flags changed with time since the expiry job), never
    // the thousands of people the assignment concerned.
    expect(await personRowsReadByProvinceView(null)).toBeLessThanOrEqual(quiet + 20)
    expect(await personRowsReadByProvinceView(f.courses.C1)).toBeLessThanOrEqual(quietC1 + 20)
    expect(quiet).toBeLessThan(MANY / 10)
    await expectExactAtCommit('assigned C1 on the province', f.courses.C1)
    await deleteAssignment(db(), admin, created.id)
    await expectExactAtCommit('C1 removed', f.courses.C1)
  })

  it('a move of the large commune under an assignment and back, and a course retired, are exact at commit', async () => {
    // D holds an assignment of C1 (due in 30 days in the fixture): one past due on D makes every
    // person moved under D overdue.
    const onD = await createAssignment(db(), admin, { courseId: f.courses.C1, agencyId: f.agencies.D, jobTitles: ['Giáo viên'], dueAt: new Date(Date.now() - DAY) })
    const before = await stored(f.courses.C1)
    await moveAgency(db(), admin, { id: big, parentId: f.agencies.D })
    const moved = await expectExactAtCommit('moved under D', f.courses.C1)
    expect(moved.overdue).toBeGreaterThanOrEqual(before.overdue + Math.floor(MANY / 3))
    await db().course.update({ where: { id: f.courses.C1 }, data: { retiredAt: new Date() } })
    await expectExactAtCommit('C1 retired', f.courses.C1)
    await db().course.update({ where: { id: f.courses.C1 }, data: { retiredAt: null } })
    await expectExactAtCommit('C1 restored', f.courses.C1)
    await moveAgency(db(), admin, { id: big, parentId: f.agencies.P })
    await expectExactAtCommit('moved back', f.courses.C1)
    expect(await stored(f.courses.C1)).toEqual(before)
    await deleteAssignment(db(), admin, onD.id)
    expect((await rebuildReportCounters(db())).drift).toEqual([])
  })

  it('a write that rolls back leaves the counters as they were', async () => {
    const before = [await stored(f.courses.C2), await stored(ANY_COURSE)]
    await expect(
      db().$transaction(async (tx) => {
        await tx.courseAssignment.create({ data: { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() - DAY) } })
        throw new Error('huỷ giữa chừng')
      }),
    ).rejects.toThrow('huỷ giữa chừng')
    expect([await stored(f.courses.C2), await stored(ANY_COURSE)]).toEqual(before)
    await expectExactAtCommit('rolled back', f.courses.C2)
  })

  it('the job still drains a queue left by a process started before the migration', async () => {
    // As the version of 2026-12-07 left a large refresh: the write committed, its people queued and
    // a job enqueued, their stored rows and the counters not refreshed (here: an assignment written
    // with the triggers off, and its people queued by hand).
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL session_replication_role = replica`
      await tx.courseAssignment.create({ data: { courseId: f.courses.C1, agencyId: big, jobTitles: [], dueAt: new Date(Date.now() - DAY) } })
      await tx.$executeRaw`INSERT INTO report_pending (staff_id, course_id) SELECT s.id, ${f.courses.C1}::uuid FROM staff_record s WHERE s.agency_id = ${big}::uuid`
      await tx.job.create({ data: { kind: REPORT_REFRESH_JOB, key: 'report.refresh:legacy', payload: { people: MANY, courses: 1 }, maxAttempts: 10 } })
    })
    expect(await storedRowsExact()).toBeGreaterThanOrEqual(MANY)
    expect(await runDueJobs(db(), reportJobs(), { now: later(1) })).toMatchObject({ done: 1, failed: 0 })
    expect(await pending()).toBe(0)
    expect(await storedRowsExact()).toBe(0)
    expect((await rebuildReportCounters(db())).drift).toEqual([])
    await db().job.deleteMany({ where: { kind: REPORT_REFRESH_JOB } })
    await expectExactAtCommit('legacy queue drained', f.courses.C1)
  })

  it('each process runs the expiry job at the instant an assignment falls due, not at the end of its interval', async () => {
    const asOf = async () => (await db().reportClock.findUniqueOrThrow({ where: { id: 1 } })).asOf.getTime()
    const due = new Date(Math.max(Date.now(), await asOf()) + 2_000)
    const created = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.X3, jobTitles: [], dueAt: due })
    const errors: unknown[] = []
    // An interval of ten minutes: only the assignment's due instant can bring the job forward.
    const stop = startReportClock(db(), (error) => errors.push(error), 600_000)
    try {
      // (well before the old fixed minute, with room for a loaded machine)
      const deadline = Date.now() + 30_000
      while ((await asOf()) < due.getTime() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      expect(await asOf()).toBeGreaterThanOrEqual(due.getTime())
      expect(errors).toEqual([])
    } finally {
      stop()
    }
    await deleteAssignment(db(), admin, created.id)
    await expectExactAtCommit('after the job ran at the due instant', f.courses.C2)
  }, 180_000)

  it('the expiry job refreshes the people of an assignment on the province root when it falls due (set-based), exact', async () => {
    const created = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() + DAY) })
    const before = await stored(f.courses.C2)
    const at = new Date(Date.now() + 2 * DAY)
    expect(await advanceReportClock(db(), at)).toBeGreaterThanOrEqual(MANY)
    const live2 = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, { agency: f.agencies.P, course: f.courses.C2 }, at)))).focus!.total
    expect((await stored(f.courses.C2)).overdue).toBe(live2.overdue)
    expect(live2.overdue).toBeGreaterThanOrEqual(before.overdue + MANY - Math.ceil(MANY / 3))
    expect(await storedRowsExact(at)).toBe(0)
    await deleteAssignment(db(), admin, created.id)
  })

  it('a report read after a province-wide assignment fell due does the job first: no person is recomputed at read time', async () => {
    const created = await createAssignment(db(), admin, { courseId: f.courses.C2, agencyId: f.agencies.P, jobTitles: [], dueAt: new Date(Date.now() + 3 * DAY) })
    // (after the test above, whose clock is two days ahead)
    const at = new Date(Date.now() + 4 * DAY)
    const report = await loadReport(db(), admin, { agency: f.agencies.P, course: f.courses.C2 }, at)
    // The clock has passed the due instant: the read's own statement had nobody to correct.
    expect((await db().reportClock.findUniqueOrThrow({ where: { id: 1 } })).asOf.getTime()).toBeGreaterThanOrEqual(at.getTime())
    const live = shapeReport(await db().$queryRaw<ReportSqlRow[]>(reportSql(reportParams(admin, { agency: f.agencies.P, course: f.courses.C2 }, at)))).focus!.total
    expect(report.focus!.total.overdue).toBe(live.overdue)
    expect((await stored(f.courses.C2)).overdue).toBe(live.overdue)
    // Nothing fell due since: the next read leaves the clock alone.
    const clock = (await db().reportClock.findUniqueOrThrow({ where: { id: 1 } })).asOf.getTime()
    await loadReport(db(), admin, { agency: f.agencies.P, course: f.courses.C2 }, at)
    expect((await db().reportClock.findUniqueOrThrow({ where: { id: 1 } })).asOf.getTime()).toBe(clock)
    await deleteAssignment(db(), admin, created.id)
  })
})
