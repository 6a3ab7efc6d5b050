// The final quiz of a course: an attempt is drawn from the question bank when it starts (stored,
// never redrawn), answered in one plain form post, and graded here on the server with the same
// checkAnswer as the lessons' check-yourself. Nothing sent to the page before submission holds an
// answer: the page gets PublicQuestions only. Submitting is idempotent: the attempt turns from
// OPEN to SUBMITTED with one conditional UPDATE, so a double click, a resent form or two tabs
// grade it once.
import type { Prisma, PrismaClient } from '@prisma/client'
import { checkAnswer } from '~/modules/content/questions.server'
import type { PublicQuestion, Verdict } from '~/modules/content/types'
import { prisma } from '~/utils/db.server'
import { AppError, isUniqueViolation } from '~/utils/errors'
import { renewalOpen } from '~/modules/certificate/service.server'
import { completeIfDue } from '~/modules/learning/completion.server'
import { publishedCourse } from '~/modules/learning/content.server'
import { recordXapi } from '~/modules/xapi/service.server'
import { enrol, findEnrolment } from '~/modules/learning/progress.server'
import {
  attemptsLeftOf,
  correctAnswerOf,
  countedAttempts,
  drawQuestions,
  expired,
  grade,
  reviewMode,
  savedAnswers,
  shownQuestion,
  validate,
  type Draw,
  type Graded,
} from './grading.server'

export { DEADLINE_GRACE_MS, drawQuestions } from './grading.server'

/**
 * In a renewal, when the attempts that count start (the last completion); null otherwise — see
 * countedAttempts. `db` may be a transaction's client.
 */
async function renewalSince(db: PrismaClient | Prisma.TransactionClient, enrolment: { id: string; userId: string; courseId: string }, now: Date): Promise<Date | null> {
  if (!(await renewalOpen(db, { userId: enrolment.userId, courseId: enrolment.courseId, now }))) return null
  const last = await db.courseCompletion.findFirst({ where: { enrolmentId: enrolment.id }, orderBy: { completedAt: 'desc' }, select: { completedAt: true } })
  return last?.completedAt ?? null
}

