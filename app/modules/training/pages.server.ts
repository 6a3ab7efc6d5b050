// What the training pages read and do beyond the service (docs/decisions/023): the sessions of the
// actor's subtree page by page, one session with its attendance in Vietnamese order, the people who
// may be added (roster records and accounts of the subtree, searched without accents), removing an
// attendee. Every call is scoped: a session outside the subtree is the same 404 as a missing one.
import type { PrismaClient } from '@prisma/client'
import { listStaff } from '~/modules/roster/staff.server'
import { agencyScope, peopleScope, usersInScope, type Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { foldVietnamese } from '~/utils/text'
import { requireSession } from './service.server'

export const SESSIONS_PAGE_SIZE = 25
/** How many people a search for attendees shows (refine the words to find others). */
export const CANDIDATES_SHOWN = 20

const collator = new Intl.Collator('vi')
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

export async function listSessions(db: PrismaClient, actor: Actor, { page }: { page: number }) {
  const scope = await agencyScope(db, actor)
  const where = scope.ids === null ? {} : { agencyId: { in: [...scope.ids] } }
  const [total, sessions] = await Promise.all([
    db.trainingSession.count({ where }),
    db.trainingSession.findMany({
      where,
      orderBy: [{ startsOn: 'desc' }, { createdAt: 'desc' }],
      skip: (page - 1) * SESSIONS_PAGE_SIZE,
      take: SESSIONS_PAGE_SIZE,
      select: { id: true, startsOn: true, endsOn: true, commune: true, village: true, topic: true, minutes: true, agency: { select: { name: true } }, _count: { select: { attendees: true } } },
    }),
  ])
  return {
    total,
    pages: Math.max(1, Math.ceil(total / SESSIONS_PAGE_SIZE)),
    sessions: sessions.map((s) => ({ id: s.id, startsOn: isoDay(s.startsOn), endsOn: isoDay(s.endsOn), commune: s.commune, village: s.village, topic: s.topic, minutes: s.minutes, agency: s.agency.name, attendees: s._count.attendees })),
  }
}

/** The session, its organiser (and the agency above, for the administrative heading) and its attendees in Vietnamese order. */
export async function sessionDetail(db: PrismaClient, actor: Actor, sessionId: string) {
  const session = await requireSession({ db, actor, sessionId })
  const [agency, attendees, course] = await Promise.all([
    db.agency.findUniqueOrThrow({ where: { id: session.agencyId }, select: { name: true, parent: { select: { name: true } } } }),
    db.trainingAttendee.findMany({
      where: { sessionId: session.id },
      select: { id: true, kind: true, fullName: true, birthYear: true, village: true, phone: true, gender: true, ethnicity: true, staffRecordId: true, userId: true, checkScore: true },
    }),
    session.courseSlug ? db.course.findUnique({ where: { slug: session.courseSlug }, select: { id: true, slug: true, title: true } }) : Promise.resolve(null),
  ])
  const lessons =
    course && session.lessonSlugs.length
      ? (await db.lesson.findMany({ where: { courseId: course.id, slug: { in: session.lessonSlugs } }, select: { slug: true, title: true, position: true } })).sort((a, b) => a.position - b.position).map((l) => ({ slug: l.slug, title: l.title }))
      : []
  attendees.sort((a, b) => collator.compare(a.fullName, b.fullName) || a.id.localeCompare(b.id))
  return {
    session: { id: session.id, startsOn: isoDay(session.startsOn), endsOn: isoDay(session.endsOn), commune: session.commune, village: session.village, trainers: session.trainers, topic: session.topic, minutes: session.minutes, course: course ? { slug: course.slug, title: course.title } : null, lessons, check: session.checkMaxScore === null ? null : { max: session.checkMaxScore, pass: session.checkPassScore ?? 0 } },
    agency: { name: agency.name, parent: agency.parent?.name ?? null },
    attendees,
  }
}

export interface Candidate {
  id: string
  fullName: string
  detail: string
  attending: boolean
}

/**
 * Roster records and accounts of the actor's subtree whose folded name (code, email) holds every
 * word of q (the roster's and the people list's own searches), in Vietnamese order, each marked
 * when already at the session. Nothing is searched for an empty q.
 */
export async function searchCandidates(db: PrismaClient, actor: Actor, sessionId: string, q: string): Promise<{ staff: Candidate[]; accounts: Candidate[] }> {
  const session = await requireSession({ db, actor, sessionId })
  const words = foldVietnamese(q).split(' ').filter(Boolean)
  if (words.length === 0) return { staff: [], accounts: [] }
  const scope = await agencyScope(db, actor)
  const people = await peopleScope(db, actor)
  const [staff, accounts, present] = await Promise.all([
    listStaff(db, scope, { q, linked: 'all', page: 1 }),
    people.kind === 'none'
      ? Promise.resolve([])
      : db.user.findMany({
          where: { AND: [usersInScope(people), { deactivatedAt: null }, ...words.map((w) => ({ searchText: { contains: w } }))] },
          orderBy: [{ sortKey: 'asc' }, { id: 'asc' }],
          take: CANDIDATES_SHOWN,
          select: { id: true, fullName: true, email: true, phone: true, agency: { select: { name: true } } },
        }),
    db.trainingAttendee.findMany({ where: { sessionId: session.id }, select: { staffRecordId: true, userId: true } }),
  ])
  const staffIds = new Set(present.map((p) => p.staffRecordId).filter(Boolean))
  const userIds = new Set(present.map((p) => p.userId).filter(Boolean))
  const byName = (a: Candidate, b: Candidate) => collator.compare(a.fullName, b.fullName) || a.id.localeCompare(b.id)
  return {
    staff: staff.staff
      .slice(0, CANDIDATES_SHOWN)
      .map((s) => ({ id: s.id, fullName: s.fullName, detail: [s.staffCode, s.jobTitle, s.agency.name].filter(Boolean).join(' · '), attending: staffIds.has(s.id) || (s.user !== null && userIds.has(s.user.id)) }))
      .sort(byName),
    accounts: accounts
      .map((u) => ({ id: u.id, fullName: u.fullName, detail: [u.email ?? u.phone, u.agency?.name].filter(Boolean).join(' · '), attending: userIds.has(u.id) }))
      .sort(byName),
  }
}

export async function removeAttendee(db: PrismaClient, actor: Actor, { sessionId, attendeeId }: { sessionId: string; attendeeId: string }) {
  const session = await requireSession({ db, actor, sessionId })
  const removed = await db.trainingAttendee.deleteMany({ where: { id: attendeeId, sessionId: session.id } })
  if (removed.count !== 1) throw new AppError('NOT_FOUND', 'training.attendeeNotFound')
}

/** The courses of the catalogue a session may be about, in Vietnamese order, each with its lessons in course order. */
export async function courseOptions(db: PrismaClient) {
  const courses = await db.course.findMany({
    where: { retiredAt: null },
    select: { slug: true, title: true, lessons: { where: { retiredAt: null }, orderBy: { position: 'asc' }, select: { slug: true, title: true } } },
  })
  return courses.sort((a, b) => collator.compare(a.title, b.title))
}
