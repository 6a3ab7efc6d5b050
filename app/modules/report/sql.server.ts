// The SQL of the trained-staff report. One statement computes, for every agency of the actor's
// scope, its own figures and the figures rolled up over its whole subtree (docs/decisions/009).
//
// People are staff records (the roster). A person's training comes from the learner account the
// record is linked to; an unlinked record counts in the headcount and nowhere else (but can be
// overdue). Per person, for the chosen course (or any course):
//   enrolled  — has an enrolment;
//   completed — has a completed enrolment (completed in the period, when one is given);
//   valid     — has a certificate neither revoked nor superseded that has not expired;
//   expiring  — …of which one expires within 60 days (a subset of valid);
//   expired   — no valid certificate, but a current one (not revoked, not superseded) that expired;
//   overdue   — an assignment of their agency or an agency above it (matching job title, if the
//               assignment names some) is past due, and that course is not completed.
// Headcount is the agency's manual headcount, else its number of staff records.
import { Prisma } from '@prisma/client'
import type { AgencyTypeName } from '~/modules/agency/types'

export const EXPIRING_DAYS = 60

export interface ReportParams {
  /** Scope roots; null = everything (admin). */
  roots: string[] | null
  /** The agency drilled into; null = the top of the scope. */
  focusId: string | null
  courseId: string | null
  /** Completion period, [from, to). */
  from: Date | null
  to: Date | null
  type: AgencyTypeName | null
  now: Date
}

/** Only these people (the people list): one agency, or its whole subtree. */
export interface PeopleWithin {
  agencyId: string
  subtree: boolean
}

/**
 * The WITH clauses shared by the table and the people list: the scoped tree and per-person flags.
 * Each person's enrolments and certificates are read through the (user_id, course_id) indexes
 * (LATERAL), so the cost follows the number of people in scope, not the size of the tables.
 */
export function flagsCte(p: ReportParams, within: PeopleWithin | null = null): Prisma.Sql {
  const expiringUntil = new Date(p.now.getTime() + EXPIRING_DAYS * 86_400_000)
  const roots = p.roots
  const courseFilter = (column: Prisma.Sql) => (p.courseId ? Prisma.sql`AND ${column} = ${p.courseId}::uuid` : Prisma.empty)
  const period = Prisma.sql`${p.from ? Prisma.sql`AND e.completed_at >= ${p.from}` : Prisma.empty} ${p.to ? Prisma.sql`AND e.completed_at < ${p.to}` : Prisma.empty}`
  const peopleFilter = within
    ? within.subtree
      ? Prisma.sql`WHERE t.path @> ARRAY[${within.agencyId}::uuid]`
      : Prisma.sql`WHERE t.id = ${within.agencyId}::uuid`
    : Prisma.empty
  return Prisma.sql`
WITH RECURSIVE tree AS (
  SELECT a.id, a.parent_id, a.code, a.name, a.type::text AS type, a.headcount_manual, ARRAY[a.id] AS path, 0 AS depth
  FROM agency a WHERE a.parent_id IS NULL AND a.status = 'ACTIVE'
  UNION ALL
  SELECT a.id, a.parent_id, a.code, a.name, a.type::text, a.headcount_manual, t.path || a.id, t.depth + 1
  FROM agency a JOIN tree t ON a.parent_id = t.id WHERE a.status = 'ACTIVE'
),
scoped AS (
  SELECT * FROM tree ${roots ? Prisma.sql`WHERE path && ${roots}::uuid[]` : Prisma.empty}
),
people AS (
  SELECT s.id AS staff_id, s.agency_id, s.user_id, s.job_title
  FROM staff_record s JOIN scoped t ON t.id = s.agency_id ${peopleFilter}
),
due_here AS (
  -- Past-due assignments that apply to each agency: made for it or for an agency above it.
  SELECT t.id AS agency_id, ca.course_id, ca.job_titles
  FROM course_assignment ca
  JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
  JOIN scoped t ON ca.agency_id = ANY(t.path)
  WHERE ca.due_at < ${p.now} ${courseFilter(Prisma.sql`ca.course_id`)}
),
person AS (
  -- One row per person: their enrolments and current certificates, read per person through the
  -- (user_id, course_id, …) indexes, and the courses they have completed (for "overdue").
  SELECT pe.staff_id, pe.agency_id, pe.job_title,
    COALESCE(en.enrolled, false) AS enrolled,
    COALESCE(en.completed, false) AS completed,
    COALESCE(en.done, '{}') AS done,
    COALESCE(ce.valid, false) AS valid,
    COALESCE(ce.expiring, false) AS expiring,
    (COALESCE(ce.lapsed, false) AND NOT COALESCE(ce.valid, false)) AS expired
  FROM people pe
  LEFT JOIN LATERAL (
    SELECT true AS enrolled, bool_or(e.completed_at IS NOT NULL ${period}) AS completed,
      array_agg(e.course_id) FILTER (WHERE e.completed_at IS NOT NULL) AS done
    FROM enrolment e WHERE e.user_id = pe.user_id ${courseFilter(Prisma.sql`e.course_id`)}
    HAVING count(*) > 0
  ) en ON true
  LEFT JOIN LATERAL (
    SELECT
      bool_or(c.expires_at IS NULL OR c.expires_at >= ${p.now}) AS valid,
      bool_or(c.expires_at >= ${p.now} AND c.expires_at < ${expiringUntil}) AS expiring,
      bool_or(c.expires_at < ${p.now}) AS lapsed
    FROM certificate c
    WHERE c.user_id = pe.user_id AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL ${courseFilter(Prisma.sql`c.course_id`)}
  ) ce ON true
),
overdue AS (
  SELECT DISTINCT ps.staff_id
  FROM person ps JOIN due_here dh ON dh.agency_id = ps.agency_id
  WHERE (cardinality(dh.job_titles) = 0 OR ps.job_title = ANY(dh.job_titles))
    AND NOT (dh.course_id = ANY(ps.done))
),
flags AS (
  SELECT ps.staff_id, ps.agency_id, ps.enrolled, ps.completed, ps.valid, ps.expiring, ps.expired,
    (od.staff_id IS NOT NULL) AS overdue
  FROM person ps LEFT JOIN overdue od ON od.staff_id = ps.staff_id
)`
}

