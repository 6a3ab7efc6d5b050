// In-person training sessions and their attendance (issue 19, docs/decisions/023). Every function
// takes the actor and checks the organiser agency against the actor's subtree (requireAgencyAct),
// so an HR officer sees and edits only sessions of their subtree; another subtree's session id
// answers "not found", never a different error (IDOR-safe).
import { Prisma, type PrismaClient } from '@prisma/client'
import { requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { citizenKey } from './keys'
import type { CitizenForm, SessionForm } from './schema'

type Db = PrismaClient | Prisma.TransactionClient

const day = (d: string) => new Date(`${d}T00:00:00Z`)

export async function createSession({ db, actor, form }: { db: Db; actor: Actor; form: SessionForm }) {
  await requireAgencyAct(db, actor, form.agencyId, 'own')
  let topic = form.topic
  if (form.courseSlug !== null) {
    // A course of the catalogue (not retired); its title stands for the topic when none is typed.
    const course = await db.course.findFirst({ where: { slug: form.courseSlug, retiredAt: null }, select: { title: true } })
    if (!course) throw AppError.field('courseUnknown')
    topic ||= course.title
  }
  return db.trainingSession.create({
    data: {
      agencyId: form.agencyId,
      startsOn: day(form.startsOn),
      endsOn: day(form.endsOn),
      commune: form.commune,
      village: form.village,
      trainers: form.trainers,
      courseSlug: form.courseSlug,
      topic,
      minutes: form.minutes,
      createdById: actor.id,
    },
  })
}

/** The session, if the actor may act on its organiser agency; else NOT_FOUND (same answer for a missing id). */
export async function requireSession({ db, actor, sessionId }: { db: Db; actor: Actor; sessionId: string }) {
  const session = /^[0-9a-f-]{36}$/i.test(sessionId) ? await db.trainingSession.findUnique({ where: { id: sessionId } }) : null
  if (!session) throw new AppError('NOT_FOUND', 'training.notFound')
  try {
    await requireAgencyAct(db, actor, session.agencyId, 'own')
  } catch (error) {
    if (error instanceof AppError) throw new AppError('NOT_FOUND', 'training.notFound')
    throw error
  }
  return session
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002'
}

async function insertAttendee(db: Db, data: Prisma.TrainingAttendeeUncheckedCreateInput) {
  try {
    return await db.trainingAttendee.create({ data })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'training.alreadyAttending')
    throw error
  }
}

export async function addCitizen({ db, actor, sessionId, form }: { db: Db; actor: Actor; sessionId: string; form: CitizenForm }) {
  const session = await requireSession({ db, actor, sessionId })
  return insertAttendee(db, {
    sessionId: session.id,
    kind: 'CITIZEN',
    fullName: form.fullName,
    birthYear: form.birthYear,
    village: form.village,
    phone: form.phone,
    gender: form.gender,
    ethnicity: form.ethnicity,
    citizenKey: citizenKey(form),
  })
}

/** A roster record as an attendee: only a record of the actor's subtree. */
export async function addStaff({ db, actor, sessionId, staffRecordId }: { db: Db; actor: Actor; sessionId: string; staffRecordId: string }) {
  const session = await requireSession({ db, actor, sessionId })
  const record = /^[0-9a-f-]{36}$/i.test(staffRecordId) ? await db.staffRecord.findUnique({ where: { id: staffRecordId } }) : null
  if (!record) throw new AppError('NOT_FOUND', 'training.staffNotInScope')
  try {
    await requireAgencyAct(db, actor, record.agencyId, 'own')
  } catch (error) {
    if (error instanceof AppError) throw new AppError('NOT_FOUND', 'training.staffNotInScope')
    throw error
  }
  return insertAttendee(db, { sessionId: session.id, kind: 'STAFF', staffRecordId: record.id, userId: record.userId, fullName: record.fullName })
}

export interface TrainingFigures {
  /** Distinct staff (roster records or accounts) who attended a session in the period. */
  staffInPerson: number
  /** Distinct accounts that completed a course online in the period. */
  staffOnline: number
  /** Distinct people trained either way (an account trained both ways counts once). */
  staffTogether: number
  /** Distinct citizens (same folded name + year of birth + village counted once). */
  citizens: number
  byPlace: { commune: string; village: string; citizens: number }[]
  byTopic: { topic: string; staff: number; citizens: number }[]
  /** The people behind the numbers (left empty when `people` is false). */
  citizenList: { fullName: string; birthYear: number; village: string; commune: string; sessions: number }[]
  staffList: { fullName: string; kind: 'STAFF' | 'ACCOUNT'; sessions: number }[]
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
  people?: boolean
}

/**
 * The figures of in-person training beside online completions (docs/decisions/023), counted in
 * SQL (COUNT DISTINCT): a citizen met at several sessions in the period is counted once, in the
 * place of their first session; a roster record linked to an account counts as that account, so a
 * person trained in person and online counts once in "together".
 */
