// In-person training sessions and their attendance (issue 19, docs/decisions/023). Every function
// takes the actor and checks the organiser agency against the actor's subtree (requireAgencyAct),
// so an HR officer sees and edits only sessions of their subtree; another subtree's session id
// answers "not found", never a different error (IDOR-safe).
import { type Prisma, type PrismaClient } from '@prisma/client'
import { requireAgencyAct, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { personSortKey } from '~/utils/vietnamese-sort'
import { citizenKey } from './keys'
import type { CitizenForm, SessionForm } from './schema'

type Db = PrismaClient | Prisma.TransactionClient

const day = (d: string) => new Date(`${d}T00:00:00Z`)

export async function createSession({ db, actor, form }: { db: Db; actor: Actor; form: SessionForm }) {
  await requireAgencyAct(db, actor, form.agencyId, 'own')
  let topic = form.topic
  // Chosen lessons imply their course (the schema holds them to one course, the chosen one if any).
  const courseSlug = form.courseSlug ?? (form.lessons[0]?.split('/')[0] || null)
  let lessonSlugs = [...new Set(form.lessons.map((l) => l.split('/')[1]!))]
  if (courseSlug !== null) {
    // A course of the catalogue (not retired); its title (and the lessons') stands for the topic when none is typed.
    const course = await db.course.findFirst({ where: { slug: courseSlug, retiredAt: null }, select: { id: true, title: true } })
    if (!course) throw AppError.field('courseUnknown')
    const lessons = lessonSlugs.length ? await db.lesson.findMany({ where: { courseId: course.id, slug: { in: lessonSlugs }, retiredAt: null }, orderBy: { position: 'asc' }, select: { slug: true, title: true } }) : []
    if (lessons.length !== lessonSlugs.length) throw AppError.field('lessonUnknown')
    lessonSlugs = lessons.map((l) => l.slug) // in course order
    topic ||= (lessons.length ? `${course.title}: ${lessons.map((l) => l.title).join('; ')}` : course.title).slice(0, 300)
  }
  return db.trainingSession.create({
    data: {
      agencyId: form.agencyId,
      startsOn: day(form.startsOn),
      endsOn: day(form.endsOn),
      commune: form.commune,
      village: form.village,
      trainers: form.trainers,
      courseSlug,
      lessonSlugs,
      topic,
      minutes: form.minutes,
      checkMaxScore: form.checkMaxScore,
      checkPassScore: form.checkPassScore,
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
    return await db.trainingAttendee.create({ data: { ...data, sortKey: personSortKey(data.fullName) } })
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

export { trainingFigures, trainingPeople, trainingPeopleTotals, type TrainingFigures, type TrainingFilter } from './figures.server'

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
