// The forms of periodic reports (docs/decisions/020): open a period, set a training plan, write the
// narrative and submit, approve or return. One Zod schema per form; field messages are keys of
// m.periods.errors.
import { z } from 'zod'
import { AGENCY_TYPES } from '~/modules/agency/types'
import { PERIOD_KINDS } from './types'

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string())
const clean = (s: string) => s.normalize('NFC').replace(/[\p{Cc}\p{Cs}]/gu, (c) => (c === '\n' ? '\n' : ' ')).trim()
const day = text.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dateRequired')).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00+07:00`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'dateRequired')
const uuid = (message: string) => text.pipe(z.string().uuid(message))
const optionalUuid = text.pipe(z.union([z.literal(''), z.string().uuid('agencyRequired')])).transform((v) => (v === '' ? null : v))
const year = text.pipe(z.string().regex(/^\d{4}$/, 'yearRange')).transform(Number).refine((y) => y >= 2000 && y <= 2100, 'yearRange')

export const NARRATIVE_MAX = 4000
export const REASON_MIN = 5
export const REASON_MAX = 1000

export const OpenPeriodSchema = z
  .object(
    {
  kind: text.pipe(z.enum(PERIOD_KINDS, { message: 'kindRequired' })),
  year,
  number: text.pipe(z.string().regex(/^[1-4]$/, 'numberRange')).transform(Number),
  dueOn: day,
      agencyTypes: z.array(z.enum(AGENCY_TYPES, { message: 'typeUnknown' }), { invalid_type_error: 'typeUnknown', required_error: 'typeUnknown' }).max(AGENCY_TYPES.length, 'typeUnknown'),
      subtreeRootId: optionalUuid,
    },
    { invalid_type_error: 'invalid', required_error: 'invalid' },
  )
  .refine((f) => (f.kind === 'QUARTER' ? f.number <= 4 : f.kind === 'HALF_YEAR' ? f.number <= 2 : f.number === 1), { message: 'numberRange', path: ['number'] })
export type OpenPeriodForm = z.infer<typeof OpenPeriodSchema>

export const PlanSchema = z.object({
  agencyId: uuid('agencyRequired'),
  year,
  targetPercent: text.pipe(z.string().regex(/^\d{1,3}$/, 'targetRange')).transform(Number).refine((n) => n >= 1 && n <= 100, 'targetRange'),
  courseIds: z
    .array(z.string({ invalid_type_error: 'courseUnknown' }).uuid('courseUnknown'), { invalid_type_error: 'courseUnknown', required_error: 'courseUnknown' })
    .max(20, 'courseUnknown')
    .transform((ids) => [...new Set(ids)]),
  dueOn: day,
}, { invalid_type_error: 'invalid', required_error: 'invalid' })
export type PlanForm = z.infer<typeof PlanSchema>

export const NarrativeSchema = z.object(
  { narrative: text.transform(clean).pipe(z.string().max(NARRATIVE_MAX, 'narrativeLong')) },
  { invalid_type_error: 'invalid', required_error: 'invalid' },
)

export const SubmitSchema = NarrativeSchema.extend({
  confirm: text.pipe(z.literal('yes', { errorMap: () => ({ message: 'confirmRequired' }) })),
})

export const ReviewSchema = z.discriminatedUnion(
  'intent',
  [
  z.object({ intent: z.literal('approve'), version: text.pipe(z.string().regex(/^\d{1,6}$/, 'invalid')).transform(Number) }),
  z.object({
    intent: z.literal('return'),
    version: text.pipe(z.string().regex(/^\d{1,6}$/, 'invalid')).transform(Number),
    reason: text.transform(clean).pipe(z.string().min(REASON_MIN, 'reasonLength').max(REASON_MAX, 'reasonLength')),
  }),
  ],
  { errorMap: () => ({ message: 'invalid' }) },
)
