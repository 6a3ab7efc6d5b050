// The report counters (docs/decisions/016) against the live statement they replace: random
// sequences of the writes that change a person's figures — enrolments, completions, certificates
// issued, revoked, renewed, expiring as the clock moves (with and without the expiry job), roster
// re-imports, linking, agency merges, moves and new agencies, assignments, retired courses — and
// after every step the report read from the counters equals the live statement, for every agency as
// focus, every course and any course, and a type filter; and the stored state alone is exact at
// every commit (ADR 016, amendment 2026-12-08: no refresh is queued or left to a job, large ones
// included): every stored person row equals its recomputation (but for the people whose flags
// changed with time since the expiry job ran, which the read corrects), every counter equals the
// sum of the stored rows, and nothing is queued. The repair command finds no drift at the end, and
// finds (and mends) drift made by hand.
import type { PrismaClient } from '@prisma/client'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgency, mergeAgency, moveAgency } from '~/modules/agency/admin.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { userKeys } from '~/modules/auth/keys'
import { advanceReportClock, ANY_COURSE, countersReportSql, rebuildReportCounters } from '~/modules/report/counters.server'
import { shapeReport } from '~/modules/report/service.server'
import { reportSql, type ReportParams, type ReportSqlRow } from '~/modules/report/sql.server'
import { staffKeys } from '~/modules/roster/keys'
import { AppError } from '~/utils/errors'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { openMigratedDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
let admin: Actor
const db = () => t.db.prisma as PrismaClient
let clock = Date.now()
const users: string[] = []
const courses: string[] = []
let seq = 0

beforeAll(async () => {
  t = await openMigratedDatabase()
  f = await buildReportFixture(db(), new Date(clock))
  admin = { id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] }
  users.push(...Object.values(f.users))
  for (let i = 0; i < 3; i++) {
    const fullName = `Người thêm ${i}`
    const email = `them${i}@report.example`
    users.push((await db().user.create({ data: { fullName, email, kind: 'CIVIL_SERVANT', agencyId: f.agencies.X3, ...userKeys({ fullName, email }) } })).id)
  }
  courses.push(f.courses.C1, f.courses.C2)
})

afterAll(async () => {
  await t?.dispose()
})

const activeAgencies = async () =>
  (await db().agency.findMany({ where: { status: 'ACTIVE' }, orderBy: { code: 'asc' }, select: { id: true, parentId: true } })).map((a) => a)

async function certify(userId: string, courseId: string, expiresInDays: number | null) {
  const enrolment = await db().enrolment.upsert({
    where: { userId_courseId: { userId, courseId } },
    update: {},
    create: { userId, courseId, enrolledAt: new Date(clock - DAY) },
  })
  const number = (await db().quizAttempt.count({ where: { enrolmentId: enrolment.id } })) + 1
  const at = new Date(clock)
  const attempt = await db().quizAttempt.create({
    data: { enrolmentId: enrolment.id, userId, courseId, number, status: 'SUBMITTED', draw: [], contentVersion: '1', startedAt: at, submittedAt: at, scorePercent: 100, passed: true },
  })
  const completion = await db().courseCompletion.create({ data: { enrolmentId: enrolment.id, attemptId: attempt.id, completedAt: at } })
  if (!enrolment.completedAt) await db().enrolment.update({ where: { id: enrolment.id }, data: { completedAt: at } })
  seq++
  return db().certificate.create({
    data: {
      number: `P-${seq}-${Date.now()}`,
      code: `p-${seq}-${Math.random().toString(36).slice(2)}-xxxxxxxxxxxxxxxx`,
      completionId: completion.id,
      userId,
      courseId,
      holderName: 'Người',
      courseTitle: 'Khoá',
      courseVersion: '1',
      issuedAt: at,
      expiresAt: expiresInDays === null ? null : new Date(clock + expiresInDays * DAY + 3_600_000),
    },
  })
}

const pick = <T,>(xs: T[], i: number): T => xs[i % xs.length]!
const JOBS = ['Công chức', 'Giáo viên', null]