export async function trainingFigures({ db, agencyIds, from, to, course = null, people = true }: TrainingFilter): Promise<TrainingFigures> {
  const ids = agencyIds ?? []
  const all = agencyIds === null
  const attendees = Prisma.sql`
    SELECT t.kind::text AS kind, t.citizen_key, t.full_name, t.birth_year, t.village, t.created_at,
      CASE WHEN t.kind = 'CITIZEN' THEN NULL WHEN t.user_id IS NOT NULL THEN 'u:' || t.user_id::text ELSE 's:' || t.staff_record_id::text END AS staff_key,
      s.starts_on, s.commune, s.village AS session_village, CASE WHEN s.course_slug IS NOT NULL THEN COALESCE(c.title, s.course_slug) ELSE s.topic END AS topic
    FROM training_attendee t JOIN training_session s ON s.id = t.session_id LEFT JOIN course c ON c.slug = s.course_slug
    WHERE (${all} OR s.agency_id = ANY(${ids}::uuid[]))
      AND (${from}::timestamptz IS NULL OR s.starts_on >= ${from}::timestamptz) AND (${to}::timestamptz IS NULL OR s.starts_on < ${to}::timestamptz)
      AND (${course?.slug ?? null}::text IS NULL OR s.course_slug = ${course?.slug ?? null}::text)`
  const online = Prisma.sql`
    SELECT DISTINCT 'u:' || e.user_id::text AS staff_key
    FROM course_completion cc JOIN enrolment e ON e.id = cc.enrolment_id JOIN app_user u ON u.id = e.user_id
    WHERE (${all} OR u.agency_id = ANY(${ids}::uuid[]))
      AND (${from}::timestamptz IS NULL OR cc.completed_at >= ${from}::timestamptz) AND (${to}::timestamptz IS NULL OR cc.completed_at < ${to}::timestamptz)
      AND (${course?.id ?? null}::uuid IS NULL OR e.course_id = ${course?.id ?? null}::uuid)`
  // One citizen: their first session of the period gives the place and the name shown.
  const firstVisit = Prisma.sql`
    SELECT DISTINCT ON (citizen_key) citizen_key, full_name, birth_year, village, commune, COALESCE(NULLIF(session_village, ''), village) AS place_village,
      count(*) OVER (PARTITION BY citizen_key)::int AS sessions
    FROM a WHERE kind = 'CITIZEN' ORDER BY citizen_key, starts_on, created_at`
  const [counts, places, topics, citizenRows, staffRows] = await Promise.all([
    db.$queryRaw<{ staff_in_person: number; citizens: number; staff_online: number; staff_together: number }[]>`
      WITH a AS (${attendees}), o AS (${online})
      SELECT (SELECT count(DISTINCT staff_key) FROM a)::int AS staff_in_person,
        (SELECT count(DISTINCT citizen_key) FROM a WHERE kind = 'CITIZEN')::int AS citizens,
        (SELECT count(*) FROM o)::int AS staff_online,
        (SELECT count(*) FROM (SELECT staff_key FROM a WHERE staff_key IS NOT NULL UNION SELECT staff_key FROM o) x)::int AS staff_together`,
    db.$queryRaw<{ commune: string; village: string; citizens: number }[]>`
      WITH a AS (${attendees}), f AS (${firstVisit})
      SELECT commune, place_village AS village, count(*)::int AS citizens FROM f GROUP BY commune, place_village`,
    db.$queryRaw<{ topic: string; staff: number; citizens: number }[]>`
      WITH a AS (${attendees})
      SELECT topic, count(DISTINCT staff_key)::int AS staff, count(DISTINCT citizen_key) FILTER (WHERE kind = 'CITIZEN')::int AS citizens FROM a GROUP BY topic`,
    people
      ? db.$queryRaw<{ full_name: string; birth_year: number; village: string; commune: string; sessions: number }[]>`WITH a AS (${attendees}), f AS (${firstVisit}) SELECT full_name, birth_year, village, commune, sessions FROM f`
      : Promise.resolve([]),
    people
      ? db.$queryRaw<{ full_name: string; kind: 'STAFF' | 'ACCOUNT'; sessions: number }[]>`
          WITH a AS (${attendees})
          SELECT DISTINCT ON (staff_key) full_name, kind, count(*) OVER (PARTITION BY staff_key)::int AS sessions FROM a WHERE staff_key IS NOT NULL ORDER BY staff_key, starts_on, created_at`
      : Promise.resolve([]),
  ])
  const c = counts[0]!
  const collator = new Intl.Collator('vi')
  return {
    staffInPerson: c.staff_in_person,
    staffOnline: c.staff_online,
    staffTogether: c.staff_together,
    citizens: c.citizens,
    byPlace: places.sort((a, b) => collator.compare(a.commune, b.commune) || collator.compare(a.village, b.village)),
    byTopic: topics.sort((a, b) => collator.compare(a.topic, b.topic)),
    citizenList: citizenRows.map((r) => ({ fullName: r.full_name, birthYear: r.birth_year, village: r.village, commune: r.commune, sessions: r.sessions })).sort((a, b) => collator.compare(a.fullName, b.fullName) || a.birthYear - b.birthYear),
    staffList: staffRows.map((r) => ({ fullName: r.full_name, kind: r.kind, sessions: r.sessions })).sort((a, b) => collator.compare(a.fullName, b.fullName)),
  }
}

/** An account as an attendee: only an account of an agency in the actor's subtree. */
export async function addAccount({ db, actor, sessionId, userId }: { db: Db; actor: Actor; sessionId: string; userId: string }) {
  const session = await requireSession({ db, actor, sessionId })
  const user = /^[0-9a-f-]{36}$/i.test(userId) ? await db.user.findUnique({ where: { id: userId }, select: { id: true, fullName: true, agencyId: true } }) : null
  if (!user?.agencyId) throw new AppError('NOT_FOUND', 'training.staffNotInScope')
  try {
    await requireAgencyAct(db, actor, user.agencyId, 'own')
  } catch (error) {
    if (error instanceof AppError) throw new AppError('NOT_FOUND', 'training.staffNotInScope')
    throw error
  }
  return insertAttendee(db, { sessionId: session.id, kind: 'ACCOUNT', userId: user.id, fullName: user.fullName })
}
