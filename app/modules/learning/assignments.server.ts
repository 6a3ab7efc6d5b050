// Courses the person's agency (or any agency above it) has made mandatory, with the due date: shown
// on My learning. An assignment with job titles applies only to people with one of them.
import type { PrismaClient } from '@prisma/client'
import { prisma } from '~/utils/db.server'

export interface AssignedCourse {
  courseId: string
  slug: string
  title: string
  dueAt: Date
}

/** The person's assigned courses, earliest due date per course, soonest first. */
export async function assignedCourses({ userId }: { userId: string }, db: PrismaClient = prisma()): Promise<AssignedCourse[]> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { agencyId: true, jobTitle: true } })
  if (!user?.agencyId) return []
  const chain = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id FROM agency WHERE id = ${user.agencyId}::uuid
      UNION
      SELECT a.id, a.parent_id FROM agency a JOIN up ON a.id = up.parent_id
    )
    SELECT id::text AS id FROM up`
  const rows = await db.courseAssignment.findMany({
    where: { agencyId: { in: chain.map((c) => c.id) }, course: { retiredAt: null } },
    select: { dueAt: true, jobTitles: true, course: { select: { id: true, slug: true, title: true } } },
    orderBy: { dueAt: 'asc' },
  })
  const byCourse = new Map<string, AssignedCourse>()
  for (const row of rows) {
    if (row.jobTitles.length && !(user.jobTitle && row.jobTitles.includes(user.jobTitle))) continue
    if (!byCourse.has(row.course.id)) byCourse.set(row.course.id, { courseId: row.course.id, slug: row.course.slug, title: row.course.title, dueAt: row.dueAt })
  }
  return [...byCourse.values()]
}
