// Whether a question bank can be passed by guessing: the keyed option longer than every other
// (test-wise learners pick the longest), the key always in the same place, true/false answers
// mostly one way, and final-quiz rules that draw so much of a pool that three attempts show most of
// it. `npm run content:stats` reports the figures; content:check refuses the worst (the limits
// below, docs/decisions/024).
import type { Question } from './questions.server'
import type { FinalQuiz } from './schema'

/** content:check: the keyed option may be the longest (or the shortest) in at most this share of single-choice items. */
export const MAX_KEY_LONGEST = 0.4
/** …the key may sit in one position (a, b, c…) in at most this share of single-choice items. */
export const MAX_KEY_SAME_POSITION = 0.5
/** …true/false answers must be "true" in this share (inclusive). */
export const TRUE_SHARE = [0.3, 0.7] as const
/** …a draw rule's pool must hold at least this many times the questions it draws. */
export const POOL_PER_DRAWN = 4
/** Below these sizes a share says nothing (one question is 100 %): no limit is applied. */
export const MIN_SINGLE_FOR_LIMITS = 5
export const MIN_TRUE_FALSE_FOR_LIMITS = 6

const length = (text: string) => [...text.normalize('NFC')].length

export interface BankBiases {
  single: number
  /** Single-choice items whose keyed option is strictly longer than every other option. */
  keyLongest: number
  /** …strictly shorter than every other (the over-correction of a bank that was too long). */
  keyShortest: number
  /** Items by the position of the key as written (0 = first option). */
  keyPositions: number[]
  trueFalse: number
  trueAnswers: number
  /** Multiple-choice items where every option is keyed (nothing to tell apart). */
  multipleAllKeyed: number
}

export function bankBiases(questions: Iterable<Question>): BankBiases {
  const out: BankBiases = { single: 0, keyLongest: 0, keyShortest: 0, keyPositions: [], trueFalse: 0, trueAnswers: 0, multipleAllKeyed: 0 }
  for (const q of questions) {
    if (q.type === 'single') {
      out.single++
      const key = q.options.findIndex((o) => o.correct)
      const keyLength = length(q.options[key]!.text)
      if (q.options.every((o, i) => i === key || length(o.text) < keyLength)) out.keyLongest++
      if (q.options.every((o, i) => i === key || length(o.text) > keyLength)) out.keyShortest++
      while (out.keyPositions.length <= key) out.keyPositions.push(0)
      out.keyPositions[key]!++
    } else if (q.type === 'true-false') {
      out.trueFalse++
      if (q.answer) out.trueAnswers++
    } else if (q.type === 'multiple' && q.options.every((o) => o.correct)) out.multipleAllKeyed++
  }
  return out
}

export const share = (n: number, of: number) => (of === 0 ? 0 : n / of)
export const percent = (n: number, of: number) => `${Math.round(share(n, of) * 100)}%`

/** What content:check refuses in a course's bank, as messages (the bank as a whole has no line). */
export function biasProblems(b: BankBiases): string[] {
  const problems: string[] = []
  if (b.single >= MIN_SINGLE_FOR_LIMITS) {
    if (share(b.keyLongest, b.single) > MAX_KEY_LONGEST) {
      problems.push(
        `đáp án đúng là lựa chọn dài nhất ở ${b.keyLongest}/${b.single} câu một lựa chọn (${percent(b.keyLongest, b.single)}, tối đa ${MAX_KEY_LONGEST * 100}%): người học đoán được mà không cần biết. Viết các lựa chọn sai dài và hợp lý như đáp án, hoặc viết đáp án gọn lại (npm run content:stats cho biết câu nào)`,
      )
    }
    if (share(b.keyShortest, b.single) > MAX_KEY_LONGEST) {
      problems.push(`đáp án đúng là lựa chọn ngắn nhất ở ${b.keyShortest}/${b.single} câu một lựa chọn (${percent(b.keyShortest, b.single)}, tối đa ${MAX_KEY_LONGEST * 100}%): người học chọn câu ngắn nhất là đúng; viết các lựa chọn dài ngắn xen kẽ`)
    }
    const most = Math.max(...b.keyPositions)
    if (share(most, b.single) > MAX_KEY_SAME_POSITION) {
      const at = 'abcdefghij'[b.keyPositions.indexOf(most)]
      problems.push(`đáp án đúng nằm ở vị trí ${at} trong ${most}/${b.single} câu một lựa chọn (${percent(most, b.single)}, tối đa ${MAX_KEY_SAME_POSITION * 100}%): đổi chỗ các lựa chọn`)
    }
  }
  if (b.trueFalse >= MIN_TRUE_FALSE_FOR_LIMITS) {
    const s = share(b.trueAnswers, b.trueFalse)
    if (s < TRUE_SHARE[0] || s > TRUE_SHARE[1]) {
      problems.push(`câu đúng/sai có đáp án “Đúng” ở ${b.trueAnswers}/${b.trueFalse} câu (${percent(b.trueAnswers, b.trueFalse)}; cần từ ${TRUE_SHARE[0] * 100}% đến ${TRUE_SHARE[1] * 100}%): người học chọn một phía là đạt`)
    }
  }
  return problems
}

/** The questions a draw rule picks from (fixed lists excluded: they are not drawn). */
export function poolOf(rule: FinalQuiz['draw'][number], bank: Iterable<Question>): Question[] {
  return [...bank].filter((q) => (rule.standard ? q.standards.includes(rule.standard) : q.lesson === rule.lesson))
}

/** The single-choice items whose keyed option is the longest, for content:stats. */
export function keyLongestItems(questions: Iterable<Question>): Question[] {
  return [...questions].filter((q) => q.type === 'single' && bankBiases([q]).keyLongest === 1)
}
