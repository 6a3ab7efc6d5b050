// The validator: each kind of mistake an author can make is reported with the file, the line when
// known, the field and a plain Vietnamese message. Every case breaks one thing in a valid fixture.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FIXTURE_FILES, writeContentFixture } from '../../../tests/setup/content-fixture'
import { loadContent } from './loader.server'
import type { ContentProblem } from './types'

const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

const COURSE = 'courses/khoa-thu/course.mdx'
const LESSON1 = 'courses/khoa-thu/01-bai-mot/index.mdx'
const LESSON2 = 'courses/khoa-thu/02-bai-hai/index.mdx'
const QUESTIONS = 'courses/khoa-thu/questions/cau-hoi.yaml'

function problemsWith(changes: Record<string, string | null>, extra?: (root: string) => void): { root: string; problems: ContentProblem[] } {
  const root = writeContentFixture(changes)
  made.push(root)
  extra?.(root)
  const result = loadContent(root, root)
  return { root, problems: result.ok ? [] : result.problems }
}

const replace = (file: string, from: string, to: string) => {
  const text = FIXTURE_FILES[file]!
  if (!text.includes(from)) throw new Error(`fixture ${file} has no "${from}"`)
  return { [file]: text.replace(from, to) }
}

describe('content validator', () => {
  it('accepts the valid fixture, with its lessons in order and its question', () => {
    const root = writeContentFixture()
    made.push(root)
    const result = loadContent(root, root)
    expect(result.ok ? [] : result.problems).toEqual([])
    if (!result.ok) return
    const course = result.tree.courses[0]!
    expect(course.slug).toBe('khoa-thu')
    expect(course.lessons.map((l) => [l.position, l.slug])).toEqual([
      [1, 'bai-mot'],
      [2, 'bai-hai'],
    ])
    expect(course.frontmatter.licence).toBe('CC-BY-4.0') // the default
    expect([...course.questions.keys()]).toEqual(['cau-mot'])
    expect(course.lessons[0]!.facts.assets.map((a) => [a.ref, a.kind])).toEqual([['./so-do.svg', 'svg']])
  })

  const cases: { name: string; changes: Record<string, string | null>; extra?: (root: string) => void; expected: Partial<Omit<ContentProblem, 'message'>> & { message: RegExp } }[] = [
    {
      name: 'a frontmatter value out of range',
      changes: replace(COURSE, 'passMark: 70', 'passMark: 150'),
      expected: { file: COURSE, line: 9, field: 'passMark', message: /^không được lớn hơn 100$/ },
    },
    {
      name: 'a missing required field',
      changes: replace(LESSON1, 'summary: Bài học thứ nhất của khoá thử.\n', ''),
      expected: { file: LESSON1, field: 'summary', message: /^bắt buộc phải có$/ },
    },
    {
      name: 'a misspelt field',
      changes: replace(COURSE, 'passMark: 70', 'passMark: 70\npasMark: 70'),
      expected: { file: COURSE, line: 10, field: 'pasMark', message: /trường không được biết: pasMark/ },
    },
    {
      name: 'a value of the wrong type',
      changes: replace(LESSON1, 'minutes: 10', 'minutes: mười'),
      expected: { file: LESSON1, line: 4, field: 'minutes', message: /^phải là số, không phải chữ$/ },
    },
    {
      name: 'an audience that does not exist',
      changes: replace(COURSE, 'audience: [civil-servants]', 'audience: [farmers]'),
      expected: { file: COURSE, line: 4, field: 'audience.0', message: /"farmers" không hợp lệ; chọn một trong: civil-servants, teachers, citizens/ },
    },
    {
      name: 'broken YAML',
      changes: replace(COURSE, 'level: basic', 'level: [basic'),
      expected: { file: COURSE, message: /^YAML sai cú pháp/ },
    },
    {
      name: 'no frontmatter at all',
      changes: { [LESSON2]: '## Câu hỏi\n\nKhông có phần đầu.\n' },
      expected: { file: LESSON2, line: 1, message: /thiếu phần đầu \(frontmatter\)/ },
    },
    {
      name: 'an unknown MDX component',
      changes: replace(LESSON1, '<Callout type="tip">', '<Quiz />\n\n<Callout type="tip">'),
      expected: { file: LESSON1, line: 12, message: /thành phần MDX không được biết: <Quiz>\. Dùng một trong: Callout, Figure, Steps, KeyTerm, Download, CheckYourself/ },
    },
    {
      name: 'a component prop with a bad value',
      changes: replace(LESSON1, '<Callout type="tip">', '<Callout type="danger">'),
      expected: { file: LESSON1, line: 12, field: 'type', message: /<Callout>: "danger" không hợp lệ; chọn một trong: note, tip, warning/ },
    },
    {
      name: 'a component without a required prop',
      changes: replace(LESSON1, ' alt="Sơ đồ thử nghiệm"', ''),
      expected: { file: LESSON1, line: 14, field: 'alt', message: /<Figure>: bắt buộc phải có/ },
    },
    {
      name: 'a missing image in a Figure',
      changes: replace(LESSON1, './so-do.svg', './khong-co.svg'),
      expected: { file: LESSON1, line: 14, field: 'src', message: /không tìm thấy ảnh "\.\/khong-co\.svg" trong courses\/khoa-thu\/01-bai-mot/ },
    },
    {
      name: 'a missing image in Markdown',
      changes: replace(LESSON1, 'Nội dung bài một', '![Ảnh chụp màn hình](./anh.png)\n\nNội dung bài một'),
      expected: { file: LESSON1, line: 10, field: 'src', message: /không tìm thấy ảnh "\.\/anh\.png"/ },
    },
    {
      name: 'an image without a description',
      changes: replace(LESSON1, 'Nội dung bài một', '![](./so-do.svg)\n\nNội dung bài một'),
      expected: { file: LESSON1, line: 10, message: /thiếu mô tả/ },
    },
    {
      name: 'a link to a lesson that does not exist',
      changes: replace(LESSON1, '/courses/khoa-thu/bai-hai', '/courses/khoa-thu/bai-ba'),
      expected: { file: LESSON1, line: 10, message: /liên kết hỏng "\/courses\/khoa-thu\/bai-ba": không có bài học này/ },
    },
    {
      name: 'a link to a course that does not exist',
      changes: replace(LESSON1, '/courses/khoa-thu/bai-hai', '/courses/khoa-khac'),
      expected: { file: LESSON1, line: 10, message: /liên kết hỏng "\/courses\/khoa-khac": không có khoá học này/ },
    },
    {
      name: 'a link to a heading that does not exist',
      changes: replace(LESSON1, '(#phan-dau)', '(#phan-cuoi)'),
      expected: { file: LESSON1, line: 10, message: /liên kết hỏng "#phan-cuoi": không có mục nào có mã này trong bài/ },
    },
    {
      name: 'a link to a file that is not there',
      changes: replace(LESSON1, '(#phan-dau)', '(./bai-tap.docx)'),
      expected: { file: LESSON1, line: 10, field: 'href', message: /không tìm thấy tệp "\.\/bai-tap\.docx"/ },
    },
    {
      name: 'two lessons with the same slug',
      changes: { 'courses/khoa-thu/03-bai-mot/index.mdx': FIXTURE_FILES[LESSON2]!.replace('<CheckYourself question="cau-mot" />', '') },
      expected: { file: 'courses/khoa-thu/03-bai-mot/index.mdx', field: 'slug', message: /hai bài học trùng tên "bai-mot" \(cũng có ở courses\/khoa-thu\/01-bai-mot\/index\.mdx\)/ },
    },
    {
      name: 'two lessons with the same number',
      changes: { 'courses/khoa-thu/02-bai-ba/index.mdx': FIXTURE_FILES[LESSON2]!.replace('<CheckYourself question="cau-mot" />', '') },
      expected: { file: 'courses/khoa-thu/02-bai-hai/index.mdx', message: /hai bài học cùng số thứ tự 02/ },
    },
    {
      name: 'a lesson folder without its number',
      changes: { 'courses/khoa-thu/bai-le/index.mdx': FIXTURE_FILES[LESSON2]! },
      expected: { file: 'courses/khoa-thu/bai-le', message: /thư mục bài học phải có dạng <số hai chữ số>-<tên-bài>/ },
    },
    {
      name: 'two questions with the same id',
      changes: { [QUESTIONS]: FIXTURE_FILES[QUESTIONS]! + '\n' + FIXTURE_FILES[QUESTIONS]! },
      expected: { file: QUESTIONS, line: 12, field: 'id', message: /hai câu hỏi trùng id "cau-mot" \(cũng có ở courses\/khoa-thu\/questions\/cau-hoi\.yaml:1\)/ },
    },
    {
      name: 'a check-yourself question that is not in the bank',
      changes: replace(LESSON2, 'question="cau-mot"', 'question="cau-hai"'),
      expected: { file: LESSON2, line: 10, field: 'question', message: /<CheckYourself>: không có câu hỏi "cau-hai"/ },
    },
    {
      name: 'a question without its explanation',
      changes: replace(QUESTIONS, '  explanation: Vì đó là đáp án đúng.\n', ''),
      expected: { file: QUESTIONS, line: 1, field: '0.explanation', message: /^bắt buộc phải có$/ },
    },
    {
      name: 'a single-choice question with two right answers',
      changes: replace(QUESTIONS, '    - text: Sai\n', '    - text: Sai\n      correct: true\n'),
      expected: { file: QUESTIONS, line: 1, field: '0.options', message: /cần đúng một đáp án correct: true \(đang có 2\)/ },
    },
    {
      name: 'a question type that does not exist',
      changes: replace(QUESTIONS, 'type: single', 'type: essay'),
      expected: { file: QUESTIONS, line: 2, field: '0.type', message: /phải là một trong: single, multiple, true-false, short-text, numeric, numeric-drawn, matching/ },
    },
    {
      name: 'a topic missing from topics.yaml',
      changes: replace(COURSE, 'topic: thu-nghiem', 'topic: nau-an'),
      expected: { file: COURSE, field: 'topic', message: /chủ đề "nau-an" không có trong content\/topics\.yaml/ },
    },
    {
      name: 'a lesson standard code the course does not cover',
      changes: replace(LESSON1, 'standards: [IU01]', 'standards: [IU03]'),
      expected: { file: LESSON1, field: 'standards', message: /mã chuẩn IU03 không có trong standards của khoá/ },
    },
    {
      name: 'code in a lesson',
      changes: replace(LESSON1, '## Phần đầu', "import x from './x.js'\n\n## Phần đầu"),
      expected: { file: LESSON1, line: 8, message: /không dùng import\/export trong bài/ },
    },
    {
      name: 'MDX that does not parse',
      changes: replace(LESSON1, '<Callout type="tip">Mẹo nhỏ.</Callout>', '<Callout type="tip">Mẹo nhỏ.'),
      expected: { file: LESSON1, message: /^MDX sai cú pháp/ },
    },
    {
      name: 'a Step outside Steps',
      changes: replace(LESSON1, '<Callout type="tip">Mẹo nhỏ.</Callout>', '<Step title="Bước lẻ">Làm gì đó.</Step>'),
      expected: { file: LESSON1, line: 12, message: /<Step> chỉ dùng bên trong <Steps>/ },
    },
    {
      name: 'a final quiz asking for more questions than the bank has',
      changes: { 'courses/khoa-thu/final-quiz.yaml': 'draw:\n  - standard: IU06\n    count: 5\n' },
      expected: { file: 'courses/khoa-thu/final-quiz.yaml', line: 3, field: 'draw.0.count', message: /cần rút 5 câu nhưng ngân hàng chỉ có 1 câu mã chuẩn IU06/ },
    },
    {
      name: 'a text that is not in Unicode NFC',
      changes: replace(LESSON1, 'Nội dung bài một', 'Nội dung bài một'.normalize('NFD')),
      expected: { file: LESSON1, message: /không ở dạng Unicode dựng sẵn \(NFC\)/ },
    },
    {
      name: 'a script inside an SVG',
      changes: { 'courses/khoa-thu/01-bai-mot/so-do.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' },
      expected: { file: LESSON1, line: 14, message: /SVG không được chứa script/ },
    },
  ]

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const { problems } = problemsWith(c.changes, c.extra)
      const { message, ...where } = c.expected
      const match = problems.find((p) => message.test(p.message) && Object.entries(where).every(([k, v]) => p[k as keyof ContentProblem] === v))
      expect(match, JSON.stringify(problems, null, 1)).toBeDefined()
    })
  }

  it('reports every problem at once, not just the first', () => {
    const { problems } = problemsWith({ ...replace(COURSE, 'passMark: 70', 'passMark: 0'), ...replace(LESSON1, 'minutes: 10', 'minutes: 0') })
    expect(problems.map((p) => `${p.file}:${p.field}`)).toEqual([`${LESSON1}:minutes`, `${COURSE}:passMark`])
  })

  it('names files relative to the project when they are under it', () => {
    const root = writeContentFixture(replace(COURSE, 'passMark: 70', 'passMark: 150'))
    made.push(root)
    const result = loadContent(root, path.dirname(root))
    expect(result.ok ? [] : result.problems.map((p) => p.file)).toEqual([`${path.basename(root)}/${COURSE}`])
  })
})

