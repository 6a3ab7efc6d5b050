// Mandatory training: a manager assigns a course to an agency of their subtree (and everything
// below it), optionally only to some job titles, with a due date. "My learning" shows it to the
// people concerned (app/modules/learning/assignments.server.ts); the report counts who is overdue.
import type { PrismaClient } from '@prisma/client'
import { z } from 'zod'
import { agencyScope, inScope } from '~/modules/agency/admin.server'
import { audit } from '~/modules/audit/service.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { AppError } from '~/utils/errors'
import { cleanName } from '~/utils/text'

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string())

export const AssignmentFormSchema = z.object({
  courseId: text.pipe(z.string().uuid('courseRequired')),
  agencyId: text.pipe(z.string().uuid('agencyRequired')),
  // One field with titles separated by ";" or new lines, or the field repeated (one title each).
  jobTitles: z.preprocess((v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('\n') : typeof v === 'string' ? v : ''), z.string()).transform((s) =>
    [...new Set(s.split(/[;\n]/).map(cleanName).filter(Boolean))].slice(0, 20).map((t) => t.slice(0, 120)),
  ),
  // A date (Vietnam): due at the end of that day.
  dueAt: text
    .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dueRequired'))
    .transform((d) => new Date(new Date(`${d}T23:59:59+07:00`).getTime()))
    .refine((d) => !Number.isNaN(d.getTime()), 'dueRequired'),
})
export type AssignmentForm = z.infer<typeof AssignmentFormSchema>

export async function listAssignments(db: PrismaClient, actor: Actor) {
  const scope = await agencyScope(db, actor)
  return db.courseAssignment.findMany({
    where: scope.ids === null ? {} : { agencyId: { in: [...scope.ids] } },
    orderBy: [{ dueAt: 'asc' }],
    select: {
      id: true,
      dueAt: true,
      jobTitles: true,
      course: { select: { title: true } },
      agency: { select: { name: true } },
      createdBy: { select: { fullName: true } },
    },
  })
}

export async function createAssignment(db: PrismaClient, actor: Actor, form: AssignmentForm, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  const agency = await db.agency.findUnique({ where: { id: form.agencyId }, select: { status: true } })
  if (!agency || agency.status !== 'ACTIVE' || !inScope(scope, form.agencyId)) throw AppError.field('agencyRequired')
  const course = await db.course.findUnique({ where: { id: form.courseId }, select: { retiredAt: true } })
  if (!course || course.retiredAt) throw AppError.field('courseRequired')
  return db.$transaction(async (tx) => {
    const created = await tx.courseAssignment.create({
      data: { courseId: form.courseId, agencyId: form.agencyId, jobTitles: form.jobTitles, dueAt: form.dueAt, createdById: actor.id },
    })
    await audit(tx, { action: 'assignment.create', actorId: actor.id, targetType: 'course_assignment', targetId: created.id, ip })
    return created
  })
}

export async function deleteAssignment(db: PrismaClient, actor: Actor, id: string, ip: string | null = null) {
  const scope = await agencyScope(db, actor)
  const found = /^[0-9a-f-]{36}$/.test(id) ? await db.courseAssignment.findUnique({ where: { id } }) : null
  if (!found || !inScope(scope, found.agencyId)) throw new AppError('NOT_FOUND', 'assignment.notFound')
  await db.$transaction(async (tx) => {
    await tx.courseAssignment.delete({ where: { id } })
    await audit(tx, {
      action: 'assignment.delete',
      actorId: actor.id,
      targetType: 'course_assignment',
      targetId: id,
      ip,
      details: { courseId: found.courseId, agencyId: found.agencyId, dueAt: found.dueAt.toISOString() },
    })
  })
}