type Op =
  | { k: 'enrol' | 'complete'; u: number; c: number }
  | { k: 'issue' | 'renew'; u: number; c: number; days: number | null }
  | { k: 'revoke'; i: number }
  | { k: 'advance'; days: number; job: boolean }
  | { k: 'import'; rows: { code: number; ag: number; job: number }[] }
  | { k: 'link'; s: number; u: number | null }
  | { k: 'merge' | 'move'; a: number; b: number }
  | { k: 'newAgency'; parent: number }
  | { k: 'assign'; ag: number; c: number; dueDays: number; teachers: boolean }
  | { k: 'unassign'; i: number }
  | { k: 'retire'; c: number; on: boolean }

const n = fc.nat(50)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom('enrol' as const, 'complete' as const), u: n, c: n }),
  { arbitrary: fc.record({ k: fc.constantFrom('issue' as const, 'renew' as const), u: n, c: n, days: fc.option(fc.integer({ min: 0, max: 200 })) }), weight: 3 },
  fc.record({ k: fc.constant('revoke' as const), i: n }),
  { arbitrary: fc.record({ k: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 90 }), job: fc.boolean() }), weight: 3 },
  fc.record({ k: fc.constant('import' as const), rows: fc.array(fc.record({ code: fc.nat(8), ag: n, job: fc.nat(2) }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ k: fc.constant('link' as const), s: n, u: fc.option(n) }),
  fc.record({ k: fc.constantFrom('merge' as const, 'move' as const), a: n, b: n }),
  fc.record({ k: fc.constant('newAgency' as const), parent: n }),
  fc.record({ k: fc.constant('assign' as const), ag: n, c: n, dueDays: fc.integer({ min: -5, max: 40 }), teachers: fc.boolean() }),
  fc.record({ k: fc.constant('unassign' as const), i: n }),
  fc.record({ k: fc.constant('retire' as const), c: n, on: fc.boolean() }),
)

async function apply(op: Op) {
  const ags = await activeAgencies()
  const nonRoot = ags.filter((a) => a.parentId !== null)
  switch (op.k) {
    case 'enrol':
      await db().enrolment.upsert({
        where: { userId_courseId: { userId: pick(users, op.u), courseId: pick(courses, op.c) } },
        update: {},
        create: { userId: pick(users, op.u), courseId: pick(courses, op.c), enrolledAt: new Date(clock) },
      })
      return
    case 'complete':
      await db().enrolment.upsert({
        where: { userId_courseId: { userId: pick(users, op.u), courseId: pick(courses, op.c) } },
        update: { completedAt: new Date(clock) },
        create: { userId: pick(users, op.u), courseId: pick(courses, op.c), enrolledAt: new Date(clock), completedAt: new Date(clock) },
      })
      return
    case 'issue':
      await certify(pick(users, op.u), pick(courses, op.c), op.days)
      return
    case 'renew': {
      const userId = pick(users, op.u)
      const courseId = pick(courses, op.c)
      const current = await db().certificate.findFirst({ where: { userId, courseId, revokedAt: null, supersededById: null } })
      const renewed = await certify(userId, courseId, op.days)
      if (current) await db().certificate.update({ where: { id: current.id }, data: { supersededById: renewed.id } })
      return
    }
    case 'revoke': {
      const live = await db().certificate.findMany({ where: { revokedAt: null }, orderBy: { number: 'asc' }, select: { id: true } })
      if (live.length) await db().certificate.update({ where: { id: pick(live, op.i).id }, data: { revokedAt: new Date(clock), revokedReason: 'Thử' } })
      return
    }
    case 'advance':
      clock += op.days * DAY
      if (op.job) await advanceReportClock(db(), new Date(clock))
      return
    case 'import': {
      // As the roster import writes: one multi-row upsert that changes only what differs.
      const rows = op.rows.map((r) => ({ code: `IM-${r.code}`, agency: pick(ags, r.ag).id, job: JOBS[r.job] ?? null }))
      const unique = [...new Map(rows.map((r) => [r.code, r])).values()]
      const values = unique.map(
        (r) => `('${r.code}', 'Người ${r.code}', ${r.job ? `'${r.job}'` : 'NULL'}, '${r.agency}'::uuid, '${staffKeys({ staffCode: r.code, fullName: `Người ${r.code}`, email: null }).searchText}', '', now())`,
      )
      await db().$executeRawUnsafe(`
        INSERT INTO staff_record (staff_code, full_name, job_title, agency_id, search_text, sort_key, updated_at) VALUES ${values.join(', ')}
        ON CONFLICT (staff_code) DO UPDATE SET job_title = excluded.job_title, agency_id = excluded.agency_id, updated_at = now()
        WHERE (staff_record.job_title, staff_record.agency_id) IS DISTINCT FROM (excluded.job_title, excluded.agency_id)`)
      return
    }
    case 'link': {
      const staff = await db().staffRecord.findMany({ orderBy: { staffCode: 'asc' }, select: { id: true } })
      const userId = op.u === null ? null : pick(users, op.u)
      await db().$transaction(async (tx) => {
        if (userId) await tx.staffRecord.updateMany({ where: { userId }, data: { userId: null } })
        await tx.staffRecord.update({ where: { id: pick(staff, op.s).id }, data: { userId } })
      })
      return
    }
    case 'merge':
    case 'move': {
      if (nonRoot.length === 0) return
      const a = pick(nonRoot, op.a).id
      const b = pick(ags, op.b).id
      try {
        if (op.k === 'merge') await mergeAgency(db(), admin, { id: a, targetId: b })
        else await moveAgency(db(), admin, { id: a, parentId: b })
      } catch (error) {
        if (!(error instanceof AppError)) throw error
      }
      return
    }
    case 'newAgency':
      seq++
      await createAgency(db(), admin, { code: `T-N${seq}`, name: `Xã Mới ${seq}`, type: 'COMMUNE', parentId: pick(ags, op.parent).id, headcountManual: null })
      return
    case 'assign':
      await db().courseAssignment.create({
        data: {
          courseId: pick(courses, op.c),
          agencyId: pick(ags, op.ag).id,
          jobTitles: op.teachers ? ['Giáo viên'] : [],
          dueAt: new Date(clock + op.dueDays * DAY + 7_200_000),
        },
      })
      return
    case 'unassign': {
      const all = await db().courseAssignment.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true } })
      if (all.length) await db().courseAssignment.delete({ where: { id: pick(all, op.i).id } })
      return
    }
    case 'retire':
      await db().course.update({ where: { id: pick(courses, op.c) }, data: { retiredAt: op.on ? new Date(clock) : null } })
      return
  }
}

