// The real question banks of content/: the answers a reviewer found marked wrong are marked right.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadContent, type ContentTree } from './loader.server'
import { drawQuestions } from '~/modules/quiz/grading.server'
import { checkAnswer, numericAnswerOf, publicQuestion } from './questions.server'
import { formatNumber } from './numbers'

let tree: ContentTree
// Reading and checking every file of content/ takes seconds, more on two busy cores.
beforeAll(() => {
  const result = loadContent(path.resolve('content'))
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.file}: ${p.message}`).join('\n'))
  tree = result.tree
}, 120_000)

const question = (course: string, id: string) => {
  const q = tree.courses.find((c) => c.slug === course)?.questions.get(id)
  if (!q) throw new Error(`no question ${course}/${id}`)
  return q
}

describe('answers of the banks as learners write them', () => {
  it('tinh-lai takes the profit however a Vietnamese reader writes it, and shows it so', () => {
    const q = question('nong-nghiep-so', 'tinh-lai')
    for (const right of ['2700', '2.700', '2 700', '2.700.000', '2.700.000 đồng', '2.700.000đ', '2.700 nghìn đồng', '2,7 triệu']) {
      expect(checkAnswer(q, [right]).verdict, right).toBe('correct')
    }
    expect(checkAnswer(q, ['6.300'])).toMatchObject({ verdict: 'incorrect', correctAnswer: '2.700 nghìn đồng' })
  })

  it('vni-go-d takes "d9" as well as "9"', () => {
    const q = question('tin-hoc-co-ban', 'vni-go-d')
    for (const right of ['9', 'd9', 'D9']) expect(checkAnswer(q, [right]).verdict, right).toBe('correct')
    expect(checkAnswer(q, ['dd']).verdict).toBe('incorrect')
  })

  it('ham-trung-binh takes =AVERAGE(D2:D6) with or without "="', () => {
    const q = question('tin-hoc-co-ban', 'ham-trung-binh')
    for (const right of ['AVERAGE', '=AVERAGE(D2:D6)', 'AVERAGE(D2:D6)', '=average(d2:d6)']) expect(checkAnswer(q, [right]).verdict, right).toBe('correct')
    expect(checkAnswer(q, ['=SUM(D2:D6)']).verdict).toBe('incorrect')
  })
})

describe('the final quizzes of the banks', () => {
  it('the citizens’ quiz of dich-vu-cong-truc-tuyen never draws from the officials’ lessons 07, 09, 10', () => {
    const course = tree.courses.find((c) => c.slug === 'dich-vu-cong-truc-tuyen')!
    const officialsLessons = ['tiep-nhan-xu-ly-ho-so-truc-tuyen', 'chu-ky-so-cho-can-bo', 'he-thong-van-ban-va-mot-cua-cua-tinh']
    const citizensLessons = [
      'dich-vu-cong-la-gi',
      'tai-khoan-vneid',
      'tim-thu-tuc-va-nop-ho-so',
      'thanh-toan-theo-doi-nhan-ket-qua',
      'cong-dich-vu-cong-lao-cai',
      'an-toan-khi-dung-dich-vu-cong',
      'khai-sinh-cho-con-tren-mang',
    ]
    // Every lesson of the course is either one of these: a new lesson must be placed on one side.
    expect([...officialsLessons, ...citizensLessons].sort()).toEqual(course.lessons.map((l) => l.slug).sort())
    for (const lesson of officialsLessons) {
      expect([...course.questions.values()].filter((q) => q.lesson === lesson).length, lesson).toBeGreaterThan(0)
    }
    for (let run = 0; run < 30; run++) {
      const lessons = drawQuestions(course.finalQuiz!, course.questions).questions.map((q) => course.questions.get(q.id)!.lesson)
      expect(lessons.filter((l) => officialsLessons.includes(l!))).toEqual([])
      for (const lesson of citizensLessons) expect(lessons.filter((l) => l === lesson), lesson).toHaveLength(2)
      expect(lessons).toHaveLength(14)
    }
  })

  it('the final quiz of tin-hoc-co-ban draws 3 questions of each IU module and 2 of the AI-tools lesson', () => {
    const course = tree.courses.find((c) => c.slug === 'tin-hoc-co-ban')!
    const aiLesson = 'dung-cong-cu-ai-co-trach-nhiem'
    for (let run = 0; run < 30; run++) {
      const drawn = drawQuestions(course.finalQuiz!, course.questions).questions.map((q) => course.questions.get(q.id)!)
      expect(drawn).toHaveLength(20)
      expect(drawn.filter((q) => q.lesson === aiLesson)).toHaveLength(2)
      for (const code of ['IU01', 'IU02', 'IU03', 'IU04', 'IU05', 'IU06']) expect(drawn.filter((q) => q.standards.includes(code)), code).toHaveLength(3)
    }
  })
})

describe('the drawn numeric questions of the banks', () => {
  it('show every number and take their own answer written the Vietnamese way, for many seeds', () => {
    const drawn = tree.courses.flatMap((c) => [...c.questions.values()]).filter((q) => q.type === 'numeric-drawn')
    expect(drawn.length).toBeGreaterThanOrEqual(5)
    for (const q of drawn) {
      if (q.type !== 'numeric-drawn') continue
      for (let seed = 1; seed <= 25; seed++) {
        const prompt = publicQuestion(q, seed).prompt
        expect(prompt, q.id).not.toMatch(/[{}]/)
        const answer = numericAnswerOf(q, seed)
        expect(checkAnswer(q, [formatNumber(answer)], seed).verdict, `${q.id} seed ${seed}`).toBe('correct')
        expect(checkAnswer(q, [formatNumber(answer + 1000)], seed).verdict, `${q.id} seed ${seed}`).toBe('incorrect')
      }
    }
  })
})
