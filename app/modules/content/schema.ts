// The content format, as Zod schemas: course and lesson frontmatter, topics, question banks and the
// final quiz. Every message is plain Vietnamese for the teachers who write the files
// (content/README.md documents the format with examples).
import { z } from 'zod'
import { AUDIENCES, LEVELS, LICENCES, type LicenceId } from './constants'

/** Zod's messages in plain Vietnamese, for authors reading `npm run content:check`. */
export const vietnameseErrorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return { message: 'bắt buộc phải có' }
      return { message: `phải là ${typeName(issue.expected)}, không phải ${typeName(issue.received)}` }
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') return { message: `quá ngắn: cần ít nhất ${issue.minimum} ký tự` }
      if (issue.type === 'array') return { message: `cần ít nhất ${issue.minimum} mục` }
      return { message: `phải ${issue.inclusive ? 'từ' : 'lớn hơn'} ${issue.minimum} trở lên` }
    case z.ZodIssueCode.too_big:
      if (issue.type === 'string') return { message: `quá dài: tối đa ${issue.maximum} ký tự` }
      if (issue.type === 'array') return { message: `tối đa ${issue.maximum} mục` }
      return { message: `không được lớn hơn ${issue.maximum}` }
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `"${String(issue.received)}" không hợp lệ; chọn một trong: ${issue.options.join(', ')}` }
    case z.ZodIssueCode.unrecognized_keys:
      return { message: `trường không được biết: ${issue.keys.join(', ')} (viết sai tên trường?)` }
    case z.ZodIssueCode.invalid_union_discriminator:
      return { message: `phải là một trong: ${issue.options.map(String).join(', ')}` }
    default:
      return { message: ctx.defaultError }
  }
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    string: 'chữ',
    number: 'số',
    integer: 'số nguyên',
    float: 'số thập phân',
    boolean: 'true hoặc false',
    array: 'danh sách',
    object: 'một nhóm trường',
    null: 'rỗng',
  }
  return names[type] ?? type
}

// ─── Building blocks ───

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const slug = z.string().regex(SLUG_PATTERN, { message: 'chỉ gồm chữ thường không dấu, số và dấu gạch ngang (vd. mat-khau-manh)' })

/** A code of a skills standard, e.g. IU01 or IU01.4 (Thông tư 03/2014/TT-BTTTT). */
export const STANDARD_CODE = /^[A-Z][A-Z0-9]*\d(?:\.\d+)*$/
const standardCode = z.string().regex(STANDARD_CODE, { message: 'mã chuẩn phải viết hoa, như IU01 hoặc IU01.4' })
const standards = z.array(standardCode).default([])

/** A text for people: trimmed, NFC (so search and comparison behave), not empty. */
const text = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(min).max(max))

/** "none" (or an empty value) where a number of months would go: the certificate does not expire. */
const monthsOrNone = z.preprocess(
  (v) => (v === 'none' || v === null ? null : v),
  z.number().int().min(1).max(120).nullable(),
)

// ─── course.mdx and <nn>-<slug>/index.mdx ───

export const CourseFrontmatter = z
  .object({
    title: text(3, 120),
    summary: text(10, 400),
    audience: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.enum(AUDIENCES)).min(1)),
    topic: slug,
    level: z.enum(LEVELS),
    estimatedHours: z.number().positive().max(999),
    standards,
    passMark: z.number().int().min(1).max(100),
    validityMonths: monthsOrNone,
    /** Renewing a certificate: the final quiz again (quiz) or the whole course (course). */
    renewal: z.enum(['quiz', 'course']).default('quiz'),
    licence: z.enum(Object.keys(LICENCES) as [LicenceId, ...LicenceId[]]).default('CC-BY-4.0'),
    authors: z.array(text(2, 120)).min(1),
    version: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : v),
      z.string().regex(/^\d+(?:\.\d+){0,2}$/, { message: 'phải là số phiên bản như 1.0 hoặc 1.2.0' }),
    ),
  })
  .strict()
export type CourseFrontmatter = z.infer<typeof CourseFrontmatter>

export const LessonFrontmatter = z
  .object({
    title: text(3, 120),
    summary: text(10, 400),
    minutes: z.number().int().min(1).max(600),
    standards,
  })
  .strict()
export type LessonFrontmatter = z.infer<typeof LessonFrontmatter>

// ─── content/topics.yaml ───

export const Topics = z
  .array(z.object({ id: slug, vi: text(2, 80), en: text(2, 80) }).strict())
  .min(1)
export type Topic = z.infer<typeof Topics>[number]

// ─── questions/*.yaml: the question bank of a course ───

const questionBase = {
  id: slug,
  /** The lesson (its slug, without the number) the question belongs to. */
  lesson: slug.optional(),
  standards,
  prompt: text(3, 1000),
  /** Shown after an answer, right or wrong: why the answer is what it is. */
  explanation: text(3, 2000),
  points: z.number().positive().max(100).default(1),
}

const option = z.object({ id: slug.optional(), text: text(1, 500), correct: z.boolean().default(false) }).strict()
const scoring = z.enum(['all-or-nothing', 'partial']).default('all-or-nothing')