/** Every view the counters serve, against the live statement, at the test's clock. */
async function compareAll(context: string) {
  const ags = await activeAgencies()
  const now = new Date(clock)
  for (const courseId of [null, ...courses]) {
    const views: Partial<ReportParams>[] = [{ focusId: null }, ...ags.map((a) => ({ focusId: a.id })), { focusId: null, type: 'COMMUNE' }]
    for (const view of views) {
      const p: ReportParams = { roots: null, focusId: null, courseId, from: null, to: null, type: null, now, ...view }
      const [fromCounters, live] = await Promise.all([
        db().$queryRaw<ReportSqlRow[]>(countersReportSql(p)),
        db().$queryRaw<ReportSqlRow[]>(reportSql(p)),
      ])
      expect(shapeReport(fromCounters), `${context}; course ${courseId ?? 'any'}; view ${JSON.stringify(view)}`).toEqual(shapeReport(live))
    }
  }
  // A manager's scope (several roots is possible; one is enough here).
  const scoped: ReportParams = { roots: [ags[ags.length - 1]!.id], focusId: null, courseId: null, from: null, to: null, type: null, now }
  const [a, b] = await Promise.all([db().$queryRaw<ReportSqlRow[]>(countersReportSql(scoped)), db().$queryRaw<ReportSqlRow[]>(reportSql(scoped))])
  expect(shapeReport(a), `${context}; manager scope`).toEqual(shapeReport(b))
}

/**
 * The stored state alone, right after a commit: every person's stored rows equal their
 * recomputation at the test's clock (but for the people whose flags changed with time since the
 * expiry job ran: the read corrects those, compareAll checks it), every counter equals the sum of
 * the stored rows, nothing is queued for a job.
 */