export const FIGURES = ['headcount', 'staff', 'enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue'] as const
export type Figure = (typeof FIGURES)[number]
export type Figures = Record<Figure, number>

/** Raw row of the report statement: own figures (o_*) and subtree figures (r_*). */
export type ReportSqlRow = {
  id: string
  parent_id: string | null
  code: string
  name: string
  type: AgencyTypeName
  depth: number
  kind: 'focus' | 'row' | 'crumb'
  children: number
} & { [K in `o_${Figure}` | `r_${Figure}`]: number }

/** The whole report in one statement: the rows shown, plus the breadcrumb of the focus. */
export function reportSql(p: ReportParams): Prisma.Sql {
  // Only the focus's subtree is shown, so only its people are counted.
  const within = p.focusId ? { agencyId: p.focusId, subtree: true } : null
  const typeFilter = p.type ? Prisma.sql`AND s.type = ${p.type}` : Prisma.empty
  const sumOwn = (f: string) => Prisma.raw(`COALESCE(o.${f}, 0)::int`)
  return Prisma.sql`${flagsCte(p, within)},
own AS (
  SELECT agency_id,
    count(*) AS staff,
    count(*) FILTER (WHERE enrolled) AS enrolled,
    count(*) FILTER (WHERE completed) AS completed,
    count(*) FILTER (WHERE valid) AS valid,
    count(*) FILTER (WHERE expiring) AS expiring,
    count(*) FILTER (WHERE expired) AS expired,
    count(*) FILTER (WHERE overdue) AS overdue
  FROM flags GROUP BY agency_id
),
own_full AS (
  SELECT t.id, COALESCE(t.headcount_manual, ${sumOwn('staff')}) AS headcount, ${sumOwn('staff')} AS staff,
    ${sumOwn('enrolled')} AS enrolled, ${sumOwn('completed')} AS completed, ${sumOwn('valid')} AS valid,
    ${sumOwn('expiring')} AS expiring, ${sumOwn('expired')} AS expired, ${sumOwn('overdue')} AS overdue
  FROM scoped t LEFT JOIN own o ON o.agency_id = t.id
),
tops AS (
  SELECT s.id FROM scoped s WHERE NOT EXISTS (SELECT 1 FROM scoped up WHERE up.id = s.parent_id)
),
focus AS (
  SELECT s.id, s.path FROM scoped s
  WHERE s.id = COALESCE(${p.focusId}::uuid, (SELECT CASE WHEN count(*) = 1 THEN min(id::text)::uuid END FROM tops))
),
picked AS (
  -- With a focus: the focus and its direct sub-agencies (or, with a type filter, every agency of
  -- that type below it). Without (several scope tops): the tops.
  SELECT s.id, CASE WHEN s.id = f.id THEN 'focus' ELSE 'row' END AS kind
  FROM scoped s JOIN focus f ON s.path @> ARRAY[f.id]
  WHERE s.id = f.id OR ${p.type ? Prisma.sql`(s.id <> f.id ${typeFilter})` : Prisma.sql`s.parent_id = f.id`}
  UNION ALL
  SELECT s.id, 'row' FROM scoped s
  WHERE NOT EXISTS (SELECT 1 FROM focus)
    AND ${p.type ? Prisma.sql`true ${typeFilter}` : Prisma.sql`s.id IN (SELECT id FROM tops)`}
  UNION ALL
  SELECT s.id, 'crumb' FROM scoped s JOIN focus f ON s.id = ANY(f.path) AND s.id <> f.id
),
rolled AS (
  SELECT pk.id,
    sum(d.headcount)::int AS headcount, sum(d.staff)::int AS staff, sum(d.enrolled)::int AS enrolled,
    sum(d.completed)::int AS completed, sum(d.valid)::int AS valid, sum(d.expiring)::int AS expiring,
    sum(d.expired)::int AS expired, sum(d.overdue)::int AS overdue
  FROM picked pk JOIN scoped sub ON sub.path @> ARRAY[pk.id] JOIN own_full d ON d.id = sub.id
  WHERE pk.kind <> 'crumb'
  GROUP BY pk.id
)
SELECT s.id::text AS id, s.parent_id::text AS parent_id, s.code, s.name, s.type, s.depth, pk.kind,
  (SELECT count(*)::int FROM scoped c WHERE c.parent_id = s.id) AS children,
  o.headcount AS o_headcount, o.staff AS o_staff, o.enrolled AS o_enrolled, o.completed AS o_completed,
  o.valid AS o_valid, o.expiring AS o_expiring, o.expired AS o_expired, o.overdue AS o_overdue,
  r.headcount AS r_headcount, r.staff AS r_staff, r.enrolled AS r_enrolled, r.completed AS r_completed,
  r.valid AS r_valid, r.expiring AS r_expiring, r.expired AS r_expired, r.overdue AS r_overdue
FROM picked pk
JOIN scoped s ON s.id = pk.id
JOIN own_full o ON o.id = s.id
LEFT JOIN rolled r ON r.id = s.id
ORDER BY s.depth, s.name`
}

