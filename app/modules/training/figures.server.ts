// The figures of in-person training beside online completions (docs/decisions/023), counted in SQL:
// a citizen met at several sessions in the period is counted once, at the place (and with the
// gender and ethnicity) of their first session; a roster record linked to an account counts as that
// account, so a person trained in person and online counts once in "together". The people behind
// the numbers are paged in SQL in Vietnamese order (sort_key), never loaded whole for a page.
import { Prisma, type PrismaClient } from '@prisma/client'

type Db = PrismaClient | Prisma.TransactionClient

export interface TrainingFigures {
  /** Sessions held in the period. */
  sessions: number
  /** Distinct staff (roster records or accounts) who attended a session in the period. */
  staffInPerson: number
  /** Distinct accounts that completed a course online in the period. */
  staffOnline: number
  /** Distinct people trained either way (an account trained both ways counts once). */
  staffTogether: number
  /** Distinct citizens (same folded name + year of birth + village counted once). */
  citizens: number
  /** Distinct people (staff and citizens) with a recorded end-of-session check, and those who passed one. */
  checked: number
  passed: number
  byPlace: { commune: string; village: string; citizens: number }[]
  byTopic: { topic: string; staff: number; citizens: number }[]
  /** Citizens by the gender and the ethnicity recorded at their first session ('' when not recorded). */
  byGender: { label: string; citizens: number }[]
  byEthnicity: { label: string; citizens: number }[]
}

export interface TrainingFilter {
  db: Db
  /** Organiser agencies (and agencies of the online learners); null: the whole province. */
  agencyIds: string[] | null
  /** Half-open window [from, to); null: no bound. Sessions by their start date, completions by `completed_at`. */
  from: Date | null
  to: Date | null
  /** One course: sessions on it (by slug) and its completions (by id). */
  course?: { id: string; slug: string } | null
}

export interface CitizenLine {
  fullName: string
  birthYear: number
  village: string
  commune: string
  gender: string | null
  ethnicity: string | null
  sessions: number
  /** Passed the end-of-session check of at least one session (null: no check recorded). */
  passed: boolean | null
}
export interface StaffLine {
  fullName: string
  kind: 'STAFF' | 'ACCOUNT'
  sessions: number
  passed: boolean | null
}

/** The sessions a filter covers (organiser in the agencies, start date in the window, the course): alias `s`. */
function sessionWhere({ agencyIds, from, to, course = null }: Omit<TrainingFilter, 'db'>) {
  return Prisma.sql`(${agencyIds === null} OR s.agency_id = ANY(${agencyIds ?? []}::uuid[]))
      AND (${from}::timestamptz IS NULL OR s.starts_on >= ${from}::timestamptz) AND (${to}::timestamptz IS NULL OR s.starts_on < ${to}::timestamptz)
      AND (${course?.slug ?? null}::text IS NULL OR s.course_slug = ${course?.slug ?? null}::text)`
}

function attendeesSql(filter: Omit<TrainingFilter, 'db'>) {
  return Prisma.sql`
    SELECT t.kind::text AS kind, t.citizen_key, t.full_name, t.birth_year, t.village, t.created_at, t.sort_key, t.gender, t.ethnicity,
      CASE WHEN t.kind = 'CITIZEN' THEN NULL WHEN t.user_id IS NOT NULL THEN 'u:' || t.user_id::text ELSE 's:' || t.staff_record_id::text END AS staff_key,
      CASE WHEN t.check_score IS NULL THEN NULL ELSE t.check_score >= s.check_pass_score END AS passed,
      s.id AS session_id, s.starts_on, s.commune, s.village AS session_village,
      CASE WHEN s.course_slug IS NOT NULL THEN COALESCE(c.title, s.course_slug) ELSE s.topic END AS topic
    FROM training_attendee t JOIN training_session s ON s.id = t.session_id LEFT JOIN course c ON c.slug = s.course_slug
    WHERE ${sessionWhere(filter)}`
}

function onlineSql({ agencyIds, from, to, course = null }: Omit<TrainingFilter, 'db'>) {
  const ids = agencyIds ?? []
  const all = agencyIds === null
  return Prisma.sql`
    SELECT DISTINCT 'u:' || e.user_id::text AS staff_key
    FROM course_completion cc JOIN enrolment e ON e.id = cc.enrolment_id JOIN app_user u ON u.id = e.user_id
    WHERE (${all} OR u.agency_id = ANY(${ids}::uuid[]))
      AND (${from}::timestamptz IS NULL OR cc.completed_at >= ${from}::timestamptz) AND (${to}::timestamptz IS NULL OR cc.completed_at < ${to}::timestamptz)
      AND (${course?.id ?? null}::uuid IS NULL OR e.course_id = ${course?.id ?? null}::uuid)`
}

// One citizen: their first session of the period gives the place, the name, gender and ethnicity shown.
const firstVisit = Prisma.sql`
  SELECT DISTINCT ON (citizen_key) citizen_key, full_name, birth_year, village, commune, sort_key, gender, ethnicity,
    COALESCE(NULLIF(session_village, ''), village) AS place_village,
    count(*) OVER (PARTITION BY citizen_key)::int AS sessions,
    bool_or(passed) OVER (PARTITION BY citizen_key) AS passed
  FROM a WHERE kind = 'CITIZEN' ORDER BY citizen_key, starts_on, created_at`
const firstStaff = Prisma.sql`
  SELECT DISTINCT ON (staff_key) staff_key, full_name, kind, sort_key,
    count(*) OVER (PARTITION BY staff_key)::int AS sessions,
    bool_or(passed) OVER (PARTITION BY staff_key) AS passed
  FROM a WHERE staff_key IS NOT NULL ORDER BY staff_key, starts_on, created_at`

