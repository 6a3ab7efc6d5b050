// The bulk part of the report bench's data set, written with COPY FROM STDIN (pg-copy-streams):
// users, staff records, enrolments, quiz attempts, completions and certificates. The rows are
// generated here, in Node.js, while the server parses and stores the previous ones (two processes
// at work instead of one), from a deterministic hash of (person, course): the same data set every
// run. Ids are deterministic and ascending per table (the primary keys are appended to), and every
// reference is computed rather than joined back (a certificate knows its completion's id, the
// superseded certificate its renewal's), so each table is one sequential stream.
//
// All six tables are loaded in one transaction that first truncates them, with COPY … FREEZE: the
// rows are written frozen and the pages all-visible, so the VACUUM after the load (for index-only
// scans) has nothing to do. The caller has dropped the secondary indexes and disabled the
// triggers (session_replication_role = replica); CHECK constraints still hold for every row.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

export interface CopyPlan {
  /** Linked staff (each with a learner account) and unlinked staff records. */
  staff: number
  unlinked: number
  /** Active agencies, in a fixed order (people are spread over them by hash). */
  agencies: string[]
  /** The courses (12 in the bench), in a fixed order. */
  courses: string[]
  now: Date
}

const DAY = 86_400_000

/** A 32-bit hash of three integers (murmur3's finaliser over a mix): stable across runs. */
function h(a: number, b: number, c: number): number {
  let x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1)
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

