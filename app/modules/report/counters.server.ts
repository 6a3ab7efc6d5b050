// The report counters (docs/decisions/016): per (agency, course) sums of every staff record's
// report flags, kept by database triggers in the transaction of each write (migration
// 20261202130000_report_counters), rolled up the active tree through agency_closure at read time.
//
// This module is the application side: the statement that reads the counters for the common views,
// the expiry job (time alone turns certificates expired and assignments overdue), and the repair
// command that recomputes everything and reports drift. The live statement of sql.server.ts stays
// the reference and serves the period filter, the people lists and the property test.
import { plainQuery } from '~/utils/db.server'
import { Prisma, type PrismaClient } from '@prisma/client'
import type { ReportParams } from './sql.server'

/** The course key of "any course" in report_person and report_counter. */
export const ANY_COURSE = '00000000-0000-0000-0000-000000000000'

/**
 * How often each process runs the expiry job at the latest (it also runs at start, and at the
 * instant an assignment falls due: see startReportClock).
 */
export const REPORT_CLOCK_INTERVAL_MS = 60_000

/** The counters answer a view exactly unless a completion period is asked for (ADR 016). */
export function countersServe(p: ReportParams): boolean {
  return p.from === null && p.to === null
}

const FIG = ['enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue'] as const

/**
 * The report statement on the counters: the same rows, columns and order as `reportSql` (focus,
 * its children or the agencies of a type under it, the tops without a focus, the breadcrumb).
 * People whose flags changed with time since the expiry job last ran (a certificate expired a
 * minute ago) are corrected in the statement itself: their stored flags are replaced by their flags
 * at `now`, so no certificate is ever shown valid after it expired, whatever the job's delay.
 */
