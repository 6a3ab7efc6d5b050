// "My learning" in one statement (docs/decisions/030): the person's enrolments with their lessons,
// progress and quiz attempts; the courses their agency (or any agency above it) has assigned them;
// their certificates due for renewal. It was a dozen queries through Prisma, one round trip each:
// on a busy database server, 60 ms a page for one person with one course.
import { RENEWAL_NOTICE_DAYS } from '~/modules/certificate/status'
import { plainQuery, prisma } from '~/utils/db.server'
import { renewalSince, type MyCourse } from './progress.server'

export interface AssignedCourse {
  courseId: string
  slug: string
  title: string
  dueAt: Date
}

export interface RenewalDue {
  id: string
  courseTitle: string
  courseSlug: string
  renewal: 'QUIZ' | 'COURSE'
  expiresAt: Date
  expired: boolean
}

export interface LearningOverview {
  /** Unfinished first, then finished; newest enrolment first within each. With the due date if assigned. */
  courses: (MyCourse & { dueAt: Date | null })[]
  /** Assigned and not enrolled in, earliest due date per course, soonest first. */
  notEnrolled: AssignedCourse[]
  /** Current certificates expiring within RENEWAL_NOTICE_DAYS (or expired), soonest first. */
  renewals: RenewalDue[]
}

interface EnrolmentJson {
  id: string
  user_id: string
  course_id: string
  enrolled_at: string
  completed_at: string | null
  slug: string
  title: string
  renewal: 'QUIZ' | 'COURSE'
  lessons: { id: string; slug: string; title: string }[]
  progress: { lessonId: string; completedAt: string }[]
  attempts: { id: string; status: string; scorePercent: number | string | null; passed: boolean | null }[]
}

interface Row {
  enrolments: EnrolmentJson[]
  assignments: { courseId: string; slug: string; title: string; dueAt: string; jobTitles: string[] }[]
  job_title: string | null
  renewals: { id: string; courseTitle: string; courseSlug: string; renewal: 'QUIZ' | 'COURSE'; expiresAt: string }[]
}

const SQL = `
WITH RECURSIVE me AS (SELECT id, agency_id, job_title FROM app_user WHERE id = $1::uuid),
up AS (
  SELECT a.id, a.parent_id FROM agency a JOIN me ON a.id = me.agency_id
  UNION
  SELECT a.id, a.parent_id FROM agency a JOIN up ON a.id = up.parent_id
)
SELECT
  (SELECT job_title FROM me) AS job_title,
  COALESCE((
    SELECT json_agg(x ORDER BY x.enrolled_at DESC, x.id) FROM (
      SELECT e.id, e.user_id, e.course_id, e.enrolled_at, e.completed_at, c.slug, c.title, c.renewal,
        COALESCE((SELECT json_agg(json_build_object('id', l.id, 'slug', l.slug, 'title', l.title) ORDER BY l.position)
                  FROM lesson l WHERE l.course_id = c.id AND l.retired_at IS NULL), '[]'::json) AS lessons,
        COALESCE((SELECT json_agg(json_build_object('lessonId', p.lesson_id, 'completedAt', p.completed_at))
                  FROM lesson_progress p WHERE p.enrolment_id = e.id), '[]'::json) AS progress,
        COALESCE((SELECT json_agg(json_build_object('id', q.id, 'status', q.status, 'scorePercent', q.score_percent, 'passed', q.passed) ORDER BY q.number)
                  FROM quiz_attempt q WHERE q.enrolment_id = e.id), '[]'::json) AS attempts
      FROM enrolment e JOIN course c ON c.id = e.course_id AND c.retired_at IS NULL
      WHERE e.user_id = $1::uuid) x), '[]'::json) AS enrolments,
  COALESCE((
    SELECT json_agg(json_build_object('courseId', c.id, 'slug', c.slug, 'title', c.title, 'dueAt', ca.due_at, 'jobTitles', ca.job_titles) ORDER BY ca.due_at, ca.id)
    FROM course_assignment ca JOIN course c ON c.id = ca.course_id AND c.retired_at IS NULL
    WHERE ca.agency_id IN (SELECT id FROM up)), '[]'::json) AS assignments,
  COALESCE((
    SELECT json_agg(json_build_object('id', ce.id, 'courseTitle', ce.course_title, 'courseSlug', c.slug, 'renewal', c.renewal, 'expiresAt', ce.expires_at) ORDER BY ce.expires_at, ce.id)
    FROM certificate ce JOIN course c ON c.id = ce.course_id AND c.retired_at IS NULL
    WHERE ce.user_id = $1::uuid AND ce.superseded_by_id IS NULL AND ce.revoked_at IS NULL
      AND ce.expires_at IS NOT NULL AND ce.expires_at <= $2::timestamptz), '[]'::json) AS renewals`

export async function learningOverview({ userId, now = new Date() }: { userId: string; now?: Date }): Promise<LearningOverview> {
  const horizon = new Date(now.getTime() + RENEWAL_NOTICE_DAYS * 86_400_000)
  const [row] = await plainQuery<Row>(prisma(), { text: SQL, values: [userId, horizon.toISOString()] }, { prepare: true })
  if (!row) return { courses: [], notEnrolled: [], renewals: [] }

  // Assigned: one per course (the earliest due), and only where the job titles say so.
  const assigned = new Map<string, AssignedCourse>()
  for (const a of row.assignments) {
    if (a.jobTitles.length && !(row.job_title && a.jobTitles.includes(row.job_title))) continue
    if (!assigned.has(a.courseId)) assigned.set(a.courseId, { courseId: a.courseId, slug: a.slug, title: a.title, dueAt: new Date(a.dueAt) })
  }
  const due = new Map([...assigned.values()].map((a) => [a.slug, a.dueAt]))

  const courses = await Promise.all(
    row.enrolments.map(async (e) => {
      const completedAt = e.completed_at ? new Date(e.completed_at) : null
      // A whole-course renewal may be open (rare): the domain function decides since when lessons count.
      const from = completedAt && e.renewal === 'COURSE' ? await renewalSince(prisma(), { id: e.id, userId: e.user_id, courseId: e.course_id, completedAt }, e.renewal) : null
      const done = new Set(e.progress.filter((p) => !from || new Date(p.completedAt) > from).map((p) => p.lessonId))
      const next = e.lessons.find((l) => !done.has(l.id))
      return {
        slug: e.slug,
        title: e.title,
        enrolledAt: new Date(e.enrolled_at),
        completedAt,
        lessonsDone: e.lessons.filter((l) => done.has(l.id)).length,
        lessonsTotal: e.lessons.length,
        nextLesson: next ? { slug: next.slug, title: next.title } : null,
        openAttemptId: e.attempts.find((a) => a.status === 'OPEN')?.id ?? null,
        bestScore: e.attempts.reduce<number | null>((best, a) => (a.scorePercent === null ? best : Math.max(best ?? 0, Number(a.scorePercent))), null),
        passed: e.attempts.some((a) => a.passed === true),
        dueAt: due.get(e.slug) ?? null,
      }
    }),
  )
  return {
    courses: [...courses.filter((c) => !c.completedAt), ...courses.filter((c) => c.completedAt)],
    notEnrolled: [...assigned.values()].filter((a) => !courses.some((c) => c.slug === a.slug)),
    renewals: row.renewals.map((r) => {
      const expiresAt = new Date(r.expiresAt)
      return { id: r.id, courseTitle: r.courseTitle, courseSlug: r.courseSlug, renewal: r.renewal, expiresAt, expired: expiresAt.getTime() <= now.getTime() }
    }),
  }
}
