// The forms of in-person training (issue 19, docs/decisions/023): a session, and a citizen
// attendee without an account. Field messages are keys of m.training.errors.
import { z } from 'zod'

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string())
/** NFC, control characters refused by turning them into spaces, inner spaces collapsed. */
const clean = (s: string) => s.normalize('NFC').replace(/[\p{Cc}\p{Cs}]/gu, ' ').replace(/\s+/g, ' ').trim()
const line = (max: number, message: string) => text.transform(clean).pipe(z.string().max(max, message))
const required = (max: number, message: string) => line(max, message).pipe(z.string().min(1, message))
const day = text.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dateRequired')).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'dateRequired')
const optional = (max: number, message: string) => line(max, message).transform((v) => (v === '' ? null : v))
/** A whole number in [min, max] typed in a field, or null when left empty. */
const score = (min: number, max: number, message: string) =>
  text.transform((v) => v.trim()).pipe(z.string().regex(/^(\d{1,4})?$/, message)).transform((v) => (v === '' ? null : Number(v))).refine((n) => n === null || (n >= min && n <= max), message)
/** Lessons of the catalogue as course/lesson slugs (the checkboxes of the session form). */
const lessons = z.preprocess(
  (v) => (v === undefined ? [] : [v].flat()),
  z.array(z.string({ invalid_type_error: 'lessonUnknown', required_error: 'lessonUnknown' }).regex(/^[a-z0-9-]{1,100}\/[a-z0-9-]{1,100}$/, 'lessonUnknown'), { invalid_type_error: 'lessonUnknown' }).max(100, 'lessonUnknown'),
)

export const SessionSchema = z
  .object(
    {
      agencyId: text.pipe(z.string().uuid('agencyRequired')),
      startsOn: day,
      endsOn: day,
      commune: required(200, 'communeRequired'),
      village: line(200, 'villageTooLong'),
      trainers: line(500, 'trainersTooLong'),
      courseSlug: optional(200, 'topicRequired'),
      // Free text; may stay empty when a course of the catalogue is chosen (its title is used).
      topic: line(300, 'topicRequired'),
      minutes: text.pipe(z.string().regex(/^\d{1,5}$/, 'minutesRange')).transform(Number).refine((n) => n >= 1 && n <= 100000, 'minutesRange'),
      /** Chosen lessons (course/lesson); they must all be of the chosen course, which they imply when none is chosen. */
      lessons,
      /** The optional end-of-session check: the highest score and the pass score, both or neither. */
      checkMaxScore: score(1, 1000, 'checkMaxRange'),
      checkPassScore: score(0, 1000, 'checkPassRange'),
    },
    { invalid_type_error: 'invalid', required_error: 'invalid' },
  )
  .refine((f) => f.endsOn >= f.startsOn, { message: 'datesOrder', path: ['endsOn'] })
  .refine((f) => f.topic !== '' || f.courseSlug !== null || f.lessons.length > 0, { message: 'topicRequired', path: ['topic'] })
  .refine((f) => new Set(f.lessons.map((l) => l.split('/')[0])).size <= 1, { message: 'lessonsOneCourse', path: ['lessons'] })
  .refine((f) => f.courseSlug === null || f.lessons.every((l) => l.startsWith(`${f.courseSlug}/`)), { message: 'lessonsOneCourse', path: ['lessons'] })
  .refine((f) => (f.checkMaxScore === null) === (f.checkPassScore === null), { message: 'checkBoth', path: ['checkPassScore'] })
  .refine((f) => f.checkMaxScore === null || f.checkPassScore === null || f.checkPassScore <= f.checkMaxScore, { message: 'checkPassRange', path: ['checkPassScore'] })
export type SessionForm = z.infer<typeof SessionSchema>

export const CitizenSchema = z.object(
  {
    fullName: required(200, 'nameRequired'),
    birthYear: text.pipe(z.string().regex(/^\d{4}$/, 'birthYearRange')).transform(Number).refine((y) => y >= 1900 && y <= 2100, 'birthYearRange'),
    village: required(200, 'villageRequired'),
    phone: optional(20, 'phoneInvalid').refine((p) => p === null || /^\+?[0-9 .-]{6,20}$/.test(p), 'phoneInvalid'),
    gender: optional(40, 'genderTooLong'),
    ethnicity: optional(60, 'ethnicityTooLong'),
  },
  { invalid_type_error: 'invalid', required_error: 'invalid' },
)
export type CitizenForm = z.infer<typeof CitizenSchema>

const id = text.pipe(z.string().uuid('invalid'))

/** The forms of a session's page, one per intent (the route picks the schema by the intent). */
export const AddStaffSchema = z.object({ staffRecordId: id }, { invalid_type_error: 'invalid', required_error: 'invalid' })
export const AddAccountSchema = z.object({ userId: id }, { invalid_type_error: 'invalid', required_error: 'invalid' })
export const RemoveAttendeeSchema = z.object(
  { attendeeId: id, confirm: text.pipe(z.literal('yes', { errorMap: () => ({ message: 'confirmRemove' }) })) },
  { invalid_type_error: 'invalid', required_error: 'invalid' },
)
/** The end-of-session check set (or changed) on the session page: both scores, or both empty to remove it. */
export const CheckSettingsSchema = z
  .object({ checkMaxScore: score(1, 1000, 'checkMaxRange'), checkPassScore: score(0, 1000, 'checkPassRange') }, { invalid_type_error: 'invalid', required_error: 'invalid' })
  .refine((f) => (f.checkMaxScore === null) === (f.checkPassScore === null), { message: 'checkBoth', path: ['checkPassScore'] })
  .refine((f) => f.checkMaxScore === null || f.checkPassScore === null || f.checkPassScore <= f.checkMaxScore, { message: 'checkPassRange', path: ['checkPassScore'] })
export type CheckSettings = z.infer<typeof CheckSettingsSchema>

/**
 * The scores of the end-of-session check, one field per attendee (`score-<attendee id>`): a whole
 * number, or empty for "not recorded". Checked against the session's highest score by the service.
 */
export const ScoresSchema = z
  .record(z.string(), z.unknown(), { invalid_type_error: 'invalid', required_error: 'invalid' })
  .transform((fields, ctx) => {
    const scores: { attendeeId: string; score: number | null }[] = []
    for (const [name, value] of Object.entries(fields)) {
      const id = /^score-([0-9a-f-]{36})$/i.exec(name)?.[1]
      if (!id) continue
      const v = typeof value === 'string' ? value.trim() : ''
      if (v !== '' && !/^\d{1,4}$/.test(v)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'scoreRange', path: [name] })
      else scores.push({ attendeeId: id.toLowerCase(), score: v === '' ? null : Number(v) })
    }
    if (scores.length > 2000) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'invalid', path: [] })
    return scores
  })
export type ScoresForm = z.infer<typeof ScoresSchema>

export const ATTENDANCE_INTENTS = ['add-staff', 'add-account', 'add-citizen', 'remove', 'set-check', 'record-scores'] as const
export type AttendanceIntent = (typeof ATTENDANCE_INTENTS)[number]

/** The import page's form: confirm the preview, or cancel it. */
export const ImportDecisionSchema = z.object(
  { intent: text.pipe(z.enum(['confirm', 'cancel'], { errorMap: () => ({ message: 'invalid' }) })) },
  { invalid_type_error: 'invalid', required_error: 'invalid' },
)