export const PEOPLE_METRICS = ['staff', 'enrolled', 'completed', 'valid', 'expiring', 'expired', 'overdue', 'notCompleted'] as const
export type PeopleMetric = (typeof PEOPLE_METRICS)[number]

export interface PeopleParams extends ReportParams {
  agencyId: string
  /** Only the agency's own staff, or its whole subtree. */
  subtree: boolean
  metric: PeopleMetric
  limit: number
  offset: number
}

export type PeopleSqlRow = {
  staff_id: string
  staff_code: string
  full_name: string
  job_title: string | null
  agency_name: string
  linked: boolean
  total: number
} & Record<'enrolled' | 'completed' | 'valid' | 'expiring' | 'expired' | 'overdue', boolean>

/** The people behind one number of the table, one page of them, with the total count. */
export function peopleSql(p: PeopleParams): Prisma.Sql {
  const metric =
    p.metric === 'staff' ? Prisma.sql`true` : p.metric === 'notCompleted' ? Prisma.sql`NOT f.completed` : Prisma.raw(`f.${p.metric}`)
  const where = p.subtree ? Prisma.sql`t.path @> ARRAY[${p.agencyId}::uuid]` : Prisma.sql`t.id = ${p.agencyId}::uuid`
  return Prisma.sql`${flagsCte(p, { agencyId: p.agencyId, subtree: p.subtree })}
SELECT s.id::text AS staff_id, s.staff_code, s.full_name, s.job_title, t.name AS agency_name, (s.user_id IS NOT NULL) AS linked,
  f.enrolled, f.completed, f.valid, f.expiring, f.expired, f.overdue, count(*) OVER ()::int AS total
FROM flags f JOIN staff_record s ON s.id = f.staff_id JOIN scoped t ON t.id = f.agency_id
WHERE ${where} AND ${metric}
ORDER BY s.sort_key, s.staff_code
LIMIT ${p.limit} OFFSET ${p.offset}`
}
