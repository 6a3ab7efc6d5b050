import { describe, expect, it } from 'vitest'
import { bankBiases, biasProblems } from './fairness'
import { withOptionIds, type Question } from './questions.server'
import { Question as QuestionSchema } from './schema'

const q = (raw: Record<string, unknown>, i: number): Question => ({
  ...withOptionIds(QuestionSchema.parse({ id: `cau-${i}`, prompt: 'Câu hỏi?', explanation: 'Vì vậy.', ...raw })),
  file: 'x.yaml',
})
const single = (texts: string[], key: number, i: number) => q({ type: 'single', options: texts.map((text, k) => ({ text, correct: k === key })) }, i)
const tf = (answer: boolean, i: number) => q({ type: 'true-false', answer }, i)

describe('bank biases', () => {
  it('counts the keyed option as longest only when it is longer than every other', () => {
    const bank = [
      single(['Ngắn', 'Đáp án dài nhất ở đây', 'Vừa vừa'], 1, 1), // longest
      single(['Bằng nhau', 'Bằng nhau', 'Ngắn'], 0, 2), // tie: not longest
      single(['Dài hơn đáp án nhiều', 'Đáp án'], 1, 3),
    ]
    expect(bankBiases(bank)).toMatchObject({ single: 3, keyLongest: 1, keyShortest: 1, keyPositions: [1, 2] })
  })

  it('content:check refuses a bank whose key is longest in more than 40 % of single-choice items', () => {
    // The key moves around (so position is not what fails); in `longest` it is the long text.
    const longest = (i: number) => single(['A', 'B', 'C'].map((t, k) => (k === i % 3 ? 'Đáp án rất dài' : t)), i % 3, i)
    // In `fair` the key is neither the longest nor the shortest.
    const fair = (i: number) => {
      const others = ['Ngắn', 'Một lựa chọn dài hơn hẳn đáp án']
      const texts = [0, 1, 2].map((k) => (k === i % 3 ? 'Đáp án vừa phải' : others.shift()!))
      return single(texts, i % 3, i)
    }
    const twoOfFive = [longest(1), longest(2), fair(3), fair(4), fair(5)]
    expect(biasProblems(bankBiases(twoOfFive))).toEqual([])
    const threeOfFive = [longest(1), longest(2), longest(3), fair(4), fair(5)]
    expect(biasProblems(bankBiases(threeOfFive)).join()).toMatch(/dài nhất ở 3\/5 câu/)
    // Nor may it swing to the shortest.
    const shortest = (i: number) => single(['Một lựa chọn dài', 'Lựa chọn khác dài', 'Thêm lựa chọn dài'].map((t, k) => (k === i % 3 ? 'Ngắn' : t)), i % 3, i)
    expect(biasProblems(bankBiases([shortest(1), shortest(2), shortest(3), longest(4), fair(5)])).join()).toMatch(/ngắn nhất ở 3\/5 câu/)
  })

  it('refuses the key in one position in more than half the items, and unbalanced true/false', () => {
    const sameSpot = [1, 2, 3, 4, 5].map((i) => single(['Lựa chọn một', 'Lựa chọn hai', 'Lựa chọn ba'], i < 4 ? 0 : 1, i))
    expect(biasProblems(bankBiases(sameSpot)).join()).toMatch(/vị trí a trong 3\/5/)
    const mostlyFalse = [true, false, false, false, false, false].map(tf)
    expect(biasProblems(bankBiases(mostlyFalse)).join()).toMatch(/“Đúng” ở 1\/6/)
    const balanced = [true, true, false, false, false, true].map(tf)
    expect(biasProblems(bankBiases(balanced))).toEqual([])
  })

  it('says nothing about banks too small for a share to mean anything', () => {
    expect(biasProblems(bankBiases([single(['Sai', 'Đúng'], 1, 1)]))).toEqual([])
    expect(biasProblems(bankBiases([false, false, false].map(tf)))).toEqual([])
  })
})
