// The bulk part of the report bench's data set generated inside PostgreSQL (BENCH_GEN=sql, the
// default since 2026-12-07): users, staff records, enrolments, quiz attempts, completions and
// certificates with INSERT … SELECT over generate_series, no row leaving the server. The same
// shape as bench/report-copy.ts (BENCH_GEN=copy, kept to measure against): per (person, course)
// enrolled 85 %, completed 60 % of those, a certificate for one in three in every status, from a
// deterministic hash (PostgreSQL's hashint8 here, so not the same people as the COPY version, the
// same proportions). Ids are deterministic and ascending per table (primary keys are appended to):
// person i, course k → enrolment 16·i + k, attempt / completion / certificate 2·(16·i + k) (+ 1
// for a renewal), every reference computed, never joined back.
//
// With `parallel`, the two independent chains (people and enrolments; attempts, completions and
// certificates) are written by two connections at once: two server processes on the two cores.
// The caller has truncated the tables, dropped the secondary indexes and disabled the triggers
// (session_replication_role = replica on every connection given here).
import type pg from 'pg'

export interface SqlPlan {
  staff: number
  unlinked: number
  agencies: string[]
  courses: string[]
  now: Date
}

/** Person i's hash for course k and salt s: a non-negative int, stable across runs. */
const H = (i: string, k: string, s: number) => `(hashint8((${i})::bigint * 1000003 * 1000003 + (${k})::bigint * 1000003 + ${s}) & 2147483647)`
const uid = (table: number, n: string) => `('${table.toString(16).padStart(8, '0')}-0000-4000-8000-' || lpad(to_hex((${n})::bigint), 12, '0'))::uuid`
const USER = 0x10
const STAFF = 0x20
const ENROLMENT = 0x30
const ATTEMPT = 0x40
const COMPLETION = 0x50
const CERTIFICATE = 0x60

