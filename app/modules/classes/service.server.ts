// Classes of a teacher: create, find (only the teacher's own: other teachers get 404), assign work,
// reset a student's PIN. Who may see a class is decided here, once, by `classForTeacher`.
import { randomInt } from 'node:crypto'
import type { PrismaClient } from '@prisma/client'
import { hasRole, isAdmin, type Actor } from '~/modules/auth/permissions.server'
import { hashPassword } from '~/modules/auth/password.server'
import { audit } from '~/modules/audit/service.server'
import { prisma as defaultPrisma } from '~/utils/db.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { collator } from '~/utils/text'
import { isTooSimplePin, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from './schema'

export function newJoinCode(): string {
  let code = ''
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]
  return code
}

/** A random six-digit PIN that is not one of the obvious ones. */
export function newPin(): string {
  for (;;) {
    const pin = String(randomInt(1_000_000)).padStart(6, '0')
    if (!isTooSimplePin(pin)) return pin
  }
}

/** Teachers (and admins) create classes. */
export function canTeach(actor: Actor): boolean {
  return hasRole(actor, 'TEACHER') || isAdmin(actor)
}

export function requireTeacher(actor: Actor): void {
  if (!canTeach(actor)) throw new AppError('FORBIDDEN', 'classes.teachersOnly')
}

/** Schools a teacher may pick: the school of their teacher role first, then every active school. */
export async function schoolChoices(actor: Actor, db: PrismaClient = defaultPrisma()) {
  const schools = await db.agency.findMany({ where: { type: 'SCHOOL', status: 'ACTIVE' }, select: { id: true, name: true } })
  const own = new Set(actor.roles.filter((r) => r.role === 'TEACHER' && r.agencyId).map((r) => r.agencyId!))
  const vi = collator('vi')
  return schools.sort((a, b) => Number(own.has(b.id)) - Number(own.has(a.id)) || vi.compare(a.name, b.name))
}

export async function createClass({ actor, name, schoolId, ip }: { actor: Actor; name: string; schoolId: string; ip?: string }, db: PrismaClient = defaultPrisma()) {
  requireTeacher(actor)
  const school = await db.agency.findUnique({ where: { id: schoolId }, select: { type: true, status: true } })
  if (!school || school.type !== 'SCHOOL' || school.status !== 'ACTIVE') return { ok: false as const, errors: { schoolId: 'schoolUnknown' as const } }
  // A clash of random codes is rare (32^6 ≈ 10^9); the unique index decides, and we draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const created = await db.$transaction(async (tx) => {
        const row = await tx.class.create({ data: { name, schoolId, teacherId: actor.id, joinCode: newJoinCode() } })
        await audit(tx, { action: 'class.create', actorId: actor.id, targetType: 'class', targetId: row.id, ip, details: { name } })
        return row
      })
      return { ok: true as const, id: created.id }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
    }
  }
  throw new AppError('UNAVAILABLE', 'classes.codeFailed')
}