const collator = new Intl.Collator('vi')

export async function trainingFigures({ db, ...filter }: TrainingFilter): Promise<TrainingFigures> {
  const attendees = attendeesSql(filter)
  const [counts, sessions, places, topics, genders, ethnicities] = await Promise.all([
    db.$queryRaw<{ staff_in_person: number; citizens: number; staff_online: number; staff_together: number; checked: number; passed: number }[]>`
      WITH a AS (${attendees}), o AS (${onlineSql(filter)})
      SELECT (SELECT count(DISTINCT staff_key) FROM a)::int AS staff_in_person,
        (SELECT count(DISTINCT citizen_key) FROM a WHERE kind = 'CITIZEN')::int AS citizens,
        (SELECT count(*) FROM o)::int AS staff_online,
        (SELECT count(*) FROM (SELECT staff_key FROM a WHERE staff_key IS NOT NULL UNION SELECT staff_key FROM o) x)::int AS staff_together,
        (SELECT count(DISTINCT COALESCE(staff_key, 'c:' || citizen_key)) FROM a WHERE passed IS NOT NULL)::int AS checked,
        (SELECT count(DISTINCT COALESCE(staff_key, 'c:' || citizen_key)) FROM a WHERE passed)::int AS passed`,
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM training_session s WHERE ${sessionWhere(filter)}`,
    db.$queryRaw<{ commune: string; village: string; citizens: number }[]>`
      WITH a AS (${attendees}), f AS (${firstVisit})
      SELECT commune, place_village AS village, count(*)::int AS citizens FROM f GROUP BY commune, place_village`,
    db.$queryRaw<{ topic: string; staff: number; citizens: number }[]>`
      WITH a AS (${attendees})
      SELECT topic, count(DISTINCT staff_key)::int AS staff, count(DISTINCT citizen_key) FILTER (WHERE kind = 'CITIZEN')::int AS citizens FROM a GROUP BY topic`,
    db.$queryRaw<{ label: string; citizens: number }[]>`
      WITH a AS (${attendees}), f AS (${firstVisit})
      SELECT COALESCE(gender, '') AS label, count(*)::int AS citizens FROM f GROUP BY 1`,
    db.$queryRaw<{ label: string; citizens: number }[]>`
      WITH a AS (${attendees}), f AS (${firstVisit})
      SELECT COALESCE(ethnicity, '') AS label, count(*)::int AS citizens FROM f GROUP BY 1`,
  ])
  const c = counts[0]!
  // Recorded values first in Vietnamese order, "not recorded" ('') last.
  const byLabel = (x: { label: string }, y: { label: string }) => (x.label === '' ? 1 : 0) - (y.label === '' ? 1 : 0) || collator.compare(x.label, y.label)
  return {
    sessions: sessions[0]!.n,
    staffInPerson: c.staff_in_person,
    staffOnline: c.staff_online,
    staffTogether: c.staff_together,
    citizens: c.citizens,
    checked: c.checked,
    passed: c.passed,
    byPlace: places.sort((x, y) => collator.compare(x.commune, y.commune) || collator.compare(x.village, y.village)),
    byTopic: topics.sort((x, y) => collator.compare(x.topic, y.topic)),
    byGender: genders.sort(byLabel),
    byEthnicity: ethnicities.sort(byLabel),
  }
}

/** How many distinct staff and citizens are behind the figures (the people lists' tabs). */
export async function trainingPeopleTotals({ db, ...filter }: TrainingFilter): Promise<{ staff: number; citizens: number }> {
  const rows = await db.$queryRaw<{ staff: number; citizens: number }[]>`
    WITH a AS (${attendeesSql(filter)})
    SELECT count(DISTINCT staff_key)::int AS staff, count(DISTINCT citizen_key) FILTER (WHERE kind = 'CITIZEN')::int AS citizens FROM a`
  return rows[0]!
}

/**
 * One page of the people behind the figures (or all of them for an export when `page` is null), in
 * Vietnamese order of the name (sort_key), then a stable key.
 */
export async function trainingPeople(filter: TrainingFilter & { list: 'citizens'; page: number | null; perPage?: number }): Promise<CitizenLine[]>
export async function trainingPeople(filter: TrainingFilter & { list: 'staff'; page: number | null; perPage?: number }): Promise<StaffLine[]>
export async function trainingPeople({ db, list, page, perPage = 100, ...filter }: TrainingFilter & { list: 'citizens' | 'staff'; page: number | null; perPage?: number }): Promise<CitizenLine[] | StaffLine[]> {
  const attendees = attendeesSql(filter)
  const limit = page === null ? Prisma.empty : Prisma.sql`LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`
  if (list === 'citizens') {
    const rows = await db.$queryRaw<{ full_name: string; birth_year: number; village: string; commune: string; gender: string | null; ethnicity: string | null; sessions: number; passed: boolean | null }[]>`
      WITH a AS (${attendees}), f AS (${firstVisit})
      SELECT full_name, birth_year, village, commune, gender, ethnicity, sessions, passed FROM f ORDER BY sort_key, citizen_key ${limit}`
    return rows.map((r) => ({ fullName: r.full_name, birthYear: r.birth_year, village: r.village, commune: r.commune, gender: r.gender, ethnicity: r.ethnicity, sessions: r.sessions, passed: r.passed }))
  }
  const rows = await db.$queryRaw<{ full_name: string; kind: 'STAFF' | 'ACCOUNT'; sessions: number; passed: boolean | null }[]>`
    WITH a AS (${attendees}), f AS (${firstStaff})
    SELECT full_name, kind, sessions, passed FROM f ORDER BY sort_key, staff_key ${limit}`
  return rows.map((r) => ({ fullName: r.full_name, kind: r.kind, sessions: r.sessions, passed: r.passed }))
}
