import { describe, expect, it } from 'vitest'
import { drawValues, evaluate, fillPrompt, parseFormula } from './formula'
import { answerProblems, checkAnswer, publicQuestion, withOptionIds, type Question } from './questions.server'
import { Question as QuestionSchema } from './schema'

const drawn = (raw: Record<string, unknown> = {}) => {
  const parsed = QuestionSchema.parse({
    id: 'lai',
    type: 'numeric-drawn',
    prompt: 'Thu {thu} đồng, chi {chi} đồng. Lãi bao nhiêu đồng?',
    variables: { thu: { min: 3000000, max: 6000000, step: 100000 }, chi: { min: 500000, max: 2000000, step: 100000 } },
    answer: 'thu - chi',
    unit: 'đồng',
    explanation: 'Lãi = thu − chi.',
    ...raw,
  })
  return { question: { ...withOptionIds(parsed), file: 'x.yaml' } as Question, parsed }
}

describe('answer formulas', () => {
  it('follow the usual order of operations, with round, min, max and abs', () => {
    const v = { a: 12, b: 5 }
    expect(evaluate(parseFormula('a * b + a'), v)).toBe(72)
    expect(evaluate(parseFormula('(a + b) * 2'), v)).toBe(34)
    expect(evaluate(parseFormula('round(a / b, 1)'), v)).toBe(2.4)
    expect(evaluate(parseFormula('round(2.5)'), v)).toBe(3)
    expect(evaluate(parseFormula('max(a, b, 20) - min(a, b)'), v)).toBe(15)
    expect(evaluate(parseFormula('abs(b - a)'), v)).toBe(7)
    expect(evaluate(parseFormula('-a + 2'), v)).toBe(-10)
  })

  it('refuse anything else, with a message for the author', () => {
    expect(() => parseFormula('a +')).toThrow('công thức bị cụt')
    expect(() => parseFormula('process.exit(1)')).toThrow()
    expect(() => parseFormula('sqrt(a)')).toThrow('hàm "sqrt" không dùng được')
    expect(() => parseFormula('(a + b')).toThrow('thiếu ")"')
    expect(() => evaluate(parseFormula('a / (b - 5)'), { a: 1, b: 5 })).toThrow('chia cho 0')
  })
})

describe('a drawn numeric question', () => {
  it('gives the same numbers for the same seed, other numbers for other seeds, all on the steps', () => {
    const { parsed } = drawn()
    if (parsed.type !== 'numeric-drawn') throw new Error()
    expect(drawValues(parsed.variables, 7)).toEqual(drawValues(parsed.variables, 7))
    const seen = new Set<string>()
    for (let seed = 0; seed < 50; seed++) {
      const v = drawValues(parsed.variables, seed)
      expect(v.thu! % 100000).toBe(0)
      expect(v.thu).toBeGreaterThanOrEqual(3000000)
      expect(v.thu).toBeLessThanOrEqual(6000000)
      seen.add(JSON.stringify(v))
    }
    expect(seen.size).toBeGreaterThan(30)
    expect(drawValues({ x: { min: 0.1, max: 0.9, step: 0.1 } }, 3).x!.toString()).toMatch(/^0\.\d$/)
  })

  it('shows the numbers of its seed and is graded with them, never holding the answer', () => {
    const { question, parsed } = drawn()
    if (parsed.type !== 'numeric-drawn') throw new Error()
    const values = drawValues(parsed.variables, 42)
    const profit = values.thu! - values.chi!
    const shown = publicQuestion(question, 42)
    expect(shown.prompt).toBe(fillPrompt(parsed.prompt, values))
    expect(shown.prompt).toContain(new Intl.NumberFormat('vi').format(values.thu!))
    expect(JSON.stringify(shown)).not.toMatch(/thu - chi|variables|Lãi =/)
    expect(checkAnswer(question, [new Intl.NumberFormat('vi').format(profit)], 42)).toMatchObject({ verdict: 'correct', correctAnswer: `${new Intl.NumberFormat('vi').format(profit)} đồng` })
    expect(checkAnswer(question, [String(profit + 100000)], 42).verdict).toBe('incorrect')
  })

  it('content:check finds formulas, prompts and ranges that cannot work', () => {
    const problems = (raw: Record<string, unknown>) => answerProblems(drawn(raw).parsed).map((p) => p.message).join(' | ')
    expect(problems({})).toBe('')
    expect(problems({ answer: 'thu - phi' })).toMatch(/biến "phi" chưa được khai báo/)
    expect(problems({ prompt: 'Thu {thu} đồng. Lãi?' })).toMatch(/không hiện biến \{chi\}/)
    expect(problems({ prompt: 'Thu {thu}, chi {chi}, thuế {thue}?' })).toMatch(/\{thue\} không có trong variables/)
    expect(problems({ variables: { thu: { min: 1, max: 2 }, chi: { min: 0, max: 0 } } })).toMatch(/chỉ có 2 bộ số/)
    expect(problems({ answer: 'thu / (chi - chi)' })).toMatch(/chia cho 0/)
    expect(problems({ variables: { thu: { min: 5, max: 1 }, chi: { min: 0, max: 9 } } })).toMatch(/min lớn hơn max/)
  })
})