async function quizOf(courseSlug: string) {
  const course = await publishedCourse(courseSlug)
  const quiz = course.source.finalQuiz
  if (!quiz) throw new AppError('NOT_FOUND', 'quiz.none', { course: courseSlug })
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

/** The quiz page of a course for one person: rules, their attempts, what they can do next. */
export async function quizOverview({ userId, courseSlug, now = new Date() }: { userId: string; courseSlug: string; now?: Date }, db: PrismaClient = prisma()): Promise<QuizOverview> {
  const { quiz, passMark } = await quizOf(courseSlug)
  const enrolment = await findEnrolment({ userId, courseSlug }, db)
  if (enrolment) await closeExpired(db, enrolment.id, now)
  const attempts = enrolment ? (await db.quizAttempt.findMany({ where: { enrolmentId: enrolment.id }, orderBy: { number: 'asc' } })).map(summary) : []
  const counted = enrolment ? countedAttempts(attempts, await renewalSince(db, { id: enrolment.id, userId, courseId: enrolment.courseId }, now)) : []
  const allowed = quiz.attemptsAllowed ?? null
  const questionCount = quiz.draw.reduce((n, r) => n + (r.questions ? r.questions.length : (r.count ?? 0)), 0)
  return {
    passMark,
    questionCount,
    timeLimitMinutes: quiz.timeLimitMinutes ?? null,
    attemptsAllowed: allowed,
    attempts,
    attemptsLeft: attemptsLeftOf(allowed, counted),
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
      const all = await tx.quizAttempt.findMany({ where: { enrolmentId: enrolment.id }, select: { startedAt: true } })
      const counted = countedAttempts(all, await renewalSince(tx, { id: enrolment.id, userId, courseId: enrolment.courseId }, now))
      if (attemptsLeftOf(quiz.attemptsAllowed, counted) === 0) {
        throw new AppError('CONFLICT', 'quiz.attemptsUsed', { allowed: quiz.attemptsAllowed! })
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
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'quiz.startedElsewhere')
    throw error
  }
}

async function ownAttempt(db: PrismaClient, userId: string, attemptId: string, courseSlug: string) {
  const attempt = /^[0-9a-f-]{36}$/i.test(attemptId)
    ? await db.quizAttempt.findFirst({ where: { id: attemptId, userId, course: { slug: courseSlug } }, include: { answers: true } })
    : null
  // Someone else's attempt is "not found", not "forbidden": its existence is not to be learnt.
  if (!attempt) throw new AppError('NOT_FOUND', 'quiz.attemptNotFound')
  return attempt
}

type Input = { userId: string; courseSlug: string; attemptId: string; responses: Record<string, string[]>; now?: Date }

/**
 * Saves answers of an open attempt as the learner goes (the "save" button); answers sent again
 * replace the saved ones. Refused once the attempt is submitted or its time (plus grace) is over.
 */
export async function saveAnswers({ userId, courseSlug, attemptId, responses, now = new Date() }: Input, db: PrismaClient = prisma()): Promise<void> {
  const { course } = await quizOf(courseSlug)
  const attempt = await ownAttempt(db, userId, attemptId, courseSlug)
  if (attempt.status === 'SUBMITTED') throw new AppError('CONFLICT', 'quiz.submitted')
  if (expired(attempt, now)) {
    await closeExpired(db, attempt.enrolmentId, now)
    throw new AppError('CONFLICT', 'quiz.timeUp')
  }
  const valid = validate(course.source.questions, attempt.draw as unknown as Draw, responses)
  await db.$transaction(async (tx) => {
    // Lock the attempt so a concurrent submission waits for this save, or this save sees it closed.
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM quiz_attempt WHERE id = ${attempt.id}::uuid FOR UPDATE`
    if (row?.status !== 'OPEN') throw new AppError('CONFLICT', 'quiz.submitted')
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

async function close(db: PrismaClient, attemptId: string, enrolmentId: string, graded: Graded[], scorePercent: number, passMark: number, now: Date): Promise<boolean> {
  const passed = scorePercent >= passMark
  return db.$transaction(async (tx) => {
    // The one place an attempt is closed: only the first of concurrent submissions matches OPEN.
    const { count } = await tx.quizAttempt.updateMany({ where: { id: attemptId, status: 'OPEN' }, data: { status: 'SUBMITTED', submittedAt: now, scorePercent, passed } })
    if (count === 0) return false
    const closed = await tx.quizAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { userId: true, number: true, course: { select: { slug: true, title: true } } } })
    // The graded attempt is an xAPI "passed" or "failed" (docs/decisions/026), queued with it.
    await recordXapi(tx, { kind: 'quiz.graded', userId: closed.userId, course: closed.course, attemptNumber: closed.number, scorePercent, passMark, passed, at: now })
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
  /** Only when the quiz's showAnswers allows it (reviewMode 'answers'). */
  correctAnswer?: string
  explanation?: string
}

export type AttemptView =
  | { status: 'OPEN'; attempt: AttemptSummary; questions: PublicQuestion[]; passMark: number; saved: Record<string, string[]> }
  | {
      status: 'SUBMITTED'
      attempt: AttemptSummary
      passMark: number
      /** Verdicts only ('verdicts'), or with the right answers and explanations ('answers'). */
      reviewMode: 'answers' | 'verdicts' | 'none'
      review: ReviewedQuestion[] | null
      attemptsLeft: number | null
    }

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
  const all = await db.quizAttempt.findMany({ where: { enrolmentId: attempt.enrolmentId }, select: { passed: true, status: true, startedAt: true } })
  const counted = countedAttempts(all, await renewalSince(db, { id: attempt.enrolmentId, userId, courseId: attempt.courseId }, now))
  const attemptsLeft = attemptsLeftOf(quiz.attemptsAllowed, counted)
  const mode = reviewMode(quiz.showAnswers, quiz.attemptsAllowed, counted)
  const answers = new Map(attempt.answers.map((a) => [a.questionId, a]))
  const review =
    mode === 'none'
      ? null
      : draw.questions
          .filter((d) => bank.has(d.id))
          .map((d): ReviewedQuestion => {
            const q = bank.get(d.id)!
            const answer = answers.get(d.id)
            const response = (answer?.response as string[] | undefined) ?? []
            let correctAnswer = ''
            let verdict: Verdict = 'incorrect'
            try {
              const checked = checkAnswer(q, response, d.seed ?? 0)
              correctAnswer = checked.correctAnswer
              verdict = checked.verdict
            } catch {
              // Not answered: show the right answer all the same.
              correctAnswer = correctAnswerOf(q, d.seed ?? 0)
            }
            const shown = { question: shownQuestion(q, d), response, verdict }
            return mode === 'answers' ? { ...shown, correctAnswer, explanation: q.explanation } : shown
          })
  return { status: 'SUBMITTED', attempt: summary(attempt), passMark, reviewMode: mode, review, attemptsLeft }
}
