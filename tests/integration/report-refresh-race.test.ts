// Two transactions refreshing the same person at once (docs/decisions/016, amendment of
// 2026-12-08, "Concurrent refreshes of one person"). Under READ COMMITTED each refresh computes the
// person's "any course" row from the rows its snapshot sees and moves the counters by the
// difference from the stored row it read. Forced interleaving, on two connections:
//   T1: BEGIN; write for person P (its trigger refreshes P)            — T1 stays open
//   T2: BEGIN; write for person P in another course                    — must wait for T1
//   T1: COMMIT;  T2: finishes its statement;  T2: COMMIT
// Afterwards every stored person row and every counter must equal a full recomputation.
// Before migration 20261208300000 T2 read P's stored rows before T1 committed, then waited on the
// row lock of P's "any course" row and overwrote it: the counters of "any course" counted P twice.
// PostgreSQL only: PGlite has one connection, so two transactions cannot be open at once there (the
// race does not exist in that mode; the other report tests cover its single-connection path).
import type { PrismaClient } from '@prisma/client'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { rebuildReportCounters } from '~/modules/report/counters.server'
import { staffKeys } from '~/modules/roster/keys'
import { buildReportFixture, type ReportFixture } from '../setup/report-fixture'
import { openMigratedDatabase, REAL_POSTGRES_URL, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let f: ReportFixture
let c1: pg.Client
let c2: pg.Client
const db = (): PrismaClient => t.db.prisma

describe.skipIf(!REAL_POSTGRES_URL)('concurrent refreshes of one person (PostgreSQL, two connections)', () => {
  beforeAll(async () => {
    t = await openMigratedDatabase('postgres')
    f = await buildReportFixture(db())
    c1 = new pg.Client({ connectionString: t.url })
    c2 = new pg.Client({ connectionString: t.url })
    await c1.connect()
    await c2.connect()
  }, 300_000)

  afterAll(async () => {
    await c1?.end()
    await c2?.end()
    await t?.dispose()
  })

  let n = 0
  /** A new linked person in commune X1 with no enrolment: their user id. */
  async function newPerson(agencyId = f.agencies.X1) {
    n += 1
    const fullName = `Người Đua ${n}`
    const email = `dua${n}@report.example`
    const user = await db().user.create({ data: { fullName, email, kind: 'CIVIL_SERVANT', agencyId, jobTitle: 'Công chức', ...userKeys({ fullName, email }) } })
    const staffCode = `NV-DUA-${n}`
    await db().staffRecord.create({ data: { staffCode, fullName, jobTitle: 'Công chức', agencyId, userId: user.id, ...staffKeys({ staffCode, fullName, email: null }) } })
    return user.id
  }

  /** Every stored person row equals its recomputation, and the rebuild finds no drift in the counters. */
  async function expectExact(context: string) {
    const [row] = await db().$queryRaw<{ n: number }[]>`
      WITH f AS (SELECT * FROM report_person_flags(ARRAY(SELECT id FROM staff_record), greatest(now(), (SELECT as_of FROM report_clock WHERE id = 1)))),
      s AS (SELECT staff_id, course_id, agency_id, enrolled, completed, valid, expiring, expired, overdue FROM report_person)
      SELECT count(*)::int AS n FROM ((SELECT * FROM s EXCEPT ALL SELECT * FROM f) UNION ALL (SELECT * FROM f EXCEPT ALL SELECT * FROM s)) d`
    const drift = (await rebuildReportCounters(db())).drift
    expect({ rows: Number(row!.n), drift }, context).toEqual({ rows: 0, drift: [] })
  }

  /** Waits until connection `client`'s backend waits on a lock (the barrier: T2 has read what it reads before waiting). */
  async function waitUntilBlocked(pid: number, pending: Promise<unknown>) {
    let done = false
    void pending.then(
      () => (done = true),
      () => (done = true)
    )
    for (let i = 0; i < 600; i++) {
      if (done) return 'finished'
      const [row] = await db().$queryRaw<{ w: string | null }[]>`SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = ${pid}`
      if (row?.w === 'Lock') return 'blocked'
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('T2 neither blocked nor finished within 30 s')
  }

  /** T1 runs `first` and stays open; T2 runs `second` until it blocks (or finishes); T1 commits, then T2. */
  async function interleave(first: string, firstParams: unknown[], second: string, secondParams: unknown[]) {
    const pid2 = (await c2.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
    await c1.query('BEGIN')
    await c1.query(first, firstParams)
    await c2.query('BEGIN')
    const pending = c2.query(second, secondParams)
    const state = await waitUntilBlocked(pid2, pending)
    await c1.query('COMMIT')
    await pending
    await c2.query('COMMIT')
    return state
  }

  const enrol = 'INSERT INTO enrolment (user_id, course_id) SELECT u, $2::uuid FROM unnest($1::uuid[]) u'

  it('two enrolments of one person in two courses (one person, one course each: report_refresh_one)', async () => {
    const p = await newPerson()
    await expectExact('before')
    const state = await interleave(enrol, [[p], f.courses.C1], enrol, [[p], f.courses.C2])
    expect(state).toBe('blocked')
    await expectExact('after two concurrent enrolments')
  })

  it('a completion and an enrolment of one person in another course', async () => {
    const p = await newPerson()
    await db().enrolment.create({ data: { userId: p, courseId: f.courses.C1 } })
    await expectExact('before')
    await interleave('UPDATE enrolment SET completed_at = now() WHERE user_id = $1::uuid AND course_id = $2::uuid', [p, f.courses.C1], enrol, [[p], f.courses.C2])
    await expectExact('after a completion and a concurrent enrolment')
  })

  it('two multi-person statements sharing people, listed in opposite orders (report_refresh_few): no drift, no deadlock', async () => {
    const p = await newPerson()
    const q = await newPerson()
    const r = await newPerson()
    await expectExact('before')
    await interleave(enrol, [[p, q, r], f.courses.C1], enrol, [[r, q, p], f.courses.C2])
    await expectExact('after two concurrent imports of enrolments')
  })

  // An assignment refreshes "overdue" of its subtree's people (report_refresh_overdue), set-based,
  // from their stored rows: it must wait for, and be waited for by, a learner's refresh of one of them.
  const assign = "INSERT INTO course_assignment (course_id, agency_id, due_at) VALUES ($1::uuid, $2::uuid, now() - interval '1 day')"

  it('a past-due assignment on the agency, then an enrolment of one of its people in that course', async () => {
    const commune = (await db().agency.create({ data: { code: 'T-DUA1', name: 'Xã Đua Một', type: 'COMMUNE', parentId: f.agencies.P } })).id
    const p = await newPerson(commune)
    await newPerson(commune)
    await expectExact('before')
    await interleave(assign, [f.courses.C1, commune], enrol, [[p], f.courses.C1])
    await expectExact('after an assignment and a concurrent enrolment')
  })

  it("an enrolment, then a past-due assignment on the person's agency in that course", async () => {
    const commune = (await db().agency.create({ data: { code: 'T-DUA2', name: 'Xã Đua Hai', type: 'COMMUNE', parentId: f.agencies.P } })).id
    const p = await newPerson(commune)
    await newPerson(commune)
    await expectExact('before')
    await interleave(enrol, [[p], f.courses.C1], assign, [f.courses.C1, commune])
    await expectExact('after an enrolment and a concurrent assignment')
  })
})
