import { describe, expect, it } from 'vitest'
import { BadAnswer, checkAnswer, publicQuestion, withOptionIds, type Question } from './questions.server'
import { Question as QuestionSchema } from './schema'
import { correctAnswerOf } from '~/modules/quiz/grading.server'
import { inLocale } from '~/server/request-locale.server'

const q = (raw: Record<string, unknown>): Question => ({
  ...withOptionIds(QuestionSchema.parse({ id: 'cau', prompt: 'Câu hỏi?', explanation: 'Vì vậy.', ...raw })),
  file: 'x.yaml',
})

const single = q({ type: 'single', options: [{ text: 'Một' }, { text: 'Hai', correct: true }] })
const multiple = (scoring: string) =>
  q({ type: 'multiple', scoring, options: [{ text: 'A', correct: true }, { text: 'B', correct: true }, { text: 'C' }] })
const trueFalse = q({ type: 'true-false', answer: false })
const shortText = (ignoreAccents: boolean) => q({ type: 'short-text', accept: ['Mật khẩu', 'password'], ignoreAccents })
const numeric = q({ type: 'numeric', answer: 2.5, tolerance: 0.1, unit: 'GB' })
const matching = (scoring: string) =>
  q({ type: 'matching', scoring, pairs: [{ left: 'aw', right: 'ă' }, { left: 'dd', right: 'đ' }, { left: 'ow', right: 'ơ' }] })

