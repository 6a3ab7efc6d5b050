// The quiz's pure rules, no database: how an attempt's questions are drawn and shown, how a post
// is checked and graded, when an attempt is late, which attempts count, and when the review may
// show the answers. attempt.server.ts runs the lifecycle (start, save, submit, close) over these.
import { randomInt } from 'node:crypto'
import { BadAnswer, checkAnswer, numericAnswerOf, numericLabel, publicQuestion, trueFalseLabel, type Question } from '~/modules/content/questions.server'
import type { FinalQuiz } from '~/modules/content/schema'
import type { PublicQuestion, Verdict } from '~/modules/content/types'
import { AppError, currentLocale } from '~/utils/errors'

/**
 * A post that arrives this long after the deadline is still accepted: a slow mobile link can take
 * that long to send a form the learner submitted in time. Later, the answers are not graded.
 */
export const DEADLINE_GRACE_MS = 60_000

/** Share of a question's points a verdict earns: partial credit (multiple choice or matching scored "partial") is half. */
const SHARE: Record<Verdict, number> = { correct: 1, partial: 0.5, incorrect: 0 }

export interface DrawnQuestion {
  id: string
  /** single, multiple: the option ids in the order shown. */
  options?: string[]
  /** numeric-drawn: the seed of this attempt's numbers (kept on the server with the attempt). */
  seed?: number
}

/** The seeds of drawn numeric questions: any 31-bit number. */
const SEED_RANGE = 2 ** 31
export interface Draw {
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
      q.type === 'single' || q.type === 'multiple'
        ? { id: q.id, options: quiz.shuffle ? shuffled(q.options.map((o) => o.id!)) : q.options.map((o) => o.id!) }
        : q.type === 'numeric-drawn'
          ? { id: q.id, seed: randomInt(SEED_RANGE) }
          : { id: q.id },
    ),
  }
}

/** The question as the attempt shows it: no answer, options in the drawn order. */
export function shownQuestion(q: Question, drawn: DrawnQuestion): PublicQuestion {
  const pub = publicQuestion(q, drawn.seed ?? 0)
  if (pub.options && drawn.options) {
    const byId = new Map(pub.options.map((o) => [o.id, o]))
    pub.options = drawn.options.map((id) => byId.get(id)).filter((o): o is { id: string; text: string } => o !== undefined)
  }
  return pub
}

/** An open attempt whose time, plus the grace, is over. */
export const expired = (a: { status: string; deadlineAt: Date | null }, now: Date) => a.status === 'OPEN' && a.deadlineAt !== null && now.getTime() > a.deadlineAt.getTime() + DEADLINE_GRACE_MS

export interface Graded {
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
export function validate(bank: Map<string, Question>, draw: Draw, responses: Record<string, string[]>): Record<string, string[]> {
  const position = new Map(draw.questions.map((d, i) => [d.id, i + 1]))
  const out: Record<string, string[]> = {}
  for (const [questionId, values] of Object.entries(responses)) {
    const n = position.get(questionId)
    if (!n) throw new AppError('BAD_INPUT', 'quiz.foreignQuestion', {}, { questionId })
    const response = clean(values)
    const q = bank.get(questionId)
    if (q && response.length) {
      try {
        checkAnswer(q, response, draw.questions[n - 1]!.seed ?? 0)
      } catch (error) {
        if (error instanceof BadAnswer) throw new AppError('BAD_INPUT', 'quiz.badAnswer', { n, detail: error.ref }, { questionId, answer: error.ref })
        throw error
      }
    }
    out[questionId] = response
  }
  return out
}

export function grade(bank: Map<string, Question>, draw: Draw, responses: Map<string, { response: string[]; savedAt: Date }>, now: Date): { graded: Graded[]; scorePercent: number } {
  const graded = draw.questions.map((d): Graded => {
    const q = bank.get(d.id)
    const { response, savedAt } = responses.get(d.id) ?? { response: [], savedAt: now }
    // A question since removed from the bank, or one left blank: no points, never an error.
    if (!q) return { questionId: d.id, response, verdict: 'incorrect', points: 0, max: 1, savedAt }
    try {
      const verdict = checkAnswer(q, response, d.seed ?? 0).verdict
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

/** The answers saved during an attempt (saves are refused after the deadline plus grace). */
export function savedAnswers(attempt: { deadlineAt: Date | null; answers: { questionId: string; response: unknown; savedAt: Date }[] }) {
  const limit = attempt.deadlineAt ? attempt.deadlineAt.getTime() + DEADLINE_GRACE_MS : Infinity
  return new Map(attempt.answers.filter((a) => a.savedAt.getTime() <= limit).map((a) => [a.questionId, { response: a.response as string[], savedAt: a.savedAt }]))
}

/**
 * The attempts that count against attemptsAllowed: all of the enrolment's, or — in a renewal (the
 * certificate expires within the notice period, or has) — only those started after the last
 * completion, so the quiz's attempts come afresh. The one rule: the quiz page, the start and the
 * review all count with it.
 */
export function countedAttempts<A extends { startedAt: Date }>(attempts: readonly A[], renewalSince: Date | null): A[] {
  return renewalSince ? attempts.filter((a) => a.startedAt.getTime() > renewalSince.getTime()) : [...attempts]
}

/** Attempts left (null: unlimited) given the attempts that count. */
export function attemptsLeftOf(allowed: number | null | undefined, counted: readonly unknown[]): number | null {
  return allowed ? Math.max(0, allowed - counted.length) : null
}

/**
 * Whether a submitted attempt's review may show the right answers, by the quiz's showAnswers,
 * judged on the attempts that count (`counted`, from countedAttempts): after-passing needs a pass
 * among them, after-last-attempt needs none left and none open — never while an attempt remains;
 * verdicts-until-done needs either.
 */
export function reviewShowsAnswers(
  showAnswers: FinalQuiz['showAnswers'],
  allowed: number | null | undefined,
  counted: readonly { passed: boolean | null; status: string }[],
): boolean {
  const passed = counted.some((a) => a.passed === true)
  const noneLeft = attemptsLeftOf(allowed, counted) === 0 && !counted.some((a) => a.status === 'OPEN')
  switch (showAnswers) {
    case 'after-each-attempt':
      return true
    case 'after-passing':
      return passed
    case 'after-last-attempt':
      return noneLeft
    case 'verdicts-until-done':
      return passed || noneLeft
    case 'never':
      return false
  }
}

/**
 * What the review of a submitted attempt holds: `answers` (verdicts, right answers, explanations),
 * `verdicts` (which answers were right or wrong, nothing that gives the key away), or nothing.
 */
export function reviewMode(
  showAnswers: FinalQuiz['showAnswers'],
  allowed: number | null | undefined,
  counted: readonly { passed: boolean | null; status: string }[],
): 'answers' | 'verdicts' | 'none' {
  if (reviewShowsAnswers(showAnswers, allowed, counted)) return 'answers'
  return showAnswers === 'verdicts-until-done' ? 'verdicts' : 'none'
}

export function correctAnswerOf(q: Question, seed = 0): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.filter((o) => o.correct).map((o) => o.text).join('; ')
    case 'true-false':
      return trueFalseLabel(q.answer)
    case 'short-text':
      return q.accept[0]!
    case 'numeric':
    case 'numeric-drawn':
      return numericLabel(numericAnswerOf(q, seed), q.unit, currentLocale())
    case 'matching':
      return q.pairs.map((p) => `${p.left} → ${p.right}`).join('; ')
  }
}