async function storedExact(context: string) {
  const now = new Date(clock)
  const [r] = await db().$queryRaw<{ rows: number; counters: number; pending: number }[]>`
    WITH d AS (SELECT report_due_people(least(as_of, ${now}::timestamptz), greatest(as_of, ${now}::timestamptz)) AS ids FROM report_clock WHERE id = 1),
    s AS (
      SELECT p.staff_id, p.course_id, p.agency_id, p.enrolled, p.completed, p.valid, p.expiring, p.expired, p.overdue
      FROM report_person p, d WHERE p.staff_id <> ALL(d.ids)),
    f AS (SELECT x.* FROM d, report_person_flags(ARRAY(SELECT id FROM staff_record), ${now}::timestamptz) x WHERE x.staff_id <> ALL(d.ids)),
    c AS (
      SELECT agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue FROM report_counter
      WHERE (staff, enrolled, completed, valid, expiring, expired, overdue) <> (0, 0, 0, 0, 0, 0, 0)),
    g AS (
      SELECT agency_id, course_id, count(*)::int, (count(*) FILTER (WHERE enrolled))::int, (count(*) FILTER (WHERE completed))::int,
        (count(*) FILTER (WHERE valid))::int, (count(*) FILTER (WHERE expiring))::int, (count(*) FILTER (WHERE expired))::int,
        (count(*) FILTER (WHERE overdue))::int
      FROM report_person GROUP BY agency_id, course_id)
    SELECT (SELECT count(*)::int FROM ((SELECT * FROM s EXCEPT ALL SELECT * FROM f) UNION ALL (SELECT * FROM f EXCEPT ALL SELECT * FROM s)) x) AS rows,
      (SELECT count(*)::int FROM ((SELECT * FROM c EXCEPT ALL SELECT * FROM g) UNION ALL (SELECT * FROM g EXCEPT ALL SELECT * FROM c)) y) AS counters,
      (SELECT count(*)::int FROM report_pending) AS pending`
  expect({ rows: Number(r!.rows), counters: Number(r!.counters), pending: Number(r!.pending) }, `${context}: the stored state`).toEqual({ rows: 0, counters: 0, pending: 0 })
}

const RUNS = Number(process.env.REPORT_PROPERTY_RUNS ?? (process.env.DATABASE_URL ? 12 : 6))

