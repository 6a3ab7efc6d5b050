// Questions hold their answers, so they live on the server only: the page gets a PublicQuestion
// (no answer), and the verdict comes back from a POST. The grading here serves the in-lesson
// "check yourself"; the final quiz (a later issue) reuses checkAnswer for each question.
import { currentLocale, type ErrorKey, type MessageRef } from '~/utils/errors'
import { messagesFor } from '~/utils/i18n'
import { drawValues, evaluate, fillPrompt, FormulaError, parseFormula, placeholdersOf, stepsOf, variablesOf } from './formula'
import { foldUnit, formatNumber, parseNumericAnswer } from './numbers'
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

/**
 * The question as a page shows it, without its answer. A drawn numeric question shows the numbers
 * of `seed` (an attempt's own seed; lessons use seed 0).
 */
export function publicQuestion(q: Question, seed = 0): PublicQuestion {
  const base = { id: q.id, type: q.type, prompt: q.type === 'numeric-drawn' ? fillPrompt(q.prompt, drawValues(q.variables, seed)) : q.prompt }
  switch (q.type) {
    case 'single':
    case 'multiple':
      return { ...base, options: q.options.map((o) => ({ id: o.id!, text: o.text })) }
    case 'true-false':
      return base
    case 'short-text':
      return base
    case 'numeric':
    case 'numeric-drawn':
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
export function checkAnswer(q: Question, response: string[], seed = 0): CheckResult {
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
      const ok = q.formula ? q.accept.some((a) => sameFormula(a, value)) : q.accept.some((a) => (q.ignoreAccents ? foldVietnamese(a) === foldVietnamese(value) : normaliseAnswer(a) === normaliseAnswer(value)))
      return result(ok ? 'correct' : 'incorrect', q.accept[0]!)
    }
    case 'numeric':
    case 'numeric-drawn': {
      const raw = given[0] ?? ''
      if (raw === '') throw new BadAnswer('answer.enterNumber')
      if (raw.length > MAX_TEXT_ANSWER) throw new BadAnswer('answer.tooLong', { max: MAX_TEXT_ANSWER })
      const parsed = parseNumericAnswer(raw)
      if (!parsed) throw new BadAnswer('answer.notNumber')
      const answer = numericAnswerOf(q, seed)
      // The units the answer may come in: the question's own, then the others it lists.
      const units = [{ unit: q.unit ?? '', factor: 1 }, ...q.alsoAccept]
      const candidates = parsed.unit === '' ? units : units.filter((u) => foldUnit(u.unit) === parsed.unit)
      if (candidates.length === 0) throw new BadAnswer('answer.unknownUnit')
      const ok = candidates.some((u) => Math.abs(parsed.value * u.factor - answer) <= q.tolerance + 1e-9 * Math.max(1, Math.abs(answer)))
      return result(ok ? 'correct' : 'incorrect', numericLabel(answer, q.unit))
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

/** The right number of a numeric question; for a drawn one, with the numbers of `seed`. */
export function numericAnswerOf(q: Extract<QuestionInput, { type: 'numeric' | 'numeric-drawn' }>, seed = 0): number {
  if (q.type === 'numeric') return q.answer
  return evaluate(parseFormula(q.answer), drawValues(q.variables, seed))
}

/** "2.700 nghìn đồng": the number as the reader writes it, and the unit. */
export function numericLabel(answer: number, unit: string | undefined, locale = 'vi'): string {
  const shown = formatNumber(answer, locale)
  return unit ? `${shown} ${unit}` : shown
}

/** A formula as compared: no leading "=", no spaces, upper case, ";" read as ",". */
function formulaKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '').replace(/^=/, '').replace(/;/g, ',').toUpperCase()
}

function sameFormula(accepted: string, given: string): boolean {
  const a = formulaKey(accepted)
  const g = formulaKey(given)
  if (a === g) return true
  // A function name ("AVERAGE" or "AVERAGE()") takes the function with any arguments.
  const name = /^([A-Z][A-Z0-9.]*)(?:\(\))?$/.exec(a)?.[1]
  return name !== undefined && (g === name || g.startsWith(`${name}(`) && g.endsWith(')'))
}

/** How many seeds content:check tries on a drawn question (every combination when fewer). */
const SEEDS_CHECKED = 200

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
  if (q.type === 'numeric' || q.type === 'numeric-drawn') {
    const units = [q.unit ?? '', ...q.alsoAccept.map((u) => u.unit)].map(foldUnit)
    if (new Set(units).size !== units.length) problems.push({ field: 'alsoAccept', message: 'hai đơn vị trùng nhau (kể cả đơn vị chính unit)' })
  }
  if (q.type === 'numeric-drawn') {
    for (const [name, range] of Object.entries(q.variables)) {
      if (range.min > range.max) problems.push({ field: `variables.${name}`, message: 'min lớn hơn max' })
    }
    const used = placeholdersOf(q.prompt)
    for (const name of Object.keys(q.variables)) if (!used.includes(name)) problems.push({ field: 'prompt', message: `câu hỏi không hiện biến {${name}}: người học không biết số đó` })
    for (const name of used) if (!(name in q.variables)) problems.push({ field: 'prompt', message: `{${name}} không có trong variables` })
    try {
      const formula = parseFormula(q.answer)
      for (const name of variablesOf(formula)) if (!(name in q.variables)) throw new FormulaError(`biến "${name}" chưa được khai báo trong variables`)
      const variants = Object.values(q.variables).reduce((n, r) => n * stepsOf(r), 1)
      if (variants < 4) problems.push({ field: 'variables', message: `chỉ có ${variants} bộ số: cần ít nhất 4 để mỗi lần làm bài gặp số khác` })
      for (let seed = 0; seed < SEEDS_CHECKED; seed++) {
        const value = evaluate(formula, drawValues(q.variables, seed))
        if (!Number.isFinite(value)) throw new FormulaError('công thức cho kết quả không phải một số với một bộ số rút được')
      }
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error
      problems.push({ field: 'answer', message: error.message })
    }
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
