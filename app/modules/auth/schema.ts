// One Zod schema per form, shared by the route's action (and, where useful, its component).
// Messages are keys of `auth.errors` in the locales, so the page shows them in the reader's language.
import { z } from 'zod'
import type { Messages } from '~/locales/types'
import { cleanName } from '~/utils/text'
import { parseIdentifier, type Identifier } from './identifier'

export type AuthErrorKey = keyof Messages['auth']['errors']
const key = (k: AuthErrorKey) => k

/** Form fields arrive as strings or not at all; a missing field reads as ''. */
const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string())

export const fullName = text
  .transform(cleanName)
  .pipe(z.string().min(1, key('nameRequired')).max(120, key('nameTooLong')))

export const identifier = text.transform((raw, ctx): Identifier => {
  if (raw.trim() === '') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: key('identifierRequired') })
    return z.NEVER
  }
  const parsed = parseIdentifier(raw)
  if (!parsed) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: key('identifierInvalid') })
    return z.NEVER
  }
  return parsed
})

/** A new password: length only here; the common-password check needs the server's list. */
export const newPassword = text
  .transform((p) => p.normalize('NFC'))
  .pipe(
    z
      .string()
      .min(1, key('passwordRequired'))
      .min(8, key('passwordTooShort'))
      .max(200, key('passwordTooLong'))
      // Nobody types a control character on purpose; a NUL cannot even be stored in PostgreSQL text.
      .refine((p) => !/[\p{Cc}\p{Cs}]/u.test(p), key('passwordControlChars')),
  )

// A password already stored never holds a control character (newPassword refuses them), so one in a
// sign-in is a typing slip or an attack; refusing it here also keeps a NUL away from every query.
const existingPassword = text.pipe(
  z
    .string()
    .min(1, key('passwordRequired'))
    .max(200, key('passwordTooLong'))
    .refine((p) => !/[\p{Cc}\p{Cs}]/u.test(p), key('passwordControlChars')),
)

const jobTitle = text
  .transform(cleanName)
  .pipe(z.string().max(120, key('jobTitleTooLong')))
  .transform((s) => (s === '' ? null : s))

export const SIGNUP_KINDS = ['CIVIL_SERVANT', 'TEACHER', 'CITIZEN'] as const

export const SignupSchema = z
  .object({
    fullName,
    identifier,
    password: newPassword,
    passwordConfirm: text,
    kind: z.enum(SIGNUP_KINDS, { errorMap: () => ({ message: key('kindRequired') }) }),
    agencyId: text.transform((s) => (s === '' ? null : s)),
    jobTitle,
    staffCode: text
      .transform((s) => s.trim())
      .pipe(z.string().max(50, key('staffCodeTooLong')))
      .transform((s) => (s === '' ? null : s)),
  })
  .superRefine((form, ctx) => {
    if (form.password !== form.passwordConfirm.normalize('NFC'))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['passwordConfirm'], message: key('passwordMismatch') })
    if (form.kind !== 'CITIZEN' && !form.agencyId)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['agencyId'], message: key('agencyRequired') })
    if (form.agencyId && !/^[0-9a-f-]{36}$/.test(form.agencyId))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['agencyId'], message: key('agencyUnknown') })
  })
export type SignupInput = z.infer<typeof SignupSchema>

export const LoginSchema = z.object({ identifier, password: existingPassword })

export const ChangePasswordSchema = z
  .object({ currentPassword: existingPassword, password: newPassword, passwordConfirm: text })
  .superRefine((form, ctx) => {
    if (form.password !== form.passwordConfirm.normalize('NFC'))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['passwordConfirm'], message: key('passwordMismatch') })
  })

export const ResetPasswordSchema = z
  .object({ password: newPassword, passwordConfirm: text })
  .superRefine((form, ctx) => {
    if (form.password !== form.passwordConfirm.normalize('NFC'))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['passwordConfirm'], message: key('passwordMismatch') })
  })

export const ProfileSchema = z.object({ fullName, jobTitle })

/** What people type in a search box (agencies at sign-up, people in the admin pages). */
export const SearchQuerySchema = text
  // Control characters never belong in a search (a NUL would even make PostgreSQL refuse the query).
  .transform((s) => s.normalize('NFC').replace(/[\p{Cc}\p{Cs}]/gu, '').trim())
  .pipe(z.string().max(100, key('searchTooLong')))

export type FieldErrors = Partial<Record<string, AuthErrorKey[]>>

/** The admin page for one person: a multi-button form, told apart by `intent`. */
export const UserAdminActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('grant'),
      role: z.enum(['TEACHER', 'AGENCY_MANAGER', 'ADMIN'], { errorMap: () => ({ message: key('roleInvalid') }) }),
      agencyId: text.transform((s) => (s === '' ? null : s)),
    }),
    z.object({ intent: z.literal('revoke'), grantId: text.pipe(z.string().uuid(key('roleInvalid'))) }),
    z.object({ intent: z.literal('reset') }),
    z.object({ intent: z.literal('deactivate') }),
    z.object({ intent: z.literal('reactivate') }),
    z.object({
      intent: z.literal('identityLink'),
      subject: text.transform((s) => s.trim()).pipe(z.string().min(1, key('identitySubjectRequired')).max(255, key('identitySubjectRequired'))),
    }),
    z.object({
      intent: z.literal('identityUnlink'),
      identityId: text.pipe(z.string().uuid(key('identityUnknown'))),
      // A plain form cannot ask "are you sure?" by itself: the box must be ticked.
      confirm: z.preprocess((v) => v ?? '', z.literal('yes', { errorMap: () => ({ message: key('unlinkConfirmRequired') }) })),
    }),
    z.object({
      intent: z.literal('link'),
      proposalId: text.pipe(z.string().uuid(key('linkInvalid'))),
      decision: z.enum(['confirm', 'decline'], { errorMap: () => ({ message: key('linkInvalid') }) }),
    }),
  ],
  // An unknown intent is as bad as an unknown role: one typed message.
  { errorMap: () => ({ message: key('roleInvalid') }) },
)

/** A person's answer to a proposed staff record link, on /account. */
export const LinkDecisionSchema = z.object({
  intent: z.literal('link', { errorMap: () => ({ message: key('linkInvalid') }) }),
  proposalId: text.pipe(z.string().uuid(key('linkInvalid'))),
  decision: z.enum(['confirm', 'decline'], { errorMap: () => ({ message: key('linkInvalid') }) }),
})