export function countersReportSql(p: ReportParams): Prisma.Sql {
  const key = p.courseId ?? ANY_COURSE
  const roots = p.roots
  // Is agency `col` in the actor's scope (in the active tree, under one of the roots)?
  const inScope = (col: Prisma.Sql) =>
    roots
      ? Prisma.sql`EXISTS (SELECT 1 FROM agency_closure sc WHERE sc.descendant_id = ${col} AND sc.ancestor_id = ANY(${roots}::uuid[]))`
      : Prisma.sql`EXISTS (SELECT 1 FROM agency_closure sc WHERE sc.descendant_id = ${col} AND sc.ancestor_id = ${col})`
  const typeFilter = p.type ? Prisma.sql`a.type = ${p.type}::"AgencyType"` : null
  const fixCols = Prisma.raw(
    FIG.map((f) => `sum(x.${f}) FILTER (WHERE cl.descendant_id = cl.ancestor_id) AS o_${f}, sum(x.${f}) AS r_${f}`).join(', '),
  )
  const outCols = Prisma.raw(FIG.map((f) => `(COALESCE(o.o_${f}, 0) + COALESCE(x.o_${f}, 0))::int AS o_${f}`).join(', '))
  // (null for a breadcrumb row: its figures are not shown)
  const rolledCols = Prisma.raw(FIG.map((f) => `(o.r_${f} + COALESCE(x.r_${f}, 0))::int AS r_${f}`).join(', '))
  const corr = (f: (typeof FIG)[number]) => Prisma.raw(`sum(CASE WHEN ${f} THEN sign ELSE 0 END)::int AS ${f}`)
  // The tops of the scope: the roots not below another root (an admin: the roots of the tree).
  const tops = roots
    ? Prisma.sql`SELECT DISTINCT r.id FROM unnest(${roots}::uuid[]) AS r(id)
        WHERE EXISTS (SELECT 1 FROM agency_closure me WHERE me.ancestor_id = r.id AND me.descendant_id = r.id)
          AND NOT EXISTS (SELECT 1 FROM agency_closure up WHERE up.descendant_id = r.id AND up.ancestor_id <> r.id AND up.ancestor_id = ANY(${roots}::uuid[]))`
    : Prisma.sql`SELECT a.id FROM agency a WHERE a.parent_id IS NULL AND ${inScope(Prisma.sql`a.id`)}`
  return Prisma.sql`
WITH tops AS (${tops}),
focus AS (
  SELECT x.id FROM (SELECT COALESCE(${p.focusId}::uuid, (SELECT CASE WHEN count(*) = 1 THEN min(id::text)::uuid END FROM tops)) AS id) x
  WHERE x.id IS NOT NULL AND ${inScope(Prisma.sql`x.id`)}
),
picked AS (
  SELECT f.id, 'focus' AS kind FROM focus f
  UNION ALL
  SELECT cl.descendant_id, 'row' FROM focus f
  JOIN agency_closure cl ON cl.ancestor_id = f.id AND cl.descendant_id <> f.id
  JOIN agency a ON a.id = cl.descendant_id
  WHERE ${typeFilter ?? Prisma.sql`a.parent_id = f.id`}
  UNION ALL
  SELECT i.id, 'row' FROM ${
    typeFilter
      ? Prisma.sql`(SELECT DISTINCT cl.descendant_id AS id FROM tops t JOIN agency_closure cl ON cl.ancestor_id = t.id) i JOIN agency a ON a.id = i.id WHERE ${typeFilter} AND`
      : Prisma.sql`tops i WHERE`
  }
    NOT EXISTS (SELECT 1 FROM focus)
  UNION ALL
  SELECT cl.ancestor_id, 'crumb' FROM focus f
  JOIN agency_closure cl ON cl.descendant_id = f.id AND cl.ancestor_id <> f.id
  WHERE ${inScope(Prisma.sql`cl.ancestor_id`)}
),
clock AS (SELECT as_of FROM report_clock WHERE id = 1),
shown AS (SELECT id FROM picked WHERE kind <> 'crumb'),
-- People whose flags changed with time since the expiry job ran: recomputed for every course.
-- (Nothing else is corrected at read time: every write refreshes its people in its own
-- transaction, large ones included — ADR 016, amendment of 2026-12-08.)
moved AS (
  SELECT report_due_people(least(as_of, ${p.now}::timestamptz), greatest(as_of, ${p.now}::timestamptz)) AS ids FROM clock
),
delta AS (
  SELECT agency_id, ${corr('enrolled')}, ${corr('completed')}, ${corr('valid')}, ${corr('expiring')}, ${corr('expired')}, ${corr('overdue')}
  FROM (
    SELECT 1 AS sign, f.* FROM moved m, report_person_flags(m.ids, ${p.now}::timestamptz) f
    WHERE cardinality(m.ids) > 0 AND f.course_id = ${key}::uuid
    UNION ALL
    SELECT -1, rp.* FROM moved m JOIN report_person rp ON rp.staff_id = ANY(m.ids) AND rp.course_id = ${key}::uuid
  ) d
  GROUP BY agency_id
),
-- Own and rolled-up counters of the shown agencies, planned for their actual subtree sizes
-- (report_rollup, migration 20261203560000: a custom plan over the ids).
fig AS (SELECT * FROM report_rollup(ARRAY(SELECT id FROM shown), ${key}::uuid)),
-- The read-time correction, own and over each shown agency's subtree: from the few corrected
-- agencies up their ancestors (OFFSET 0 keeps the planner from walking the closure of every shown
-- agency instead: 121 index scans for a province's nine corrected agencies).
fix AS (
  SELECT cl.ancestor_id AS id, ${fixCols}
  FROM delta x
  CROSS JOIN LATERAL (SELECT c.ancestor_id, c.descendant_id FROM agency_closure c WHERE c.descendant_id = x.agency_id OFFSET 0) cl
  WHERE cl.ancestor_id IN (SELECT id FROM shown)
  GROUP BY cl.ancestor_id
)
SELECT a.id::text AS id, a.parent_id::text AS parent_id, a.code, a.name, a.type::text AS type,
  (SELECT count(*) - 1 FROM agency_closure d WHERE d.descendant_id = a.id)::int AS depth, pk.kind,
  (SELECT count(*)::int FROM agency ch JOIN agency_closure me ON me.ancestor_id = ch.id AND me.descendant_id = ch.id WHERE ch.parent_id = a.id) AS children,
  COALESCE(o.o_headcount, a.headcount_manual, 0)::int AS o_headcount, COALESCE(o.o_staff, 0) AS o_staff,
  ${outCols},
  o.r_headcount, o.r_staff, ${rolledCols}
FROM picked pk
JOIN agency a ON a.id = pk.id
LEFT JOIN fig o ON o.id = pk.id AND pk.kind <> 'crumb'
LEFT JOIN fix x ON x.id = pk.id AND pk.kind <> 'crumb'
ORDER BY depth, a.name`
}

/**
 * The expiry job: re-evaluates everybody whose flags changed with time up to `to` and moves the
 * clock. Safe with N processes (a transaction-level advisory lock; a process that finds it taken
 * skips this round). Returns how many people were re-evaluated, or null when skipped.
 */
export async function advanceReportClock(db: PrismaClient, to: Date = new Date()): Promise<number | null> {
  const [row] = await db.$queryRaw<{ n: number | null }[]>`SELECT report_advance(${to}::timestamptz) AS n`
  return row?.n ?? null
}