export async function generateInSql(clients: pg.Client[], plan: SqlPlan, log: (s: string) => void): Promise<void> {
  const K = plan.courses.length
  if (K > 16) throw new Error('at most 16 courses (ids are 16·person + course)')
  // $1 now, $2 agencies, $3 courses, $4 staff (and $5 unlinked for the staff records).
  const base = [plan.now, plan.agencies, plan.courses, plan.staff]
  const agencyOf = (i: string, salt: number) => `($2::uuid[])[1 + ${H(i, '0', salt)} % cardinality($2::uuid[])]`
  const day = (d: string) => `($1::timestamptz - (${d}) * interval '1 day')`
  // Person i, course k: n = 16·i + k, for every (person, course) pair, person by person.
  const pairs = `generate_series(1, $4::int) i, LATERAL generate_series(16 * i, 16 * i + ${K - 1}) n`
  const k = 'n - 16 * i'
  // The certified pairs (enrolled, completed, one in three), with their completion day and kind.
  const certified = `(SELECT i, n, ${H('i', k, 5)} % 800 AS d, ${H('i', k, 7)} % 100 AS kind FROM ${pairs}
    WHERE ${H('i', k, 3)} % 100 < 85 AND ${H('i', k, 4)} % 100 < 60 AND ${H('i', k, 6)} % 3 = 0) c,
    LATERAL (SELECT 0 AS r UNION ALL SELECT 1 WHERE c.kind >= 90) x`
  // Every parameter typed up front (a parameter a statement does not use would have no type).
  const typed = `WITH params AS (SELECT $1::timestamptz AS now, $2::uuid[] AS agencies, $3::uuid[] AS courses, $4::int AS staff) `
  const step = async (client: pg.Client, label: string, sql: string, values: unknown[] = base) => {
    const started = performance.now()
    const r = await client.query(typed + sql, values)
    log(`  ${label}: ${r.rowCount} (INSERT … SELECT, ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  const people = async (client: pg.Client) => {
    await step(
      client,
      'users',
      `INSERT INTO app_user (id, full_name, email, kind, agency_id, job_title, updated_at)
       SELECT ${uid(USER, 'i')}, 'Cán bộ ' || i, 'cb' || i || '@bench.example', 'CIVIL_SERVANT', ${agencyOf('i', 1)},
         CASE WHEN i % 5 = 0 THEN 'Giáo viên' ELSE 'Công chức' END, $1
       FROM generate_series(1, $4::int) i`,
    )
    await step(
      client,
      'staff records (linked and unlinked)',
      `INSERT INTO staff_record (id, staff_code, full_name, email, job_title, agency_id, user_id, updated_at)
       SELECT ${uid(STAFF, 'i')}, 'CB' || lpad(i::text, 8, '0'), 'Cán bộ ' || i, 'cb' || i || '@bench.example',
         CASE WHEN i % 5 = 0 THEN 'Giáo viên' ELSE 'Công chức' END, ${agencyOf('i', 1)}, ${uid(USER, 'i')}, $1
       FROM generate_series(1, $4::int) i
       UNION ALL
       SELECT ${uid(STAFF, '$4::int + j')}, 'CX' || j, 'Chưa có tài khoản ' || j, NULL, 'Công chức', ${agencyOf('j', 2)}, NULL, $1
       FROM generate_series(1, $5::int) j`,
      [...base, plan.unlinked],
    )
    await step(
      client,
      'enrolments',
      `INSERT INTO enrolment (id, user_id, course_id, enrolled_at, completed_at)
       SELECT ${uid(ENROLMENT, 'n')}, ${uid(USER, 'i')}, ($3::uuid[])[1 + ${k}], ${day('900')},
         CASE WHEN ${H('i', k, 4)} % 100 < 60 THEN ${day(`${H('i', k, 5)} % 800`)} END
       FROM ${pairs}
       WHERE ${H('i', k, 3)} % 100 < 85`,
    )
  }
  const learning = async (client: pg.Client) => {
    // Attempt 2n (and its completion and certificate); a renewal (kind ≥ 90) is 2n + 1, submitted
    // ten days ago, whose certificate supersedes certificate 2n.
    await step(
      client,
      'attempts',
      `INSERT INTO quiz_attempt (id, enrolment_id, user_id, course_id, number, status, draw, content_version, started_at, submitted_at, score_percent, passed)
       SELECT ${uid(ATTEMPT, '2 * c.n + x.r')}, ${uid(ENROLMENT, 'c.n')}, ${uid(USER, 'c.i')}, ($3::uuid[])[1 + c.n - 16 * c.i], 1 + x.r, 'SUBMITTED', '[]', '1',
         CASE WHEN x.r = 0 THEN ${day('c.d')} - interval '1 hour' ELSE ${day('11')} END,
         CASE WHEN x.r = 0 THEN ${day('c.d')} ELSE ${day('10')} END,
         CASE WHEN x.r = 0 THEN 90 ELSE 95 END, true
       FROM ${certified}`,
    )
    await step(
      client,
      'completions',
      `INSERT INTO course_completion (id, enrolment_id, attempt_id, completed_at)
       SELECT ${uid(COMPLETION, '2 * c.n + x.r')}, ${uid(ENROLMENT, 'c.n')}, ${uid(ATTEMPT, '2 * c.n + x.r')},
         CASE WHEN x.r = 0 THEN ${day('c.d')} ELSE ${day('10')} END
       FROM ${certified}`,
    )
    // < 40 valid, < 50 no expiry, < 65 expiring within 60 days, otherwise lapsed (at most five days
    // ago, and after the issue); 85–89 revoked; ≥ 90 superseded by a valid renewal.
    await step(
      client,
      'certificates',
      `INSERT INTO certificate (id, number, code, completion_id, user_id, course_id, agency_id, holder_name, course_title, course_version,
         issued_at, expires_at, revoked_at, revoked_reason, superseded_by_id)
       SELECT ${uid(CERTIFICATE, '2 * c.n + x.r')}, 'B-' || (2 * c.n + x.r), 'bench' || lpad(to_hex(2 * c.n + x.r), 27, '0'),
         ${uid(COMPLETION, '2 * c.n + x.r')}, ${uid(USER, 'c.i')}, ($3::uuid[])[1 + c.n - 16 * c.i], ${agencyOf('c.i', 1)}, 'Cán bộ ' || c.i, 'Khoá đo', '1',
         CASE WHEN x.r = 0 THEN ${day('c.d')} ELSE ${day('10')} END,
         CASE WHEN x.r = 1 THEN ${day('-700')}
              WHEN c.kind < 40 THEN ${day('-400')}
              WHEN c.kind < 50 THEN NULL
              WHEN c.kind < 65 THEN ${day('-(c.kind - 49) * 3')}
              WHEN c.d = 0 THEN ${day('-1')}
              ELSE ${day('least(c.d - 1, 5)')} END,
         CASE WHEN x.r = 0 AND c.kind >= 85 AND c.kind < 90 THEN $1::timestamptz END,
         CASE WHEN x.r = 0 AND c.kind >= 85 AND c.kind < 90 THEN 'Đo' END,
         CASE WHEN x.r = 0 AND c.kind >= 90 THEN ${uid(CERTIFICATE, '2 * c.n + 1')} END
       FROM ${certified}`,
    )
  }
  if (clients.length >= 2) await Promise.all([people(clients[0]!), learning(clients[1]!)])
  else {
    await people(clients[0]!)
    await learning(clients[0]!)
  }
}
