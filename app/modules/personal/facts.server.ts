// The few facts a personal template is filled with (docs/decisions/030): the signed-in person of a
// session token (the same checks as getCurrentUser), their unread notifications and, for a course
// or lesson page, where they stand in that course — in ONE statement on a plain connection, without
// Prisma on the path (Prisma's per-query work was most of a signed-in page's cost).
import { acceptStoredSession, parseSessionToken, sessionPolicy, storedSessionStillGood, type StoredSession } from '~/modules/auth/session.server'
import { courseProgress } from '~/modules/learning/progress.server'
import { plainQuery, prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import type { FactsCache } from './cache.server'

export interface CourseFacts {
  enrolled: boolean
  completedAt: Date | null
  /** Current lessons done, in course order (as courseProgress counts them). */
  lessonsDone: string[]
  lessonsTotal: number
}

export interface PersonalFacts {
  userId: string
  fullName: string
  managesPeople: boolean
  admin: boolean
  unread: number
  /** By course slug: only the course asked for. */
  courses: Map<string, CourseFacts>
}

interface Row {
  session_id: string
  secret_hash: Uint8Array
  created_at: Date
  last_active_at: Date
  expires_at: Date
  user_id: string
  full_name: string
  roles: string[] | null
  unread: number
  enrolment_id: string | null
  enrolment_completed_at: Date | null
  renewal: string | null
  lessons_total: number | null
  lessons_done: string[] | null
}

const NOT_ENROLLED: CourseFacts = { enrolled: false, completedAt: null, lessonsDone: [], lessonsTotal: 0 }

/** Where the facts may be kept between pages (app/modules/personal/cache.server.ts), and the request's write stamp. */
export interface FactsCacheUse {
  cache: FactsCache
  stamp: string
  /** Set when the facts (and the overview, if asked) came from the cache. */
  hit?: boolean
}

const storedOf = (row: Row): StoredSession => ({
  id: row.session_id,
  secretHash: row.secret_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastActiveAt: row.last_active_at,
  expiresAt: row.expires_at,
})

/**
 * The person behind a session token, or null (no such session, wrong secret, expired — expired rows
 * are deleted —, or a deactivated person). `courseSlug`: also their progress in that course.
 * `kept`: the row may come from, and goes to, the facts cache (a row whose session needs a write,
 * or a whole-course renewal's progress, is always read again).
 */
export async function personalFacts(token: string, courseSlug: string | null, now = new Date(), kept?: FactsCacheUse): Promise<PersonalFacts | null> {
  const parsed = parseSessionToken(token)
  if (!parsed) return null
  const policy = sessionPolicy(getEnv())
  const key = `facts\n${parsed.id}\n${courseSlug ?? ''}`
  const cachedRow = kept?.cache.get<Row>(key, kept.stamp, now.getTime())
  if (cachedRow) {
    const verdict = storedSessionStillGood(storedOf(cachedRow), parsed.secret, policy, now)
    if (verdict === 'wrong-secret') return null
    if (verdict === 'good') {
      kept!.hit = true
      return factsOf(cachedRow, courseSlug)
    }
  }
  const ticket = kept?.cache.ticket() ?? 0
  // A named statement (parsed and planned once per connection): it runs on every signed-in page.
  const rows = await plainQuery<Row>(prisma(), { text: FACTS_SQL, values: [parsed.id, courseSlug ?? ''] }, { prepare: true })
  const row = rows[0]
  if (!row) return null
  if (!(await acceptStoredSession(prisma(), storedOf(row), parsed.secret, policy, now))) return null
  if (courseSlug && row.enrolment_id && row.enrolment_completed_at && row.renewal === 'COURSE') {
    // A whole-course renewal may be open: lessons then count from the last completion on. Rare;
    // the domain function decides it exactly (and the row is not kept).
    const progress = await courseProgress({ userId: row.user_id, courseSlug })
    const facts = factsOf(row, null)
    facts.courses.set(courseSlug, { enrolled: progress.enrolled, completedAt: progress.completedAt, lessonsDone: progress.lessonsDone, lessonsTotal: progress.lessonsTotal })
    return facts
  }
  // Kept as read: an activity write just made (acceptStoredSession) notifies, which drops it again.
  kept?.cache.set(key, { userId: row.user_id, stamp: kept.stamp, value: row }, ticket, now.getTime())
  return factsOf(row, courseSlug)
}

function factsOf(row: Row, courseSlug: string | null): PersonalFacts {
  const roles = row.roles ?? []
  const courses = new Map<string, CourseFacts>()
  if (courseSlug) {
    if (!row.enrolment_id) courses.set(courseSlug, NOT_ENROLLED)
    else courses.set(courseSlug, { enrolled: true, completedAt: row.enrolment_completed_at, lessonsDone: row.lessons_done ?? [], lessonsTotal: row.lessons_total ?? 0 })
  }
  return {
    userId: row.user_id,
    fullName: row.full_name,
    managesPeople: roles.includes('ADMIN') || roles.includes('AGENCY_MANAGER'),
    admin: roles.includes('ADMIN'),
    unread: row.unread,
    courses,
  }
}

const FACTS_SQL = `SELECT s.id AS session_id, s.secret_hash, s.created_at, s.last_active_at, s.expires_at,
              u.id AS user_id, u.full_name,
              (SELECT array_agg(DISTINCT g.role::text) FROM role_grant g WHERE g.user_id = u.id) AS roles,
              (SELECT count(*)::int FROM notification n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread,
              e.id AS enrolment_id, e.completed_at AS enrolment_completed_at, c.renewal::text AS renewal,
              CASE WHEN e.id IS NULL THEN NULL ELSE (SELECT count(*)::int FROM lesson l WHERE l.course_id = c.id AND l.retired_at IS NULL) END AS lessons_total,
              CASE WHEN e.id IS NULL THEN NULL ELSE ARRAY(
                SELECT l.slug FROM lesson l JOIN lesson_progress lp ON lp.lesson_id = l.id AND lp.enrolment_id = e.id
                WHERE l.course_id = c.id AND l.retired_at IS NULL ORDER BY l.position) END AS lessons_done
       FROM session s
       JOIN app_user u ON u.id = s.user_id AND u.deactivated_at IS NULL
       LEFT JOIN course c ON c.slug = $2
       LEFT JOIN enrolment e ON e.course_id = c.id AND e.user_id = u.id
       WHERE s.id = $1`
