// Questions hold their answers, so they live on the server only: the page gets a PublicQuestion
// (no answer), and the verdict comes back from a POST. The grading here serves the in-lesson
// "check yourself"; the final quiz (a later issue) reuses checkAnswer for each question.
import { currentLocale, type ErrorKey, type MessageRef } from '~/utils/errors'
import { messagesFor } from '~/utils/i18n'
import type { QuestionInput } from './schema'
import { foldVietnamese, normaliseAnswer, viCollator } from './text'
import type { CheckResult, PublicQuestion, Verdict } from './types'

/** A question after validation: options have ids (a, b, c… unless the author named them). */
export type Question = QuestionInput & { file: string; line?: number }

const LETTERS = 'abcdefghij'
/** The longest short-text answer taken. */
const MAX_TEXT_ANSWER = 200

export function withOptionIds(q: QuestionInput): QuestionInput {
  if (q.type !== 'single' && q.type !== 'multiple') return q
  return { ...q, options: q.options.map((o, i) => ({ ...o, id: o.id ?? LETTERS[i]! })) }
}

export function publicQuestion(q: Question): PublicQuestion {
  const base = { id: q.id, type: q.type, prompt: q.prompt }
  switch (q.type) {
    case 'single':
    case 'multiple':
      return { ...base, options: q.options.map((o) => ({ id: o.id!, text: o.text })) }
    case 'true-false':
      return base
    case 'short-text':
      return base
    case 'numeric':
      return { ...base, unit: q.unit }
    case 'matching':
      return {
        ...base,
        left: q.pairs.map((p) => p.left),
        // Sorted, not in the author's order, so the position gives nothing away.
        right: [...new Set(q.pairs.map((p) => p.right))].sort(viCollator.compare),
      }
  }
}

/** Why a response does not fit its question: a message key (app/locales/{vi,en}/errors.ts), shown in the reader's language. */
export type AnswerErrorKey = Extract<ErrorKey, `answer.${string}`>

export class BadAnswer extends Error {
  constructor(
    readonly key: AnswerErrorKey,
    readonly params: Record<string, number> = {},
  ) {
    super(key)
    this.name = 'BadAnswer'
  }

  /** The reason as a message inside another one (AppError's `detail`). */
  get ref(): MessageRef {
    return { key: this.key, params: this.params }
  }
}

/**
 * Grades one response. `response` is what the form sent for this question: option ids, a text, a
 * number as text, or one right-hand choice per left item (in order). Throws BadAnswer for a
 * response that does not fit the question (empty, unknown option, not a number).
 */
export function checkAnswer(q: Question, response: string[]): CheckResult {
  const given = response.map((r) => r.normalize('NFC').trim())
  const result = (verdict: Verdict, correctAnswer: string): CheckResult => ({
    questionId: q.id,
    verdict,
    explanation: q.explanation,
    correctAnswer,
    response: given,
  })
  switch (q.type) {
    case 'single': {
      const chosen = given.filter((g) => g !== '')
      if (chosen.length !== 1) throw new BadAnswer('answer.chooseOne')
      const option = q.options.find((o) => o.id === chosen[0])
      if (!option) throw new BadAnswer('answer.unknownOption')
      const right = q.options.find((o) => o.correct)!
      return result(option.correct ? 'correct' : 'incorrect', right.text)
    }
    case 'multiple': {
      const chosen = new Set(given.filter((g) => g !== ''))
      if (chosen.size === 0) throw new BadAnswer('answer.chooseAtLeastOne')
      if ([...chosen].some((id) => !q.options.some((o) => o.id === id))) throw new BadAnswer('answer.unknownOption')
      const right = q.options.filter((o) => o.correct)
      const hits = q.options.filter((o) => o.correct === chosen.has(o.id!)).length
      const verdict: Verdict = hits === q.options.length ? 'correct' : q.scoring === 'partial' && hits > 0 && right.some((o) => chosen.has(o.id!)) ? 'partial' : 'incorrect'
      return result(verdict, right.map((o) => o.text).join('; '))
    }
    case 'true-false': {
      const value = given[0]
      if (value !== 'true' && value !== 'false') throw new BadAnswer('answer.trueOrFalse')
      return result((value === 'true') === q.answer ? 'correct' : 'incorrect', trueFalseLabel(q.answer))
    }
    case 'short-text': {
      const value = given[0] ?? ''
      if (value === '') throw new BadAnswer('answer.writeAnswer')
      if (value.length > MAX_TEXT_ANSWER) throw new BadAnswer('answer.tooLong', { max: MAX_TEXT_ANSWER })
      const same = (a: string, b: string) =>
        q.ignoreAccents ? foldVietnamese(a) === foldVietnamese(b) : normaliseAnswer(a) === normaliseAnswer(b)
      return result(q.accept.some((a) => same(a, value)) ? 'correct' : 'incorrect', q.accept[0]!)
    }
    case 'numeric': {
      // Vietnamese writes 2,5 for 2.5; a thousands separator is not expected in these answers.
      const raw = (given[0] ?? '').replace(/\s/g, '').replace(',', '.')
      if (raw === '') throw new BadAnswer('answer.enterNumber')
      const value = Number(raw)
      if (!Number.isFinite(value)) throw new BadAnswer('answer.notNumber')
      const ok = Math.abs(value - q.answer) <= q.tolerance + 1e-9
      const shown = new Intl.NumberFormat('vi').format(q.answer)
      return result(ok ? 'correct' : 'incorrect', q.unit ? `${shown} ${q.unit}` : shown)
    }
    case 'matching': {
      if (given.length !== q.pairs.length || given.some((g) => g === '')) throw new BadAnswer('answer.matchEach')
      const rights = new Set(q.pairs.map((p) => p.right))
      if (given.some((g) => !rights.has(g))) throw new BadAnswer('answer.unknownMatch')
      const hits = q.pairs.filter((p, i) => p.right === given[i]).length
      const verdict: Verdict = hits === q.pairs.length ? 'correct' : q.scoring === 'partial' && hits > 0 ? 'partial' : 'incorrect'
      return result(verdict, q.pairs.map((p) => `${p.left} → ${p.right}`).join('; '))
    }
  }
}

/** Problems with a question's answers that the schema alone cannot see. */
export function answerProblems(q: QuestionInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (q.type === 'single' || q.type === 'multiple') {
    const correct = q.options.filter((o) => o.correct).length
    if (q.type === 'single' && correct !== 1) problems.push({ field: 'options', message: `câu một lựa chọn cần đúng một đáp án correct: true (đang có ${correct})` })
    if (q.type === 'multiple' && correct < 1) problems.push({ field: 'options', message: 'câu nhiều lựa chọn cần ít nhất một đáp án correct: true' })
    const ids = q.options.map((o, i) => o.id ?? LETTERS[i]!)
    if (new Set(ids).size !== ids.length) problems.push({ field: 'options', message: 'hai lựa chọn trùng id' })
  }
  if (q.type === 'matching') {
    const lefts = q.pairs.map((p) => p.left)
    if (new Set(lefts).size !== lefts.length) problems.push({ field: 'pairs', message: 'hai mục bên trái trùng nhau' })
  }
  return problems
}

/** "Đúng"/"Sai" (True/False) in the language of the request being served. */
export function trueFalseLabel(value: boolean): string {
  const check = messagesFor(currentLocale()).content.check
  return value ? check.trueLabel : check.falseLabel
}