describe('report counters = the live statement', () => {
  it('after the fixture and its merger', async () => {
    await mergeAgency(db(), admin, { id: f.agencies.X2, targetId: f.agencies.X1 })
    await compareAll('fixture')
  })

  it('after every step of random sequences of writes, clock moves and expiry runs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        for (const [i, op] of ops.entries()) {
          await apply(op)
          const context = `step ${i} ${JSON.stringify(op)} of ${JSON.stringify(ops)}`
          await compareAll(context)
          await storedExact(context)
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    )
  }, 600_000)

  it('a certificate is never shown valid after it expired, with or without the expiry job', async () => {
    const userId = users[0]!
    const courseId = courses[0]!
    await db().course.update({ where: { id: courseId }, data: { retiredAt: null } })
    await db().staffRecord.updateMany({ where: { userId }, data: { userId: null } })
    const staff = await db().staffRecord.findFirstOrThrow({ where: { userId: null }, orderBy: { staffCode: 'asc' } })
    await db().staffRecord.update({ where: { id: staff.id }, data: { userId } })
    const old = await db().certificate.findMany({ where: { userId, courseId, revokedAt: null, supersededById: null } })
    for (const c of old) await db().certificate.update({ where: { id: c.id }, data: { revokedAt: new Date(clock), revokedReason: 'Thử' } })
    await certify(userId, courseId, 1) // expires in a day and an hour
    const own = async (at: number) => {
      const p: ReportParams = { roots: null, focusId: staff.agencyId, courseId, from: null, to: null, type: null, now: new Date(at) }
      const shaped = shapeReport(await db().$queryRaw<ReportSqlRow[]>(countersReportSql(p)))
      return shaped.focus!.own
    }
    const before = await own(clock)
    const after = await own(clock + 2 * DAY) // no job has run: the read corrects
    expect(after.valid).toBe(before.valid - 1)
    expect(after.expired).toBe(before.expired + 1)
    expect(await advanceReportClock(db(), new Date(clock + 2 * DAY))).toBeGreaterThanOrEqual(1)
    expect(await own(clock + 2 * DAY)).toEqual(after) // the job stored the same
    const stored = await db().reportPerson.findUniqueOrThrow({ where: { staffId_courseId: { staffId: staff.id, courseId } } })
    expect(stored.valid).toBe(false)
    expect(stored.expired).toBe(true)
    clock += 2 * DAY
    await compareAll('after the expiry job')
  })

  it('the expiry job runs once however many processes start it at the same moment', async () => {
    const to = new Date(clock + DAY)
    const results = await Promise.all([advanceReportClock(db(), to), advanceReportClock(db(), to), advanceReportClock(db(), to)])
    // Each either did the work, found it done (0) or found it being done (null); the clock moved once.
    expect(results.filter((r) => r !== null && r !== 0).length).toBeLessThanOrEqual(1)
    expect((await db().reportClock.findUniqueOrThrow({ where: { id: 1 } })).asOf.getTime()).toBe(to.getTime())
    clock += DAY
  })

  it('the rebuild finds no drift after all this, and finds and mends drift made by hand', async () => {
    const clean = await rebuildReportCounters(db())
    expect(clean.drift).toEqual([])
    expect(clean.people).toBeGreaterThan(0)
    // An agency that has a counter row for 'any course' (an agency without staff has none).
    const [row] = await db().$queryRaw<{ agency_id: string }[]>`SELECT agency_id::text FROM report_counter WHERE course_id = ${ANY_COURSE}::uuid ORDER BY agency_id LIMIT 1`
    expect(row).toBeDefined()
    const changed = await db().$executeRaw`UPDATE report_counter SET valid = valid + 3 WHERE agency_id = ${row!.agency_id}::uuid AND course_id = ${ANY_COURSE}::uuid`
    expect(changed).toBe(1)
    const mended = await rebuildReportCounters(db())
    expect(mended.drift).toEqual([expect.objectContaining({ courseId: ANY_COURSE, figure: 'valid', stored: expect.any(Number) })])
    expect(mended.drift[0]!.stored - mended.drift[0]!.recomputed).toBe(3)
    expect((await rebuildReportCounters(db())).drift).toEqual([])
    await compareAll('after the rebuild')
    // A person's stored rows wrong while the counters are right: one changed, one missing, one
    // stray (a record that does not exist) — the rebuild puts back exactly the recomputed rows.
    const rowsOf = () =>
      db().$queryRaw<{ k: string }[]>`SELECT (staff_id, course_id, agency_id, enrolled, completed, valid, expiring, expired, overdue)::text AS k FROM report_person ORDER BY 1`
    const right = await rowsOf()
    const [one, two] = await db().$queryRaw<{ staff_id: string; course_id: string }[]>`
      SELECT staff_id::text, course_id::text FROM report_person ORDER BY staff_id, course_id LIMIT 2`
    await db().$executeRaw`UPDATE report_person SET valid = NOT valid WHERE staff_id = ${one!.staff_id}::uuid AND course_id = ${one!.course_id}::uuid`
    await db().$executeRaw`DELETE FROM report_person WHERE staff_id = ${two!.staff_id}::uuid AND course_id = ${two!.course_id}::uuid`
    await db().$executeRaw`INSERT INTO report_person SELECT gen_random_uuid(), course_id, agency_id, enrolled, completed, valid, expiring, expired, overdue
      FROM report_person WHERE staff_id = ${one!.staff_id}::uuid AND course_id = ${one!.course_id}::uuid`
    expect(await rowsOf()).not.toEqual(right)
    await rebuildReportCounters(db())
    expect(await rowsOf()).toEqual(right)
    // From nothing (a new database, or a bulk load with the triggers off): the flags are written
    // straight into report_person; the counters are the same as the live statement's.
    await db().$executeRawUnsafe('TRUNCATE report_person, report_counter')
    const fromNothing = await rebuildReportCounters(db())
    expect(fromNothing.people).toBe(clean.people)
    expect(fromNothing.drift.length).toBeGreaterThan(0)
    expect((await rebuildReportCounters(db())).drift).toEqual([])
    await compareAll('after a rebuild from nothing')
  })
})
