import { describe, expect, it } from 'vitest'
import { withOptionIds, type Question } from '~/modules/content/questions.server'
import { FinalQuiz, Question as QuestionSchema } from '~/modules/content/schema'
import { drawQuestions } from './grading.server'

const bank = new Map<string, Question>()
for (let i = 1; i <= 6; i++) {
  const q = QuestionSchema.parse({
    id: `cau-${i}`,
    type: 'single',
    standards: [i <= 3 ? 'IU01' : 'IU02'],
    lesson: i % 2 ? 'bai-le' : 'bai-chan',
    prompt: `Câu ${i}?`,
    explanation: 'Giải thích.',
    options: [{ text: 'A', correct: true }, { text: 'B' }, { text: 'C' }],
  })
  bank.set(q.id, { ...withOptionIds(q), file: 'x.yaml' })
}

describe('drawing an attempt', () => {
  it('follows every rule, never draws a question twice, and stores ids only', () => {
    const quiz = FinalQuiz.parse({ draw: [{ questions: ['cau-1'] }, { standard: 'IU01', count: 2 }, { lesson: 'bai-chan', count: 2 }] })
    for (let run = 0; run < 50; run++) {
      const draw = drawQuestions(quiz, bank)
      const ids = draw.questions.map((q) => q.id)
      expect(new Set(ids).size).toBe(5)
      expect(ids).toContain('cau-1')
      expect(ids.filter((id) => ['cau-1', 'cau-2', 'cau-3'].includes(id))).toHaveLength(3)
      for (const q of draw.questions) {
        expect(Object.keys(q).sort()).toEqual(['id', 'options'])
        expect([...q.options!].sort()).toEqual(['a', 'b', 'c'])
      }
      expect(JSON.stringify(draw)).not.toMatch(/correct|Giải thích/)
    }
  })

  it('keeps the author’s order when shuffle is off', () => {
    const quiz = FinalQuiz.parse({ draw: [{ questions: ['cau-4', 'cau-2', 'cau-6'] }], shuffle: false })
    const draw = drawQuestions(quiz, bank)
    expect(draw.questions.map((q) => q.id)).toEqual(['cau-4', 'cau-2', 'cau-6'])
    expect(draw.questions[0]!.options).toEqual(['a', 'b', 'c'])
  })
})
