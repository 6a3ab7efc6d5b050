// content/standards/*.yaml: every sub-area of a standard a course claims must have a lesson and a
// question; a sub-area waiting for its lesson (pending) is a warning; the map must name real lessons
// and questions, and a course listing every module must claim the standard.
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { writeContentFixture } from '../../../tests/setup/content-fixture'
import { loadContent } from './loader.server'

const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

const EXTRA_QUESTION = `- id: cau-iu01
  type: true-false
  lesson: bai-mot
  standards: [IU01]
  prompt: RAM mất dữ liệu khi tắt máy?
  answer: true
  explanation: RAM là bộ nhớ tạm.
`

const standard = (over: { iu01Questions?: string; pending?: string; courses?: string; iu06Lesson?: string } = {}) => `id: chuan-thu
title: Chuẩn thử
source: Thông tư thử
courses: ${over.courses ?? '[khoa-thu]'}
modules:
  - code: IU01
    title: Mô-đun một
    areas:
      - code: IU01.1
        title: Mục một
${over.pending ? `        pending: ${over.pending}\n` : ''}        coverage:
          khoa-thu:
            lessons: [bai-mot]
            questions: ${over.iu01Questions ?? '[cau-iu01]'}
  - code: IU06
    title: Mô-đun sáu
    areas:
      - code: IU06.1
        title: Mục sáu
        coverage:
          khoa-thu:
            lessons: [${over.iu06Lesson ?? 'bai-hai'}]
            questions: [cau-mot]
`

function load(files: Record<string, string>) {
  const root = writeContentFixture({ 'courses/khoa-thu/questions/them.yaml': EXTRA_QUESTION, ...files })
  made.push(root)
  return loadContent(root, root)
}
const messages = (r: ReturnType<typeof load>) => (r.ok ? [] : r.problems.map((p) => `${p.file}: ${p.message}`))

describe('standard coverage', () => {
  it('accepts a map where every claimed sub-area has a lesson and a question', () => {
    const result = load({ 'standards/chuan-thu.yaml': standard() })
    expect(messages(result)).toEqual([])
    expect(result.ok && result.tree.standards.map((s) => s.id)).toEqual(['chuan-thu'])
    expect(result.ok && result.tree.warnings).toEqual([])
  })

  it('refuses a claimed sub-area with no question, and only warns when it is pending', () => {
    expect(messages(load({ 'standards/chuan-thu.yaml': standard({ iu01Questions: '[]' }) })).join('\n')).toMatch(/standards\/chuan-thu\.yaml: khoá khoa-thu nhận đáp ứng Chuẩn thử nhưng mục IU01\.1 \(Mục một\) chưa có câu hỏi/)
    const pending = load({ 'standards/chuan-thu.yaml': standard({ iu01Questions: '[]', pending: 'bài đang viết' }) })
    expect(messages(pending)).toEqual([])
    expect(pending.ok && pending.tree.warnings.map((w) => w.message).join()).toMatch(/IU01\.1.*đang chờ: bài đang viết/)
    // The question tagged IU01 is now in no sub-area: the map is out of date (a warning).
    expect(pending.ok && pending.tree.warnings.map((w) => w.message).join()).toMatch(/câu "cau-iu01".*chưa được xếp vào mục nào/)
  })

  it('refuses lessons and questions that do not exist, or a question of another module', () => {
    expect(messages(load({ 'standards/chuan-thu.yaml': standard({ iu06Lesson: 'bai-ba' }) })).join()).toMatch(/khoá khoa-thu không có bài "bai-ba"/)
    expect(messages(load({ 'standards/chuan-thu.yaml': standard({ iu01Questions: '[khong-co]' }) })).join()).toMatch(/không có câu "khong-co"/)
    expect(messages(load({ 'standards/chuan-thu.yaml': standard({ iu01Questions: '[cau-mot]' }) })).join()).toMatch(/câu "cau-mot" không ghi mã IU01/)
  })

  it('refuses a course that lists every module of the standard without claiming it', () => {
    expect(messages(load({ 'standards/chuan-thu.yaml': standard({ courses: '[]' }) })).join()).toMatch(/khoá khoa-thu ghi đủ IU01, IU06 nhưng không có trong courses/)
  })
})

describe('estimated hours', () => {
  it('warns when a course is announced as quicker than its lessons and final quiz', () => {
    const fine = load({})
    expect(fine.ok && fine.tree.warnings).toEqual([])
    // 0.5 h announced; the fixture's lessons take 10 + 12 minutes, and a 60-minute final quiz is added.
    const quizFile = 'courses/khoa-thu/final-quiz.yaml'
    const long = load({ [quizFile]: 'draw:\n  - questions: [cau-mot]\ntimeLimitMinutes: 60\n' })
    expect(long.ok && long.tree.warnings.map((w) => `${w.field}: ${w.message}`).join()).toMatch(/estimatedHours: 0,5 giờ, ít hơn .* \(82 phút, khoảng 1,5 giờ\)/)
  })
})