/** The classes a person teaches and the classes they are in. */
export async function myClasses({ userId }: { userId: string }, db: PrismaClient = defaultPrisma()) {
  const [teaching, member] = await Promise.all([
    db.class.findMany({
      where: { teacherId: userId },
      orderBy: [{ archivedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
      select: { id: true, name: true, joinCode: true, archivedAt: true, school: { select: { name: true } }, _count: { select: { members: true, assignments: true } } },
    }),
    db.classMember.findMany({
      where: { userId, class: { archivedAt: null } },
      select: {
        class: {
          select: {
            id: true,
            name: true,
            school: { select: { name: true } },
            teacher: { select: { fullName: true } },
            assignments: {
              orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
              select: { id: true, dueAt: true, course: { select: { slug: true, title: true } }, lesson: { select: { slug: true, title: true } } },
            },
          },
        },
      },
    }),
  ])
  return { teaching, member: member.map((m) => m.class) }
}

/**
 * The class, if this actor teaches it (or is an admin). Anyone else — another teacher included —
 * gets 404, so a class's students are invisible outside it.
 */
export async function classForTeacher({ actor, classId }: { actor: Actor; classId: string }, db: PrismaClient = defaultPrisma()) {
  const row = /^[0-9a-f-]{36}$/i.test(classId)
    ? await db.class.findUnique({ where: { id: classId }, include: { school: { select: { name: true } }, teacher: { select: { fullName: true } } } })
    : null
  if (!row || (row.teacherId !== actor.id && !isAdmin(actor))) throw new AppError('NOT_FOUND', 'classes.notFound')
  return row
}

/** Courses and lessons a teacher can assign, for the assignment form. */
export async function assignableTargets(db: PrismaClient = defaultPrisma()) {
  const courses = await db.course.findMany({
    where: { retiredAt: null },
    orderBy: { title: 'asc' },
    select: { slug: true, title: true, lessons: { where: { retiredAt: null }, orderBy: { position: 'asc' }, select: { slug: true, title: true, position: true } } },
  })
  const vi = collator('vi')
  return courses.sort((a, b) => vi.compare(a.title, b.title))
}

/** End of the given day in Vietnam (UTC+7, no summer time): "due 2026-12-01" means that whole day. */
export function dueDate(day: string): Date | null {
  if (!day) return null
  const date = new Date(`${day}T23:59:59.999+07:00`)
  if (Number.isNaN(date.getTime())) return null
  // 2026-02-31 parses as 3 March: refuse days that do not exist.
  const back = new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
  return back === day ? date : null
}

export async function assign(
  { actor, classId, target, due, ip }: { actor: Actor; classId: string; target: string; due: string; ip?: string },
  db: PrismaClient = defaultPrisma(),
) {
  const cls = await classForTeacher({ actor, classId }, db)
  if (cls.archivedAt) return { ok: false as const, errors: { form: 'classArchived' as const } }
  const [courseSlug, lessonSlug, ...rest] = target.split('/')
  const course = courseSlug && rest.length === 0 ? await db.course.findFirst({ where: { slug: courseSlug, retiredAt: null }, select: { id: true } }) : null
  if (!course) return { ok: false as const, errors: { target: 'courseUnknown' as const } }
  let lessonId: string | null = null
  if (lessonSlug) {
    const lesson = await db.lesson.findFirst({ where: { courseId: course.id, slug: lessonSlug, retiredAt: null }, select: { id: true } })
    if (!lesson) return { ok: false as const, errors: { target: 'lessonUnknown' as const } }
    lessonId = lesson.id
  }
  const dueAt = due ? dueDate(due) : null
  if (due && !dueAt) return { ok: false as const, errors: { due: 'dueInvalid' as const } }
  const existing = await db.classAssignment.findFirst({ where: { classId, courseId: course.id, lessonId } })
  if (existing) return { ok: false as const, errors: { target: 'alreadyAssigned' as const } }
  await db.$transaction(async (tx) => {
    const row = await tx.classAssignment.create({ data: { classId, courseId: course.id, lessonId, dueAt } })
    await audit(tx, { action: 'class.assign', actorId: actor.id, targetType: 'class', targetId: classId, ip, details: { assignment: row.id, target } })
  })
  return { ok: true as const }
}

export async function unassign({ actor, classId, assignmentId, ip }: { actor: Actor; classId: string; assignmentId: string; ip?: string }, db: PrismaClient = defaultPrisma()) {
  await classForTeacher({ actor, classId }, db)
  const { count } = await db.classAssignment.deleteMany({ where: { id: /^[0-9a-f-]{36}$/i.test(assignmentId) ? assignmentId : '00000000-0000-0000-0000-000000000000', classId } })
  if (count) await audit(db, { action: 'class.unassign', actorId: actor.id, targetType: 'class', targetId: classId, ip, details: { assignment: assignmentId } })
  return count > 0
}

/**
 * A new PIN for a student of the class who signs in with one. Returned once, to show the teacher;
 * only its hash is kept. The student's sessions end (whoever knew the old PIN is signed out).
 */
export async function resetPin({ actor, classId, userId, ip }: { actor: Actor; classId: string; userId: string; ip?: string }, db: PrismaClient = defaultPrisma()) {
  await classForTeacher({ actor, classId }, db)
  const member = /^[0-9a-f-]{36}$/i.test(userId)
    ? await db.classMember.findUnique({
        where: { classId_userId: { classId, userId } },
        select: { pinHash: true, user: { select: { fullName: true, roleGrants: { select: { role: true } } } } },
      })
    : null
  // A PIN gives a session as that person: a teacher resets it only for a student with no role of
  // their own (a teacher, manager or admin among the members is the admin's business).
  if (!member || member.pinHash === null || (member.user.roleGrants.length > 0 && !isAdmin(actor))) throw new AppError('NOT_FOUND', 'classes.noPin')
  const pin = newPin()
  const pinHash = await hashPassword(pin)
  await db.$transaction(async (tx) => {
    await tx.classMember.update({ where: { classId_userId: { classId, userId } }, data: { pinHash } })
    await tx.session.deleteMany({ where: { userId } })
    await audit(tx, { action: 'class.pin.reset', actorId: actor.id, targetType: 'user', targetId: userId, ip, details: { classId } })
  })
  return { pin, fullName: member.user.fullName }
}

export async function setArchived({ actor, classId, archived, ip }: { actor: Actor; classId: string; archived: boolean; ip?: string }, db: PrismaClient = defaultPrisma()) {
  await classForTeacher({ actor, classId }, db)
  await db.class.update({ where: { id: classId }, data: { archivedAt: archived ? new Date() : null } })
  await audit(db, { action: archived ? 'class.archive' : 'class.unarchive', actorId: actor.id, targetType: 'class', targetId: classId, ip })
}