describe('self-check questions (self-check.yaml beside a lesson)', () => {
  const SELF = 'courses/khoa-thu/01-bai-mot/self-check.yaml'
  const valid = `- id: tu-kiem-tra-mot
  type: true-false
  prompt: Bài một có một sơ đồ?
  answer: true
  explanation: Bài một có sơ đồ thử nghiệm.
- id: tu-kiem-tra-hai
  type: single
  prompt: Bài hai nói về gì?
  options:
    - text: Câu hỏi
      correct: true
    - text: Bản đồ
  explanation: Bài hai có một câu hỏi.
`

  it('are loaded with the lesson, option ids given, apart from the graded bank', () => {
    const root = writeContentFixture({ [SELF]: valid })
    made.push(root)
    const result = loadContent(root, root)
    expect(result.ok ? [] : result.problems).toEqual([])
    if (!result.ok) return
    const course = result.tree.courses[0]!
    expect(course.lessons[0]!.selfCheck.map((q) => q.id)).toEqual(['tu-kiem-tra-mot', 'tu-kiem-tra-hai'])
    const single = course.lessons[0]!.selfCheck[1]!
    expect(single.type === 'single' && single.options.map((o) => o.id)).toEqual(['a', 'b'])
    expect(course.questions.has('tu-kiem-tra-mot')).toBe(false)
    expect(course.lessons[1]!.selfCheck).toEqual([])
  })

  it('refuse types a page cannot grade by itself, an id of the graded bank, and a missing right answer', () => {
    const { problems } = problemsWith({
      [SELF]: `- id: cau-mot
  type: true-false
  prompt: Trùng id với ngân hàng câu hỏi?
  answer: true
  explanation: Không được trùng.
- id: ghep
  type: short-text
  prompt: Gõ một từ bất kỳ.
  accept: [từ]
  explanation: Không chấm được trên trang.
- id: khong-dung
  type: single
  prompt: Không có đáp án đúng?
  options:
    - text: Một
    - text: Hai
  explanation: Thiếu đáp án đúng.
`,
    })
    const messages = problems.map((p) => `${p.file}:${p.line ?? ''}: ${p.field ?? ''}: ${p.message}`)
    expect(messages.some((m) => m.includes('self-check.yaml:6: 1.type: câu tự kiểm tra chỉ dùng single, multiple, true-false'))).toBe(true)
    expect(messages.some((m) => m.includes('self-check.yaml:1: id: id "cau-mot" đã dùng trong ngân hàng câu hỏi'))).toBe(true)
    expect(messages.some((m) => m.includes('self-check.yaml:11:'))).toBe(true)
    expect(problems).toHaveLength(3)
  })
})
