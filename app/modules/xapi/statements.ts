// xAPI 1.0.3 statements of Bản Số's learning events (docs/decisions/026), built from the event a
// job carries: pure and deterministic, so every retry of a job sends the very same statement (same
// id, same content), which an LRS stores once.
import { z } from 'zod'

export const XAPI_VERSION = '1.0.3'

/** ADL verbs, and the xAPI registry's "earned" for a certificate (ADL's vocabulary has no such verb). */
export const VERBS = {
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed', 'vi-VN': 'đã hoàn thành' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed', 'vi-VN': 'đã đạt' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed', 'vi-VN': 'chưa đạt' } },
  earned: { id: 'http://id.tincanapi.com/verb/earned', display: { 'en-US': 'earned', 'vi-VN': 'đã được cấp' } },
} as const

export const ACTIVITY_TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
} as const

/** Our extensions, IRIs under the site's own origin (the one namespace this deployment controls). */
export function extensions(origin: string) {
  return {
    certificateNumber: `${origin}/xapi/extensions/certificate-number`,
    certificateExpires: `${origin}/xapi/extensions/certificate-expires`,
    attemptNumber: `${origin}/xapi/extensions/attempt-number`,
  }
}

const slug = z.string().min(1).max(200)
const named = z.object({ slug, title: z.string().min(1).max(500) })
const iso = z.string().datetime({ offset: true })

/** What a job carries: the event as it was when it happened, and the statement's id. */
export const XapiEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lesson.completed'), userId: z.string().uuid(), course: named, lesson: named, at: iso }),
  z.object({
    kind: z.literal('quiz.graded'),
    userId: z.string().uuid(),
    course: named,
    attemptNumber: z.number().int().min(1),
    scorePercent: z.number().min(0).max(100),
    passMark: z.number().min(0).max(100),
    passed: z.boolean(),
    at: iso,
  }),
  z.object({ kind: z.literal('certificate.issued'), userId: z.string().uuid(), course: named, number: z.string().min(1).max(100), expiresAt: iso.nullable(), at: iso }),
])
export type XapiEvent = z.infer<typeof XapiEvent>

export const XapiPayload = z.object({ statementId: z.string().uuid(), event: XapiEvent })
export type XapiPayload = z.infer<typeof XapiPayload>

const name = (text: string) => ({ 'vi-VN': text.normalize('NFC') })

function activity(id: string, type: string | null, title: string) {
  return { objectType: 'Activity' as const, id, definition: { name: name(title), ...(type ? { type } : {}) } }
}

/** scorePercent → score.scaled in [0, 1], at most 4 decimals (what the quiz stores). */
function scaled(percent: number): number {
  return Math.round(percent * 100) / 10_000
}

/**
 * The statement of an event. The actor is the account (homePage = the public origin, name = the
 * user's id): no name or email leaves the app. Activity ids are the pages' addresses.
 */
export function buildStatement({ statementId, event }: XapiPayload, origin: string) {
  const EXTENSIONS = extensions(origin)
  const courseUrl = `${origin}/courses/${event.course.slug}`
  const course = activity(courseUrl, ACTIVITY_TYPES.course, event.course.title)
  const base = {
    id: statementId,
    actor: { objectType: 'Agent' as const, account: { homePage: origin, name: event.userId } },
    timestamp: new Date(event.at).toISOString(),
    version: XAPI_VERSION,
  }
  const context = (parent: boolean, extensions?: Record<string, unknown>) => ({
    platform: 'Bản Số',
    language: 'vi-VN',
    ...(parent ? { contextActivities: { parent: [course] } } : {}),
    ...(extensions ? { extensions } : {}),
  })
  switch (event.kind) {
    case 'lesson.completed':
      return {
        ...base,
        verb: VERBS.completed,
        object: activity(`${courseUrl}/${event.lesson.slug}`, ACTIVITY_TYPES.lesson, event.lesson.title),
        result: { completion: true },
        context: context(true),
      }
    case 'quiz.graded':
      return {
        ...base,
        verb: event.passed ? VERBS.passed : VERBS.failed,
        object: activity(`${courseUrl}/quiz`, ACTIVITY_TYPES.assessment, `Bài kiểm tra cuối khoá: ${event.course.title}`),
        result: { score: { scaled: scaled(event.scorePercent), raw: event.scorePercent, min: 0, max: 100 }, success: event.passed, completion: true },
        context: context(true, { [EXTENSIONS.attemptNumber]: event.attemptNumber }),
      }
    case 'certificate.issued':
      return {
        ...base,
        verb: VERBS.earned,
        object: activity(`${courseUrl}/certificate`, null, `Chứng chỉ: ${event.course.title}`),
        result: { success: true, completion: true },
        context: context(true, { [EXTENSIONS.certificateNumber]: event.number, ...(event.expiresAt ? { [EXTENSIONS.certificateExpires]: new Date(event.expiresAt).toISOString() } : {}) }),
      }
  }
}
export type Statement = ReturnType<typeof buildStatement>
