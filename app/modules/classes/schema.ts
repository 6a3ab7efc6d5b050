// The forms of classes: one Zod schema each, shared by the page and its action. Messages are keys
// into m.classes.errors, so the page shows them in the reader's language.
import { z } from 'zod'
import { cleanName } from '~/utils/text'

/** Join codes avoid letters and digits that read alike on a projector or a printed sheet (0/O, 1/I). */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const JOIN_CODE_LENGTH = 6

/** "abc-123", " ABC 123 " → "ABC123": how people type a code they read. */
export function normaliseJoinCode(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '')
}

/** Could this be a join code at all? Anything else (a NUL, letters of another script) is never looked up. */
export function looksLikeJoinCode(normalised: string): boolean {
  return /^[A-Z0-9]{1,12}$/.test(normalised)
}

export type ClassErrorKey =
  | 'nameRequired'
  | 'nameTooLong'
  | 'schoolRequired'
  | 'schoolUnknown'
  | 'codeRequired'
  | 'codeUnknown'
  | 'studentNameRequired'
  | 'studentNameTooLong'
  | 'studentNameTaken'
  | 'pinFormat'
  | 'pinTooSimple'
  | 'pinMismatch'
  | 'pinInvalid'
  | 'throttled'
  | 'courseUnknown'
  | 'lessonUnknown'
  | 'dueInvalid'
  | 'alreadyAssigned'
  | 'notTeacher'
  | 'classArchived'

const name = (required: ClassErrorKey, tooLong: ClassErrorKey, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? cleanName(v) : ''), z.string().min(1, required).max(max, tooLong))

export const CreateClassSchema = z.object({
  name: name('nameRequired', 'nameTooLong', 80),
  schoolId: z.string({ required_error: 'schoolRequired', invalid_type_error: 'schoolRequired' }).uuid('schoolRequired'),
})

// Every field says what is wrong in the reader's language, even when it is missing or not text.
const text = (message: ClassErrorKey) => z.string({ required_error: message, invalid_type_error: message })
const pin = text('pinFormat').regex(/^\d{6}$/, 'pinFormat')
const code = z.preprocess(
  (v) => (typeof v === 'string' ? normaliseJoinCode(v) : ''),
  z.string().min(1, 'codeRequired').refine(looksLikeJoinCode, 'codeUnknown'),
)
const studentName = name('studentNameRequired', 'studentNameTooLong', 80)

/** A PIN anyone would try first: one digit six times, or a run up or down. */
export function isTooSimplePin(value: string): boolean {
  if (/^(\d)\1{5}$/.test(value)) return true
  const digits = [...value].map(Number)
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10))
  return steps.size === 1 && (steps.has(1) || steps.has(9))
}

export const JoinWithPinSchema = z
  .object({ code, fullName: studentName, pin, pinAgain: text('pinMismatch') })
  .superRefine((v, ctx) => {
    if (isTooSimplePin(v.pin)) ctx.addIssue({ code: 'custom', path: ['pin'], message: 'pinTooSimple' })
    if (v.pin !== v.pinAgain) ctx.addIssue({ code: 'custom', path: ['pinAgain'], message: 'pinMismatch' })
  })

export const PinSignInSchema = z.object({ code, fullName: studentName, pin: text('pinInvalid').regex(/^\d{1,12}$/, 'pinInvalid') })

export const JoinWithAccountSchema = z.object({ code })

export const AssignSchema = z.object({
  /** "course-slug" or "course-slug/lesson-slug". */
  target: text('courseUnknown')
    .max(200, 'courseUnknown')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)?$/, 'courseUnknown'),
  due: text('dueInvalid')
    .optional()
    .transform((v) => (v ? v.trim() : ''))
    .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'dueInvalid'),
})

export type FieldErrors = Partial<Record<string, ClassErrorKey>>