/**
 * Milliseconds from `now` until the next assignment falls due after the job's clock (0 when one
 * already has and the job has not run since), within `withinMs`; null when none.
 */
export async function nextAssignmentDueInMs(db: PrismaClient, withinMs: number, now: Date = new Date()): Promise<number | null> {
  // Through node-postgres (a report read asks it too: settleFallenDue in service.server.ts).
  const [row] = await plainQuery<{ next: Date | null }>(
    db,
    {
      text: `SELECT min(ca.due_at) AS next FROM course_assignment ca, report_clock r
             WHERE r.id = 1 AND ca.due_at > r.as_of AND ca.due_at <= $1::timestamptz + make_interval(secs => $2::float8)`,
      values: [now.toISOString(), withinMs / 1000],
    },
    { prepare: true },
  )
  return row?.next ? Math.max(0, new Date(row.next).getTime() - now.getTime()) : null
}

/**
 * Runs the expiry job now, then again after `intervalMs` (a minute) or at the instant the next
 * assignment falls due if that is sooner (ADR 016, amendment of 2026-12-08): until the job has run,
 * every view above the people of an assignment that fell due recomputes them at read time (exact,
 * but seconds for a province), so the job does not wait for the minute to end. The timer does not
 * keep the process alive; with N processes one does the work (the job's lock), the others skip.
 */
export function startReportClock(db: PrismaClient, onError: (error: unknown) => void, intervalMs: number = REPORT_CLOCK_INTERVAL_MS): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(run, ms)
    timer.unref()
  }
  function run() {
    let skipped = false
    advanceReportClock(db)
      .then((n) => {
        skipped = n === null
        return nextAssignmentDueInMs(db, intervalMs)
      })
      // (a quarter of a second after the instant: the job's "to" is this process's clock; a second
      // at least when another process was running the job)
      .then(
        (ms) => schedule(ms === null ? intervalMs : Math.min(intervalMs, Math.max(skipped ? 1000 : 0, ms + 250))),
        (error: unknown) => {
          onError(error)
          schedule(intervalMs)
        },
      )
  }
  run()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

export interface CounterDrift {
  agencyCode: string
  courseId: string
  figure: string
  stored: number
  recomputed: number
}

export interface RebuildResult {
  people: number
  counters: number
  /** Every (agency, course, figure) whose stored counter differed from the recomputation. */
  drift: CounterDrift[]
  ms: number
}

const ALL_FIGURES = ['staff', ...FIG] as const

/**
 * `npm run report:rebuild`: recomputes the closure, every person's flags and every counter from
 * the base tables in one transaction (writers wait on the advisory lock meanwhile), lists what had
 * drifted, and writes only the rows that differ. The flags are computed in one set-based pass
 * (report_all_flags, migration 20261203560000) into temporary tables (no WAL); the stored rows
 * that are already right are left alone, so a rebuild that finds nothing writes nothing and
 * readers keep reading the stored counters meanwhile.
 */