export const Question = z.discriminatedUnion('type', [
  z.object({ ...questionBase, type: z.literal('single'), options: z.array(option).min(2).max(10) }).strict(),
  z.object({ ...questionBase, type: z.literal('multiple'), options: z.array(option).min(2).max(10), scoring }).strict(),
  z.object({ ...questionBase, type: z.literal('true-false'), answer: z.boolean() }).strict(),
  z
    .object({
      ...questionBase,
      type: z.literal('short-text'),
      accept: z.array(text(1, 200)).min(1),
      /** Also accept the answer typed without diacritics ("mat khau" for "mật khẩu"). */
      ignoreAccents: z.boolean().default(false),
      /**
       * A spreadsheet formula or function name: the leading "=" is optional, spaces and case do not
       * matter, ";" is the same as "," (regional settings), and a bare function name in accept also
       * takes that function written with any arguments ("AVERAGE" takes "=AVERAGE(D2:D6)").
       */
      formula: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...questionBase,
      type: z.literal('numeric'),
      answer: z.number(),
      tolerance: z.number().min(0).default(0),
      unit: text(1, 20).optional(),
      /**
       * Other units the answer may be given in, and what one of them is worth in `unit` ("đồng" in
       * a question asked in "nghìn đồng": factor 0.001). A number typed without a unit is right
       * when it is right in `unit` or in one of these (2.700 or 2.700.000 for 2.700 nghìn đồng).
       */
      alsoAccept: z.array(z.object({ unit: text(1, 20), factor: z.number().positive().default(1) }).strict()).max(10).default([]),
    })
    .strict(),
  z
    .object({
      ...questionBase,
      type: z.literal('numeric-drawn'),
      /** Named numbers drawn for each attempt: from min to max in steps of step. */
      variables: z
        .record(
          z.string().regex(/^[a-z][a-zA-Z0-9]*$/, { message: 'tên biến chỉ gồm chữ cái không dấu và số, bắt đầu bằng chữ thường (vd. thu, giaBan)' }),
          z.object({ min: z.number(), max: z.number(), step: z.number().positive().default(1) }).strict(),
        )
        .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 10, { message: 'cần từ 1 đến 10 biến' }),
      /** The answer as a formula of the variables: + − * / ( ), round(x), round(x, n), min, max, abs. */
      answer: text(1, 300),
      tolerance: z.number().min(0).default(0),
      unit: text(1, 20).optional(),
      alsoAccept: z.array(z.object({ unit: text(1, 20), factor: z.number().positive().default(1) }).strict()).max(10).default([]),
    })
    .strict(),
  z
    .object({
      ...questionBase,
      type: z.literal('matching'),
      pairs: z.array(z.object({ left: text(1, 200), right: text(1, 200) }).strict()).min(2).max(10),
      scoring,
    })
    .strict(),
])
export type QuestionInput = z.infer<typeof Question>
export const QUESTION_TYPES = ['single', 'multiple', 'true-false', 'short-text', 'numeric', 'numeric-drawn', 'matching'] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]

export const QuestionFile = z.array(z.unknown()).min(1)

// ─── final-quiz.yaml ───

const drawRule = z
  .object({
    standard: standardCode.optional(),
    lesson: slug.optional(),
    questions: z.array(slug).min(1).optional(),
    count: z.number().int().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const selectors = [rule.standard, rule.lesson, rule.questions].filter((s) => s !== undefined).length
    if (selectors !== 1) {
      ctx.addIssue({ code: 'custom', message: 'mỗi quy tắc chọn câu hỏi cần đúng một trong: standard, lesson, questions' })
    }
    if (rule.questions === undefined && rule.count === undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'bắt buộc phải có: cần rút bao nhiêu câu' })
    }
    if (rule.questions !== undefined && rule.count !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'không dùng count với questions (mọi câu trong danh sách đều được dùng)' })
    }
  })

/**
 * What the review of a submitted attempt shows. `verdicts-until-done` (the default): which answers
 * were wrong, but not the right answers nor the explanations, until the learner passes or has no
 * attempt left (docs/decisions/024). The others show everything or nothing, as named.
 */
export const SHOW_ANSWERS = ['verdicts-until-done', 'after-each-attempt', 'after-passing', 'after-last-attempt', 'never'] as const

export const FinalQuiz = z
  .object({
    draw: z.array(drawRule).min(1),
    /** Defaults to the course's pass mark; when both are given they must agree. */
    passMark: z.number().int().min(1).max(100).optional(),
    timeLimitMinutes: monthsOrNoneLike(600),
    attemptsAllowed: monthsOrNoneLike(100, 'unlimited'),
    showAnswers: z.enum(SHOW_ANSWERS).default('verdicts-until-done'),
    shuffle: z.boolean().default(true),
  })
  .strict()
export type FinalQuiz = z.infer<typeof FinalQuiz>

function monthsOrNoneLike(max: number, word = 'none') {
  return z.preprocess(
    (v) => (v === word || v === 'none' || v === null || v === undefined ? null : v),
    z.number().int().min(1).max(max).nullable(),
  )
}

/** Message keys of the reload form (app/locales/vi/content.ts, reload.errors). */
export type ReloadErrorKey = 'intentInvalid' | 'confirmRequired' | 'previewRequired'
const reloadMessage = (message: ReloadErrorKey) => ({ errorMap: () => ({ message }) })

/**
 * The admin page's content reload form (app/routes/admin.content.tsx): "preview" shows what would
 * change; "apply" needs the confirmation and the hash of the tree that was previewed.
 */
export const ReloadForm = z
  .object(
    {
      intent: z.enum(['preview', 'apply'], reloadMessage('intentInvalid')),
      confirm: z.literal('yes', reloadMessage('confirmRequired')).optional(),
      hash: z.string(reloadMessage('previewRequired')).regex(/^[0-9a-f]{32}$/, { message: 'previewRequired' }).optional(),
    },
    reloadMessage('intentInvalid'),
  )
  .superRefine((form, ctx) => {
    if (form.intent !== 'apply') return
    if (!form.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'confirmRequired' })
    if (!form.hash) ctx.addIssue({ code: 'custom', path: ['hash'], message: 'previewRequired' })
  })
