// The final quiz of a course: an attempt is drawn from the question bank when it starts (stored,
// never redrawn), answered in one plain form post, and graded here on the server with the same
// checkAnswer as the lessons' check-yourself. Nothing sent to the page before submission holds an
// answer: the page gets PublicQuestions only. Submitting is idempotent: the attempt turns from
// OPEN to SUBMITTED with one conditional UPDATE, so a double click, a resent form or two tabs
// grade it once.
import { randomInt } from 'node:crypto'
import type { PrismaClient } from '@prisma/client'
import { BadAnswer, checkAnswer, publicQuestion, type Question } from '~/modules/content/questions.server'
import type { FinalQuiz } from '~/modules/content/schema'
import type { PublicQuestion, Verdict } from '~/modules/content/types'
import { prisma } from '~/utils/db.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { renewalOpen } from '~/modules/certificate/service.server'
import { completeIfDue } from '~/modules/learning/completion.server'
import { publishedCourse } from '~/modules/learning/content.server'
import { enrol, findEnrolment } from '~/modules/learning/progress.server'

/**
 * A post that arrives this long after the deadline is still accepted: a slow mobile link can take
 * that long to send a form the learner submitted in time. Later, the answers are not graded.
 */
export const DEADLINE_GRACE_MS = 60_000

/** Share of a question's points a verdict earns: partial credit (multiple choice or matching scored "partial") is half. */
const SHARE: Record<Verdict, number> = { correct: 1, partial: 0.5, incorrect: 0 }