export async function rebuildReportCounters(db: PrismaClient): Promise<RebuildResult> {
  const started = performance.now()
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(716016)`
      // Sorts and hashes over every staff record (millions at national scale): in memory if it can.
      await tx.$executeRaw`SET LOCAL work_mem = '256MB'`
      await tx.$executeRaw`SET LOCAL jit = off`
      await tx.$executeRaw`SELECT report_sync_closure()`
      // Pairs a process started before migration 20261208200000 may still have queued
      // (report_pending, no writer since) are known to be stale, not drift: refreshed first.
      await tx.$queryRaw`SELECT report_drain(2147483647) AS n`
      // The instant of the recomputation, as a refresh evaluates (a setting: report_all_flags is
      // then inlined into the statement and planned with it).
      await tx.$executeRaw`SELECT set_config('report.rebuild_at', greatest(clock_timestamp(), as_of)::text, true) FROM report_clock WHERE id = 1`
      // No stored flags yet (a new database, a bulk load with the triggers off): written straight
      // into report_person, in key order (its primary key is appended to).
      const empty = (await tx.$queryRaw<{ empty: boolean }[]>`SELECT NOT EXISTS (SELECT 1 FROM report_person) AS empty`)[0]?.empty === true
      const people = empty
        ? await tx.$executeRaw`
          INSERT INTO report_person
          SELECT * FROM report_all_flags(current_setting('report.rebuild_at')::timestamptz) f ORDER BY f.staff_id, f.course_id`
        : await tx.$executeRaw`
          CREATE TEMP TABLE report_person_fresh ON COMMIT DROP AS
          SELECT * FROM report_all_flags(current_setting('report.rebuild_at')::timestamptz)`
      const counters = await tx.$executeRaw`
        CREATE TEMP TABLE report_counter_fresh ON COMMIT DROP AS
        SELECT agency_id, course_id, count(*)::int AS staff, (count(*) FILTER (WHERE enrolled))::int AS enrolled,
          (count(*) FILTER (WHERE completed))::int AS completed, (count(*) FILTER (WHERE valid))::int AS valid,
          (count(*) FILTER (WHERE expiring))::int AS expiring, (count(*) FILTER (WHERE expired))::int AS expired,
          (count(*) FILTER (WHERE overdue))::int AS overdue
        FROM ${Prisma.raw(empty ? 'report_person' : 'report_person_fresh')} GROUP BY agency_id, course_id`
      if (!empty) await tx.$executeRaw`ANALYZE report_person_fresh`
      await tx.$executeRaw`ANALYZE report_counter_fresh`
      const cols = ALL_FIGURES.map((f) => `COALESCE(b.${f}, 0) AS b_${f}, COALESCE(n.${f}, 0) AS n_${f}`).join(', ')
      const differs = ALL_FIGURES.map((f) => `COALESCE(b.${f}, 0) <> COALESCE(n.${f}, 0)`).join(' OR ')
      const rows = await tx.$queryRawUnsafe<Record<string, string | number>[]>(`
        SELECT COALESCE(a.code, COALESCE(b.agency_id, n.agency_id)::text) AS code, COALESCE(b.course_id, n.course_id)::text AS course_id, ${cols}
        FROM report_counter b
        FULL JOIN report_counter_fresh n ON n.agency_id = b.agency_id AND n.course_id = b.course_id
        LEFT JOIN agency a ON a.id = COALESCE(b.agency_id, n.agency_id)
        WHERE ${differs}
        ORDER BY 1, 2`)
      const drift: CounterDrift[] = rows.flatMap((r) =>
        ALL_FIGURES.filter((f) => Number(r[`b_${f}`]) !== Number(r[`n_${f}`])).map((f) => ({
          agencyCode: String(r.code),
          courseId: String(r.course_id),
          figure: f,
          stored: Number(r[`b_${f}`]),
          recomputed: Number(r[`n_${f}`]),
        })),
      )
      // Mend: only what differs (a person's row is compared whole, its agency included).
      if (!empty) {
        // One pass over both (a full join on the key): the rows that differ, are gone or are new.
        const cols = ['agency_id', ...FIG]
        const differs = Prisma.raw(`(${cols.map((c) => `p.${c}`).join(', ')}) IS DISTINCT FROM (${cols.map((c) => `f.${c}`).join(', ')})`)
        await tx.$executeRaw`
          CREATE TEMP TABLE report_person_diff ON COMMIT DROP AS
          SELECT p.staff_id AS old_staff_id, p.course_id AS old_course_id, f.*
          FROM report_person p FULL JOIN report_person_fresh f ON f.staff_id = p.staff_id AND f.course_id = p.course_id
          WHERE p.staff_id IS NULL OR f.staff_id IS NULL OR ${differs}`
        await tx.$executeRaw`
          DELETE FROM report_person p USING report_person_diff d
          WHERE d.old_staff_id IS NOT NULL AND p.staff_id = d.old_staff_id AND p.course_id = d.old_course_id`
        await tx.$executeRaw`
          INSERT INTO report_person
          SELECT staff_id, course_id, ${Prisma.raw(cols.join(', '))} FROM report_person_diff
          WHERE staff_id IS NOT NULL ORDER BY staff_id, course_id`
      }
      if (drift.length > 0) {
        await tx.$executeRaw`
          DELETE FROM report_counter c
          WHERE NOT EXISTS (SELECT 1 FROM report_counter_fresh n WHERE n.agency_id = c.agency_id AND n.course_id = c.course_id)`
        await tx.$executeRaw`
          INSERT INTO report_counter AS c (agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue)
          SELECT agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue FROM report_counter_fresh
          ORDER BY agency_id, course_id
          ON CONFLICT (agency_id, course_id) DO UPDATE SET staff = excluded.staff, enrolled = excluded.enrolled,
            completed = excluded.completed, valid = excluded.valid, expiring = excluded.expiring, expired = excluded.expired,
            overdue = excluded.overdue
          WHERE (c.staff, c.enrolled, c.completed, c.valid, c.expiring, c.expired, c.overdue)
            IS DISTINCT FROM (excluded.staff, excluded.enrolled, excluded.completed, excluded.valid, excluded.expiring, excluded.expired, excluded.overdue)`
      }
      return { people, counters, drift, ms: performance.now() - started }
    },
    { timeout: 3_600_000, maxWait: 120_000 },
  )
}