describe('check-yourself grading', () => {
  it('single choice: the option ids are letters unless named', () => {
    expect(checkAnswer(single, ['b']).verdict).toBe('correct')
    expect(checkAnswer(single, ['a'])).toMatchObject({ verdict: 'incorrect', correctAnswer: 'Hai', explanation: 'Vì vậy.' })
    expect(() => checkAnswer(single, [])).toThrow('answer.chooseOne')
    expect(() => checkAnswer(single, ['z'])).toThrow(BadAnswer)
    expect(() => checkAnswer(single, ['a', 'b'])).toThrow(BadAnswer)
  })

  it('multiple choice: all-or-nothing, or partial credit', () => {
    expect(checkAnswer(multiple('all-or-nothing'), ['a', 'b']).verdict).toBe('correct')
    expect(checkAnswer(multiple('all-or-nothing'), ['a']).verdict).toBe('incorrect')
    expect(checkAnswer(multiple('partial'), ['a']).verdict).toBe('partial')
    expect(checkAnswer(multiple('partial'), ['c']).verdict).toBe('incorrect')
    expect(checkAnswer(multiple('partial'), ['a', 'b']).correctAnswer).toBe('A; B')
    expect(() => checkAnswer(multiple('partial'), [])).toThrow('answer.chooseAtLeastOne')
  })

  it('true/false', () => {
    expect(checkAnswer(trueFalse, ['false'])).toMatchObject({ verdict: 'correct', correctAnswer: 'Sai' })
    // The reader's language: an English reader sees "False", in the check and in the quiz review.
    expect(inLocale('en', () => checkAnswer(trueFalse, ['false']).correctAnswer)).toBe('False')
    expect(inLocale('en', () => correctAnswerOf(trueFalse))).toBe('False')
    expect(correctAnswerOf(trueFalse)).toBe('Sai')
    expect(checkAnswer(trueFalse, ['true']).verdict).toBe('incorrect')
    expect(() => checkAnswer(trueFalse, ['có lẽ'])).toThrow('answer.trueOrFalse')
  })

  it('short text: case and spacing never matter; accents only when the author says so', () => {
    expect(checkAnswer(shortText(false), ['  mật   KHẨU ']).verdict).toBe('correct')
    expect(checkAnswer(shortText(false), ['mat khau']).verdict).toBe('incorrect')
    expect(checkAnswer(shortText(true), ['mat khau']).verdict).toBe('correct')
    // Typed in decomposed Unicode (tổ hợp): still the same answer.
    expect(checkAnswer(shortText(false), ['mật khẩu'.normalize('NFD')]).verdict).toBe('correct')
    expect(() => checkAnswer(shortText(false), [''])).toThrow('answer.writeAnswer')
  })

  it('numeric: within the tolerance, with a Vietnamese decimal comma', () => {
    expect(checkAnswer(numeric, ['2,5']).verdict).toBe('correct')
    expect(checkAnswer(numeric, ['2.58']).verdict).toBe('correct')
    expect(checkAnswer(numeric, ['2.7'])).toMatchObject({ verdict: 'incorrect', correctAnswer: '2,5 GB' })
    expect(() => checkAnswer(numeric, ['hai'])).toThrow('answer.notNumber')
  })

  it('numeric: Vietnamese thousands groups, and the units the question lists', () => {
    const money = q({
      type: 'numeric',
      answer: 2700,
      unit: 'nghìn đồng',
      alsoAccept: [{ unit: 'nghìn' }, { unit: 'đồng', factor: 0.001 }, { unit: 'triệu', factor: 1000 }],
    })
    for (const right of ['2700', '2.700', '2 700', '2.700 nghìn đồng', '2.700 nghìn', '2.700.000', '2.700.000 đồng', '2 700 000 Đồng', '2,7 triệu', '2,7']) {
      expect(checkAnswer(money, [right]).verdict, right).toBe('correct')
    }
    for (const wrong of ['27', '2.700 triệu', '3.700', '270']) expect(checkAnswer(money, [wrong]).verdict, wrong).toBe('incorrect')
    expect(checkAnswer(money, ['1']).correctAnswer).toBe('2.700 nghìn đồng')
    expect(inLocale('en', () => correctAnswerOf(money))).toBe('2,700 nghìn đồng')
    expect(() => checkAnswer(money, ['2.700 kg'])).toThrow('answer.unknownUnit')
    // Without alsoAccept, only the question's own unit.
    const plain = q({ type: 'numeric', answer: 2700, unit: 'nghìn đồng' })
    expect(checkAnswer(plain, ['2.700']).verdict).toBe('correct')
    expect(checkAnswer(plain, ['2.700.000']).verdict).toBe('incorrect')
  })

  it('short text: a formula with or without "=", any spacing, case or separator', () => {
    const name = q({ type: 'short-text', accept: ['AVERAGE'], formula: true })
    for (const right of ['AVERAGE', 'average', '=AVERAGE', '=AVERAGE(D2:D6)', 'AVERAGE(D2:D6)', '= average( d2:d6 )', 'AVERAGE()']) {
      expect(checkAnswer(name, [right]).verdict, right).toBe('correct')
    }
    for (const wrong of ['SUM', '=SUM(D2:D6)', 'AVERAGEIF(D2:D6,">0")', 'AVERAGE(D2:D6']) expect(checkAnswer(name, [wrong]).verdict, wrong).toBe('incorrect')
    const formula = q({ type: 'short-text', accept: ['=SUM(D2:D6)'], formula: true })
    expect(checkAnswer(formula, ['sum(d2;d6)'.replace(';', ':')]).verdict).toBe('correct')
    expect(checkAnswer(formula, ['=IF(A1>0;1;0)']).verdict).toBe('incorrect')
    expect(checkAnswer(q({ type: 'short-text', accept: ['=IF(A1>0,1,0)'], formula: true }), ['=IF(A1>0;1;0)']).verdict).toBe('correct')
  })

  it('matching: one choice per left item, in order', () => {
    expect(checkAnswer(matching('all-or-nothing'), ['ă', 'đ', 'ơ']).verdict).toBe('correct')
    expect(checkAnswer(matching('all-or-nothing'), ['ă', 'ơ', 'đ']).verdict).toBe('incorrect')
    expect(checkAnswer(matching('partial'), ['ă', 'ơ', 'đ']).verdict).toBe('partial')
    expect(() => checkAnswer(matching('partial'), ['ă', ''])).toThrow(BadAnswer)
    expect(() => checkAnswer(matching('partial'), ['ă', 'đ', 'x'])).toThrow('answer.unknownMatch')
  })
})

describe('what the page gets before an answer', () => {
  it('never holds the answer', () => {
    for (const question of [single, multiple('partial'), trueFalse, shortText(true), numeric, matching('partial')]) {
      const shown = JSON.stringify(publicQuestion(question))
      expect(shown).not.toMatch(/correct|answer|accept|tolerance|explanation|Vì vậy/)
    }
    expect(publicQuestion(shortText(true))).toEqual({ id: 'cau', type: 'short-text', prompt: 'Câu hỏi?' })
    expect(JSON.stringify(publicQuestion(numeric))).not.toContain('2.5')
  })

  it('lists matching choices sorted, not in the pairing order', () => {
    expect(publicQuestion(matching('partial'))).toMatchObject({ left: ['aw', 'dd', 'ow'], right: ['ă', 'đ', 'ơ'].sort(new Intl.Collator('vi').compare) })
    const reversed = q({ type: 'matching', pairs: [{ left: 'x', right: 'Trâu' }, { left: 'y', right: 'Bò' }] })
    expect(publicQuestion(reversed).right).toEqual(['Bò', 'Trâu'])
  })
})