/** A deterministic uuid: the table's prefix and a sequence number. */
const uid = (table: number, n: number) => `${table.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
const USER = 0x10
const STAFF = 0x20
const ENROLMENT = 0x30
const ATTEMPT = 0x40
const COMPLETION = 0x50
const CERTIFICATE = 0x60

/** Per (person, course): enrolled 85 %, completed 60 % of those, a certificate for one in three. */
interface Learning {
  enrolled: boolean
  /** Days before now of the completion; null = not completed. */
  completedDays: number | null
  /** 0–99 when certified: < 40 valid, < 50 no expiry, < 65 expiring, < 85 expired, < 90 revoked, ≥ 90 renewed. */
  kind: number | null
}
function learning(i: number, k: number): Learning {
  if (h(i, k, 3) % 100 >= 85) return { enrolled: false, completedDays: null, kind: null }
  if (h(i, k, 4) % 100 >= 60) return { enrolled: true, completedDays: null, kind: null }
  const completedDays = h(i, k, 5) % 800
  return { enrolled: true, completedDays, kind: h(i, k, 6) % 3 === 0 ? h(i, k, 7) % 100 : null }
}

/** Rows in chunks of a few thousand lines (COPY text format: tab-separated, \N for null). */
function stream(rows: () => Generator<string>): Readable {
  return Readable.from(
    (function* () {
      let chunk: string[] = []
      for (const row of rows()) {
        chunk.push(row)
        if (chunk.length === 4000) {
          yield chunk.join('')
          chunk = []
        }
      }
      if (chunk.length) yield chunk.join('')
    })(),
  )
}

export async function copyBulk(client: pg.Client, plan: CopyPlan, log: (s: string) => void): Promise<void> {
  const now = plan.now.getTime()
  const iso = (ms: number) => new Date(ms).toISOString()
  const nowIso = iso(now)
  const enrolledAt = iso(now - 900 * DAY)
  // Timestamps as day offsets from now, formatted once.
  const daysAgo = Array.from({ length: 801 }, (_, d) => iso(now - d * DAY))
  const daysAgoLessHour = Array.from({ length: 801 }, (_, d) => iso(now - d * DAY - 3_600_000))
  const daysAhead = Array.from({ length: 701 }, (_, d) => iso(now + d * DAY))
  const agencyOf = (i: number) => plan.agencies[h(i, 0, 1) % plan.agencies.length]!
  const title = (i: number) => (i % 5 === 0 ? 'Giáo viên' : 'Công chức')
  const S = plan.staff
  const K = plan.courses.length

  const copy = async (label: string, sql: string, rows: () => Generator<string>) => {
    const started = performance.now()
    let n = 0
    const counted = function* () {
      for (const r of rows()) {
        n++
        yield r
      }
    }
    await pipeline(stream(counted), client.query(copyFrom(`COPY ${sql} FROM STDIN WITH (FORMAT text, FREEZE true)`)))
    log(`  ${label}: ${n} (COPY, ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }

  const agenciesBefore = Number((await client.query('SELECT count(*) AS n FROM agency')).rows[0].n)
  await client.query('BEGIN')
  try {
    // CASCADE empties the (empty) tables that reference these; the agencies must survive.
    await client.query('TRUNCATE app_user, staff_record, enrolment, quiz_attempt, course_completion, certificate CASCADE')
    if (Number((await client.query('SELECT count(*) AS n FROM agency')).rows[0].n) !== agenciesBefore) {
      throw new Error('TRUNCATE … CASCADE đã xoá cả cơ quan: không sinh dữ liệu theo cách này được')
    }
    await copy('users', 'app_user (id, full_name, email, kind, agency_id, job_title, updated_at)', function* () {
      for (let i = 1; i <= S; i++) yield `${uid(USER, i)}\tCán bộ ${i}\tcb${i}@bench.example\tCIVIL_SERVANT\t${agencyOf(i)}\t${title(i)}\t${nowIso}\n`
    })
    await copy('staff records (linked and unlinked)', 'staff_record (id, staff_code, full_name, email, job_title, agency_id, user_id, updated_at)', function* () {
      for (let i = 1; i <= S; i++) {
        yield `${uid(STAFF, i)}\tCB${String(i).padStart(8, '0')}\tCán bộ ${i}\tcb${i}@bench.example\t${title(i)}\t${agencyOf(i)}\t${uid(USER, i)}\t${nowIso}\n`
      }
      for (let j = 1; j <= plan.unlinked; j++) {
        yield `${uid(STAFF, S + j)}\tCX${j}\tChưa có tài khoản ${j}\t\\N\tCông chức\t${plan.agencies[h(j, 0, 2) % plan.agencies.length]}\t\\N\t${nowIso}\n`
      }
    })
    await copy('enrolments', 'enrolment (id, user_id, course_id, enrolled_at, completed_at)', function* () {
      let n = 0
      for (let i = 1; i <= S; i++) {
        for (let k = 0; k < K; k++) {
          const l = learning(i, k)
          if (!l.enrolled) continue
          n++
          yield `${uid(ENROLMENT, n)}\t${uid(USER, i)}\t${plan.courses[k]}\t${enrolledAt}\t${l.completedDays === null ? '\\N' : daysAgo[l.completedDays]}\n`
        }
      }
    })
    // Attempts, completions and certificates walk the same (person, course) pairs: attempt m has
    // completion m and certificate m; a renewal (kind ≥ 90) is attempt m + 1, submitted 10 days
    // ago, whose certificate supersedes certificate m.
    const certified = function* () {
      let n = 0
      let m = 0
      for (let i = 1; i <= S; i++) {
        for (let k = 0; k < K; k++) {
          const l = learning(i, k)
          if (!l.enrolled) continue
          n++
          if (l.kind === null) continue
          m++
          yield { i, k, e: n, m, days: l.completedDays!, kind: l.kind }
          if (l.kind >= 90) m++
        }
      }
    }
    await copy(
      'attempts',
      'quiz_attempt (id, enrolment_id, user_id, course_id, number, status, draw, content_version, started_at, submitted_at, score_percent, passed)',
      function* () {
        for (const c of certified()) {
          const head = `${uid(ENROLMENT, c.e)}\t${uid(USER, c.i)}\t${plan.courses[c.k]}`
          yield `${uid(ATTEMPT, c.m)}\t${head}\t1\tSUBMITTED\t[]\t1\t${daysAgoLessHour[c.days]}\t${daysAgo[c.days]}\t90\tt\n`
          if (c.kind >= 90) yield `${uid(ATTEMPT, c.m + 1)}\t${head}\t2\tSUBMITTED\t[]\t1\t${daysAgo[11]}\t${daysAgo[10]}\t95\tt\n`
        }
      },
    )
    await copy('completions', 'course_completion (id, enrolment_id, attempt_id, completed_at)', function* () {
      for (const c of certified()) {
        yield `${uid(COMPLETION, c.m)}\t${uid(ENROLMENT, c.e)}\t${uid(ATTEMPT, c.m)}\t${daysAgo[c.days]}\n`
        if (c.kind >= 90) yield `${uid(COMPLETION, c.m + 1)}\t${uid(ENROLMENT, c.e)}\t${uid(ATTEMPT, c.m + 1)}\t${daysAgo[10]}\n`
      }
    })
    await copy(
      'certificates',
      'certificate (id, number, code, completion_id, user_id, course_id, agency_id, holder_name, course_title, course_version, issued_at, expires_at, revoked_at, revoked_reason, superseded_by_id)',
      function* () {
        const code = (m: number) => `bench${m.toString(16).padStart(27, '0')}`
        for (const c of certified()) {
          const who = `${uid(USER, c.i)}\t${plan.courses[c.k]}\t${agencyOf(c.i)}\tCán bộ ${c.i}\tKhoá đo\t1`
          // < 40 valid, < 50 no expiry, < 65 expiring within 60 days, otherwise lapsed (at most
          // five days ago, and after the issue); 85–89 revoked; ≥ 90 superseded by a valid renewal.
          const expires =
            c.kind < 40
              ? daysAhead[400]
              : c.kind < 50
                ? '\\N'
                : c.kind < 65
                  ? daysAhead[(c.kind - 49) * 3]
                  : c.days === 0
                    ? daysAhead[1] // greatest(completed + 1 day, now − 5 days)
                    : daysAgo[Math.min(c.days - 1, 5)]
          const revoked = c.kind >= 85 && c.kind < 90 ? `${nowIso}\tĐo` : '\\N\t\\N'
          const renewal = c.kind >= 90 ? uid(CERTIFICATE, c.m + 1) : '\\N'
          yield `${uid(CERTIFICATE, c.m)}\tB-${c.m}\t${code(c.m)}\t${uid(COMPLETION, c.m)}\t${who}\t${daysAgo[c.days]}\t${expires}\t${revoked}\t${renewal}\n`
          if (c.kind >= 90) {
            yield `${uid(CERTIFICATE, c.m + 1)}\tB-${c.m + 1}\t${code(c.m + 1)}\t${uid(COMPLETION, c.m + 1)}\t${who}\t${daysAgo[10]}\t${daysAhead[700]}\t\\N\t\\N\t\\N\n`
          }
        }
      },
    )
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}
