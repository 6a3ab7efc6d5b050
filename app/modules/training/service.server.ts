// In-person training sessions and their attendance (issue 19, docs/decisions/023). Every function
// takes the actor and checks the organiser agency against the actor's subtree (requireAgencyAct),
// so an HR officer sees and edits only sessions of their subtree; another subtree's session id
// answers "not found", never a different error (IDOR-safe).
import type { Prisma, PrismaClient } from '@prisma/client'
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
  citizenList: { fullName: string; birthYear: number; village: string; sessions: number }[]
}

/**
 * The figures of in-person training beside online completions, for sessions that start in
 * [from, to) and completions in [from, to), organised by (or completed by accounts of) `agencyIds`
 * (null: the whole province). A citizen met at several sessions in the period is counted once, in
 * the place of their first session.
 */
export async function trainingFigures({ db, agencyIds, from, to }: { db: Db; agencyIds: string[] | null; from: Date; to: Date }): Promise<TrainingFigures> {
  const attendees = await db.trainingAttendee.findMany({
    where: { session: { startsOn: { gte: from, lt: to }, ...(agencyIds ? { agencyId: { in: agencyIds } } : {}) } },
    select: { kind: true, staffRecordId: true, userId: true, fullName: true, birthYear: true, village: true, citizenKey: true, session: { select: { startsOn: true, commune: true, village: true, topic: true, courseSlug: true } } },
    orderBy: [{ session: { startsOn: 'asc' } }, { createdAt: 'asc' }],
  })
  const online = await db.courseCompletion.findMany({
    where: { completedAt: { gte: from, lt: to }, ...(agencyIds ? { enrolment: { user: { agencyId: { in: agencyIds } } } } : {}) },
    select: { enrolment: { select: { userId: true } } },
  })

  const staffKey = (a: (typeof attendees)[number]) => (a.userId ? `u:${a.userId}` : `s:${a.staffRecordId}`)
  const staff = new Set<string>()
  const citizens = new Map<string, { fullName: string; birthYear: number; village: string; sessions: number; commune: string; placeVillage: string }>()
  const topics = new Map<string, { staff: Set<string>; citizens: Set<string> }>()
  for (const a of attendees) {
    const topic = a.session.courseSlug ?? a.session.topic
    const t = topics.get(topic) ?? { staff: new Set(), citizens: new Set() }
    topics.set(topic, t)
    if (a.kind === 'CITIZEN' && a.citizenKey) {
      t.citizens.add(a.citizenKey)
      const seen = citizens.get(a.citizenKey)
      if (seen) seen.sessions += 1
      else citizens.set(a.citizenKey, { fullName: a.fullName, birthYear: a.birthYear ?? 0, village: a.village, sessions: 1, commune: a.session.commune, placeVillage: a.session.village || a.village })
    } else {
      staff.add(staffKey(a))
      t.staff.add(staffKey(a))
    }
  }
  const onlineUsers = new Set(online.map((c) => `u:${c.enrolment.userId}`))
  const places = new Map<string, { commune: string; village: string; citizens: number }>()
  for (const c of citizens.values()) {
    const key = `${c.commune}|${c.placeVillage}`
    const p = places.get(key) ?? { commune: c.commune, village: c.placeVillage, citizens: 0 }
    p.citizens += 1
    places.set(key, p)
  }
  const collator = new Intl.Collator('vi')
  return {
    staffInPerson: staff.size,
    staffOnline: onlineUsers.size,
    staffTogether: new Set([...staff, ...onlineUsers]).size,
    citizens: citizens.size,
    byPlace: [...places.values()].sort((a, b) => collator.compare(a.commune, b.commune) || collator.compare(a.village, b.village)),
    byTopic: [...topics.entries()].map(([topic, t]) => ({ topic, staff: t.staff.size, citizens: t.citizens.size })).sort((a, b) => collator.compare(a.topic, b.topic)),
    citizenList: [...citizens.values()].map(({ fullName, birthYear, village, sessions }) => ({ fullName, birthYear, village, sessions })).sort((a, b) => collator.compare(a.fullName, b.fullName)),
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