interface DrawnQuestion {
  id: string
  /** single, multiple: the option ids in the order shown. */
  options?: string[]
}
interface Draw {
  questions: DrawnQuestion[]
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Draws the questions of a new attempt by the quiz's rules; a question is never drawn twice. */
export function drawQuestions(quiz: FinalQuiz, bank: Map<string, Question>): Draw {
  const picked: Question[] = []
  const taken = new Set<string>()
  const take = (q: Question) => {
    taken.add(q.id)
    picked.push(q)
  }
  for (const rule of quiz.draw) {
    if (rule.questions) {
      for (const id of rule.questions) if (!taken.has(id) && bank.has(id)) take(bank.get(id)!)
      continue
    }
    const pool = [...bank.values()].filter((q) => !taken.has(q.id) && (rule.standard ? q.standards.includes(rule.standard) : q.lesson === rule.lesson))
    shuffled(pool)
      .slice(0, rule.count ?? 0)
      .forEach(take)
  }
  const ordered = quiz.shuffle ? shuffled(picked) : picked
  return {
    questions: ordered.map((q) =>
      q.type === 'single' || q.type === 'multiple' ? { id: q.id, options: quiz.shuffle ? shuffled(q.options.map((o) => o.id!)) : q.options.map((o) => o.id!) } : { id: q.id },
    ),
  }
}

/** The question as the attempt shows it: no answer, options in the drawn order. */
function shownQuestion(q: Question, drawn: DrawnQuestion): PublicQuestion {
  const pub = publicQuestion(q)
  if (pub.options && drawn.options) {
    const byId = new Map(pub.options.map((o) => [o.id, o]))
    pub.options = drawn.options.map((id) => byId.get(id)).filter((o): o is { id: string; text: string } => o !== undefined)
  }
  return pub
}

async function quizOf(courseSlug: string) {
  const course = await publishedCourse(courseSlug)
  const quiz = course.source.finalQuiz
  if (!quiz) throw new AppError('NOT_FOUND', `Khoá học "${courseSlug}" không có bài kiểm tra cuối khoá.`)
  return { course, quiz, passMark: quiz.passMark ?? course.detail.passMark }
}

export interface AttemptSummary {
  id: string
  number: number
  status: 'OPEN' | 'SUBMITTED'
  startedAt: Date
  deadlineAt: Date | null
  submittedAt: Date | null
  scorePercent: number | null
  passed: boolean | null
}

export interface QuizOverview {
  passMark: number
  questionCount: number
  timeLimitMinutes: number | null
  attemptsAllowed: number | null
  attempts: AttemptSummary[]
  /** null when unlimited. */
  attemptsLeft: number | null
  openAttemptId: string | null
  passed: boolean
}

function summary(a: { id: string; number: number; status: 'OPEN' | 'SUBMITTED'; startedAt: Date; deadlineAt: Date | null; submittedAt: Date | null; scorePercent: unknown; passed: boolean | null }): AttemptSummary {
  return { id: a.id, number: a.number, status: a.status, startedAt: a.startedAt, deadlineAt: a.deadlineAt, submittedAt: a.submittedAt, scorePercent: a.scorePercent === null ? null : Number(a.scorePercent), passed: a.passed }
}

const expired = (a: { status: string; deadlineAt: Date | null }, now: Date) => a.status === 'OPEN' && a.deadlineAt !== null && now.getTime() > a.deadlineAt.getTime() + DEADLINE_GRACE_MS

/** The quiz page of a course for one person: rules, their attempts, what they can do next. */
export async function quizOverview({ userId, courseSlug, now = new Date() }: { userId: string; courseSlug: string; now?: Date }, db: PrismaClient = prisma()): Promise<QuizOverview> {
  const { quiz, passMark } = await quizOf(courseSlug)
  const enrolment = await findEnrolment({ userId, courseSlug }, db)
  if (enrolment) await closeExpired(db, enrolment.id, now)
  const attempts = enrolment ? (await db.quizAttempt.findMany({ where: { enrolmentId: enrolment.id }, orderBy: { number: 'asc' } })).map(summary) : []
  let used = attempts.length
  // In a renewal, only the attempts since the last completion count (as startAttempt counts them).
  if (enrolment && (await renewalOpen(db, { userId, courseId: enrolment.courseId, now }))) {
    const last = await db.courseCompletion.findFirst({ where: { enrolmentId: enrolment.id }, orderBy: { completedAt: 'desc' }, select: { completedAt: true } })
    if (last) used = attempts.filter((a) => a.startedAt.getTime() > last.completedAt.getTime()).length
  }
  const allowed = quiz.attemptsAllowed ?? null
  const questionCount = quiz.draw.reduce((n, r) => n + (r.questions ? r.questions.length : (r.count ?? 0)), 0)
  return {
    passMark,
    questionCount,
    timeLimitMinutes: quiz.timeLimitMinutes ?? null,
    attemptsAllowed: allowed,
    attempts,
    attemptsLeft: allowed === null ? null : Math.max(0, allowed - used),
    openAttemptId: attempts.find((a) => a.status === 'OPEN')?.id ?? null,
    passed: attempts.some((a) => a.passed),
  }
}

/**
 * Starts an attempt, or returns the open one (starting twice — two tabs, a resent form — gives the
 * same attempt). Refused when the attempts allowed are used up; the unique (enrolment, number)
 * makes two concurrent starts unable to exceed them.
 */
export async function startAttempt({ userId, courseSlug, now = new Date() }: { userId: string; courseSlug: string; now?: Date }, db: PrismaClient = prisma()): Promise<{ attemptId: string }> {
  const { course, quiz } = await quizOf(courseSlug)
  const enrolment = await enrol({ userId, courseSlug }, db)
  await closeExpired(db, enrolment.id, now)
  const draw = drawQuestions(quiz, course.source.questions)
  try {
    return await db.$transaction(async (tx) => {
      // Starts of one enrolment queue up on its row: the second sees the attempt the first opened.
      // The unique (enrolment, number) stays as the backstop.
      await tx.$queryRaw`SELECT id FROM enrolment WHERE id = ${enrolment.id}::uuid FOR UPDATE`
      const open = await tx.quizAttempt.findFirst({ where: { enrolmentId: enrolment.id, status: 'OPEN' }, select: { id: true } })
      if (open) return { attemptId: open.id }
      const last = await tx.quizAttempt.findFirst({ where: { enrolmentId: enrolment.id }, orderBy: { number: 'desc' }, select: { number: true } })
      const number = (last?.number ?? 0) + 1
      // A renewal (the certificate expires within the notice period, or has) gets the quiz's
      // attempts afresh: only attempts started since the last completion count.
      const used = (await renewalOpen(tx, { userId, courseId: enrolment.courseId, now }))
        ? await tx.quizAttempt.count({ where: { enrolmentId: enrolment.id, startedAt: { gt: (await tx.courseCompletion.findFirst({ where: { enrolmentId: enrolment.id }, orderBy: { completedAt: 'desc' }, select: { completedAt: true } }))!.completedAt } } }) + 1
        : number
      if (quiz.attemptsAllowed && used > quiz.attemptsAllowed) {
        throw new AppError('CONFLICT', `Bạn đã dùng hết ${quiz.attemptsAllowed} lượt làm bài kiểm tra của khoá này.`)
      }
      const attempt = await tx.quizAttempt.create({
        data: {
          enrolmentId: enrolment.id,
          userId,
          courseId: enrolment.courseId,
          number,
          draw: draw as unknown as object,
          contentVersion: course.detail.version,
          startedAt: now,
          deadlineAt: quiz.timeLimitMinutes ? new Date(now.getTime() + quiz.timeLimitMinutes * 60_000) : null,
        },
        select: { id: true },
      })
      return { attemptId: attempt.id }
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Bài kiểm tra vừa được bắt đầu ở nơi khác. Hãy tải lại trang.')
    throw error
  }
}

async function ownAttempt(db: PrismaClient, userId: string, attemptId: string, courseSlug: string) {
  const attempt = /^[0-9a-f-]{36}$/i.test(attemptId)
    ? await db.quizAttempt.findFirst({ where: { id: attemptId, userId, course: { slug: courseSlug } }, include: { answers: true } })
    : null
  // Someone else's attempt is "not found", not "forbidden": its existence is not to be learnt.
  if (!attempt) throw new AppError('NOT_FOUND', 'Không có lượt làm bài này.')
  return attempt
}

interface Graded {
  questionId: string
  response: string[]
  verdict: Verdict
  /** Earned, out of `max` (the question's points in the bank). */
  points: number
  max: number
  savedAt: Date
}

/** A response as stored: trimmed NFC strings; a response of blanks only is no answer ([]). */
function clean(values: string[]): string[] {
  const trimmed = values.slice(0, 20).map((r) => r.normalize('NFC').trim().slice(0, 200))
  return trimmed.every((r) => r === '') ? [] : trimmed
}

/**
 * Checks what a form sent against the attempt: every answered question must be in the draw, and
 * every non-blank answer must fit its question (known option ids, a number, one choice per pair).
 * Throws BAD_INPUT with the question's number, so nothing is saved or graded from a bad post.
 */
function validate(bank: Map<string, Question>, draw: Draw, responses: Record<string, string[]>): Record<string, string[]> {
  const position = new Map(draw.questions.map((d, i) => [d.id, i + 1]))
  const out: Record<string, string[]> = {}
  for (const [questionId, values] of Object.entries(responses)) {
    const n = position.get(questionId)
    if (!n) throw new AppError('BAD_INPUT', 'Có câu trả lời cho một câu hỏi không thuộc bài làm này. Hãy tải lại trang rồi làm tiếp.', { questionId })
    const response = clean(values)
    const q = bank.get(questionId)
    if (q && response.length) {
      try {
        checkAnswer(q, response)
      } catch (error) {
        if (error instanceof BadAnswer) throw new AppError('BAD_INPUT', `Câu ${n}: ${error.message}`, { questionId })
        throw error
      }
    }
    out[questionId] = response
  }
  return out
}

function grade(bank: Map<string, Question>, draw: Draw, responses: Map<string, { response: string[]; savedAt: Date }>, now: Date): { graded: Graded[]; scorePercent: number } {
  const graded = draw.questions.map((d): Graded => {
    const q = bank.get(d.id)
    const { response, savedAt } = responses.get(d.id) ?? { response: [], savedAt: now }
    // A question since removed from the bank, or one left blank: no points, never an error.
    if (!q) return { questionId: d.id, response, verdict: 'incorrect', points: 0, max: 1, savedAt }
    try {
      const verdict = checkAnswer(q, response).verdict
      return { questionId: d.id, response, verdict, points: SHARE[verdict] * q.points, max: q.points, savedAt }
    } catch (error) {
      if (error instanceof BadAnswer) return { questionId: d.id, response, verdict: 'incorrect', points: 0, max: q.points, savedAt }
      throw error
    }
  })
  const max = graded.reduce((n, g) => n + g.max, 0)
  // Rounded down to 2 decimals, so 69.999 % never passes a 70 % mark.
  const scorePercent = max === 0 ? 0 : Math.floor((graded.reduce((n, g) => n + g.points, 0) / max) * 10_000 + 1e-6) / 100
  return { graded, scorePercent }
}

type Input = { userId: string; courseSlug: string; attemptId: string; responses: Record<string, string[]>; now?: Date }

/**
 * Saves answers of an open attempt as the learner goes (the "save" button); answers sent again
 * replace the saved ones. Refused once the attempt is submitted or its time (plus grace) is over.
 */
export async function saveAnswers({ userId, courseSlug, attemptId, responses, now = new Date() }: Input, db: PrismaClient = prisma()): Promise<void> {
  const { course } = await quizOf(courseSlug)
  const attempt = await ownAttempt(db, userId, attemptId, courseSlug)
  if (attempt.status === 'SUBMITTED') throw new AppError('CONFLICT', 'Bài làm này đã được nộp; không thể sửa câu trả lời nữa.')
  if (expired(attempt, now)) {
    await closeExpired(db, attempt.enrolmentId, now)
    throw new AppError('CONFLICT', 'Đã hết giờ làm bài; bài làm đã được nộp với các câu trả lời đã lưu trước đó.')
  }
  const valid = validate(course.source.questions, attempt.draw as unknown as Draw, responses)
  await db.$transaction(async (tx) => {
    // Lock the attempt so a concurrent submission waits for this save, or this save sees it closed.
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM quiz_attempt WHERE id = ${attempt.id}::uuid FOR UPDATE`
    if (row?.status !== 'OPEN') throw new AppError('CONFLICT', 'Bài làm này đã được nộp; không thể sửa câu trả lời nữa.')
    for (const [questionId, response] of Object.entries(valid)) {
      await tx.quizAnswer.upsert({
        where: { attemptId_questionId: { attemptId: attempt.id, questionId } },
        create: { attemptId: attempt.id, questionId, response, savedAt: now },
        update: { response, savedAt: now },
      })
    }
  })
}

/**
 * Grades and closes the attempt, once: the answers posted now, over those saved before. A second
 * submission (double click, resent form, second tab, twenty at once) changes nothing and reports
 * `alreadySubmitted`. After the deadline plus grace, the answers posted are not graded: the attempt
 * is graded on the answers saved before the deadline.
 */
export async function submitAttempt({ userId, courseSlug, attemptId, responses, now = new Date() }: Input, db: PrismaClient = prisma()): Promise<{ alreadySubmitted: boolean; late: boolean }> {
  const { course, passMark } = await quizOf(courseSlug)
  const attempt = await ownAttempt(db, userId, attemptId, courseSlug)
  if (attempt.status === 'SUBMITTED') return { alreadySubmitted: true, late: false }
  const draw = attempt.draw as unknown as Draw
  const late = expired(attempt, now)
  const answers = savedAnswers(attempt)
  if (!late) {
    for (const [questionId, response] of Object.entries(validate(course.source.questions, draw, responses))) answers.set(questionId, { response, savedAt: now })
  }
  const { graded, scorePercent } = grade(course.source.questions, draw, answers, now)
  const closed = await close(db, attempt.id, attempt.enrolmentId, graded, scorePercent, passMark, now)
  return { alreadySubmitted: !closed, late }
}

/** The answers saved during an attempt (saves are refused after the deadline plus grace). */
function savedAnswers(attempt: { deadlineAt: Date | null; answers: { questionId: string; response: unknown; savedAt: Date }[] }) {
  const limit = attempt.deadlineAt ? attempt.deadlineAt.getTime() + DEADLINE_GRACE_MS : Infinity
  return new Map(attempt.answers.filter((a) => a.savedAt.getTime() <= limit).map((a) => [a.questionId, { response: a.response as string[], savedAt: a.savedAt }]))
}

async function close(db: PrismaClient, attemptId: string, enrolmentId: string, graded: Graded[], scorePercent: number, passMark: number, now: Date): Promise<boolean> {
  const passed = scorePercent >= passMark
  return db.$transaction(async (tx) => {
    // The one place an attempt is closed: only the first of concurrent submissions matches OPEN.
    const { count } = await tx.quizAttempt.updateMany({ where: { id: attemptId, status: 'OPEN' }, data: { status: 'SUBMITTED', submittedAt: now, scorePercent, passed } })
    if (count === 0) return false
    await tx.quizAnswer.deleteMany({ where: { attemptId } })
    await tx.quizAnswer.createMany({
      data: graded.map((g) => ({ attemptId, questionId: g.questionId, response: g.response, points: g.points, correct: g.verdict === 'correct', savedAt: g.savedAt })),
    })
    if (passed) await completeIfDue(tx, enrolmentId, attemptId)
    return true
  })
}

/** Attempts left open past their deadline (the learner never came back) are graded on their saved answers. */
async function closeExpired(db: PrismaClient, enrolmentId: string, now: Date) {
  const open = await db.quizAttempt.findMany({ where: { enrolmentId, status: 'OPEN', deadlineAt: { not: null } } })
  for (const attempt of open.filter((a) => expired(a, now))) {
    const course = await db.course.findUniqueOrThrow({ where: { id: attempt.courseId }, select: { slug: true } })
    const { course: published, passMark } = await quizOf(course.slug)
    const full = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id }, include: { answers: true } })
    const { graded, scorePercent } = grade(published.source.questions, attempt.draw as unknown as Draw, savedAnswers(full), attempt.deadlineAt!)
    await close(db, attempt.id, enrolmentId, graded, scorePercent, passMark, attempt.deadlineAt!)
  }
}

export interface ReviewedQuestion {
  question: PublicQuestion
  response: string[]
  verdict: Verdict
  /** Only when the quiz's showAnswers allows it. */
  correctAnswer?: string
  explanation?: string
}

export type AttemptView =
  | { status: 'OPEN'; attempt: AttemptSummary; questions: PublicQuestion[]; passMark: number; saved: Record<string, string[]> }
  | { status: 'SUBMITTED'; attempt: AttemptSummary; passMark: number; review: ReviewedQuestion[] | null; attemptsLeft: number | null }

/**
 * One attempt of the person. Open: the questions to answer (never an answer). Submitted: the score,
 * and the review (verdicts, right answers, explanations) when the quiz's showAnswers allows it.
 */
export async function getAttempt({ userId, courseSlug, attemptId, now = new Date() }: { userId: string; courseSlug: string; attemptId: string; now?: Date }, db: PrismaClient = prisma()): Promise<AttemptView> {
  const { course, quiz, passMark } = await quizOf(courseSlug)
  let attempt = await ownAttempt(db, userId, attemptId, courseSlug)
  if (expired(attempt, now)) {
    await closeExpired(db, attempt.enrolmentId, now)
    attempt = await ownAttempt(db, userId, attemptId, courseSlug)
  }
  const bank = course.source.questions
  const draw = attempt.draw as unknown as Draw
  if (attempt.status === 'OPEN') {
    const saved = Object.fromEntries(attempt.answers.map((a) => [a.questionId, a.response as string[]]))
    return { status: 'OPEN', attempt: summary(attempt), passMark, saved, questions: draw.questions.filter((d) => bank.has(d.id)).map((d) => shownQuestion(bank.get(d.id)!, d)) }
  }
  const all = await db.quizAttempt.findMany({ where: { enrolmentId: attempt.enrolmentId }, select: { passed: true, status: true } })
  const attemptsLeft = quiz.attemptsAllowed ? Math.max(0, quiz.attemptsAllowed - all.length) : null
  const show =
    quiz.showAnswers === 'after-each-attempt' ||
    (quiz.showAnswers === 'after-passing' && all.some((a) => a.passed)) ||
    (quiz.showAnswers === 'after-last-attempt' && attemptsLeft === 0 && !all.some((a) => a.status === 'OPEN'))
  const answers = new Map(attempt.answers.map((a) => [a.questionId, a]))
  const review = show
    ? draw.questions
        .filter((d) => bank.has(d.id))
        .map((d): ReviewedQuestion => {
          const q = bank.get(d.id)!
          const answer = answers.get(d.id)
          const response = (answer?.response as string[] | undefined) ?? []
          let correctAnswer = ''
          let verdict: Verdict = 'incorrect'
          try {
            const checked = checkAnswer(q, response)
            correctAnswer = checked.correctAnswer
            verdict = checked.verdict
          } catch {
            // Not answered: show the right answer all the same.
            correctAnswer = correctAnswerOf(q)
          }
          return { question: shownQuestion(q, d), response, verdict, correctAnswer, explanation: q.explanation }
        })
    : null
  return { status: 'SUBMITTED', attempt: summary(attempt), passMark, review, attemptsLeft }
}

function correctAnswerOf(q: Question): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.filter((o) => o.correct).map((o) => o.text).join('; ')
    case 'true-false':
      return q.answer ? 'Đúng' : 'Sai'
    case 'short-text':
      return q.accept[0]!
    case 'numeric':
      return `${new Intl.NumberFormat('vi').format(q.answer)}${q.unit ? ` ${q.unit}` : ''}`
    case 'matching':
      return q.pairs.map((p) => `${p.left} → ${p.right}`).join('; ')
  }
}
