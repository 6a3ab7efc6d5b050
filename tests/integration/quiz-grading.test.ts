// Grading of every question type inside a real attempt on the database: what each answer earns,
// partial credit, all-or-nothing, matching, Vietnamese text typed composed or decomposed, blanks,
// and answers that do not fit the question (refused, nothing stored).
import fs from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { drawValues } from '~/modules/content/formula'
import { setContentStore } from '~/modules/content/service.server'
import { startAttempt, submitAttempt } from '~/modules/quiz/attempt.server'
import type { Draw } from '~/modules/quiz/grading.server'
import { startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

const QUESTIONS = `- id: nhieu-tung-phan
  type: multiple
  scoring: partial
  prompt: Những việc nào giữ tài khoản an toàn?
  options:
    - text: Dùng mật khẩu dài
      correct: true
    - text: Bật xác thực hai lớp
      correct: true
    - text: Đọc mã OTP cho người gọi điện
    - text: Dùng chung mật khẩu cho mọi trang
  explanation: Mật khẩu dài và xác thực hai lớp.
- id: nhieu-tron-cau
  type: multiple
  prompt: Những tệp nào là bảng tính?
  options:
    - text: bao-cao.xlsx
      correct: true
    - text: danh-sach.ods
      correct: true
    - text: thu-moi.docx
  explanation: xlsx và ods là bảng tính.
- id: ghep-tung-phan
  type: matching
  scoring: partial
  prompt: Ghép kiểu gõ Telex với chữ.
  pairs:
    - left: aw
      right: ă
    - left: ow
      right: ơ
    - left: dd
      right: đ
  explanation: Telex.
- id: ghep-tron-cau
  type: matching
  prompt: Ghép phần mở rộng với loại tệp.
  pairs:
    - left: .docx
      right: văn bản
    - left: .pptx
      right: trình chiếu
  explanation: Phần mở rộng cho biết loại tệp.
- id: chu-co-dau
  type: short-text
  prompt: Chợ phiên nổi tiếng của Lào Cai họp ở đâu?
  accept: [Bắc Hà]
  explanation: Chợ phiên Bắc Hà.
- id: tien-lai
  type: numeric
  prompt: Thu 4.500.000 đồng, chi 1.800.000 đồng. Lãi bao nhiêu nghìn đồng?
  answer: 2700
  unit: nghìn đồng
  alsoAccept:
    - unit: đồng
      factor: 0.001
  explanation: Lãi bằng thu trừ chi.
- id: lai-rut
  type: numeric-drawn
  prompt: Bán {hop} hộp, mỗi hộp {gia} đồng. Thu bao nhiêu đồng?
  variables:
    hop: { min: 2, max: 9 }
    gia: { min: 150000, max: 300000, step: 10000 }
  answer: hop * gia
  unit: đồng
  explanation: CONG-THUC-AN số hộp nhân giá.
- id: mot-lua-chon
  type: single
  prompt: Đơn vị nào lớn nhất?
  options:
    - text: KB
    - text: GB
      correct: true
  explanation: GB lớn nhất.
`

const FINAL = `draw:
  - questions: [nhieu-tung-phan, nhieu-tron-cau, ghep-tung-phan, ghep-tron-cau, chu-co-dau, tien-lai, lai-rut, mot-lua-chon]
attemptsAllowed: unlimited
showAnswers: after-each-attempt
`

let server: TestServer
const dirs: string[] = []
let userId: string

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma, {
    'courses/khoa-thu/questions/cuoi-khoa.yaml': QUESTIONS,
    'courses/khoa-thu/final-quiz.yaml': FINAL,
  })
  dirs.push(contentDir, cacheDir)
  userId = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
  const course = await server.t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
  await server.t.db.prisma.enrolment.create({ data: { userId, courseId: course.id } })
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const db = () => server.t.db.prisma
let attemptId: string

beforeEach(async () => {
  attemptId = (await startAttempt({ userId, courseSlug: 'khoa-thu' }, db())).attemptId
})

/** Submits one answer (the others left blank) and returns the points it earned and its verdict. */
async function earned(questionId: string, response: string[]) {
  await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId, responses: { [questionId]: response } }, db())
  const answer = await db().quizAnswer.findUniqueOrThrow({ where: { attemptId_questionId: { attemptId, questionId } } })
  return { points: Number(answer.points), correct: answer.correct }
}

describe('multiple choice', () => {
  it('partial credit: all right earns the point, some right half, none or only wrong nothing', async () => {
    expect(await earned('nhieu-tung-phan', ['a', 'b'])).toEqual({ points: 1, correct: true })
  })
  it('partial credit: one of two right answers earns half', async () => {
    expect(await earned('nhieu-tung-phan', ['a'])).toEqual({ points: 0.5, correct: false })
  })
  it('partial credit: a right and a wrong answer together earn half', async () => {
    expect(await earned('nhieu-tung-phan', ['b', 'c'])).toEqual({ points: 0.5, correct: false })
  })
  it('partial credit: only wrong answers earn nothing', async () => {
    expect(await earned('nhieu-tung-phan', ['c', 'd'])).toEqual({ points: 0, correct: false })
  })
  it('all or nothing: anything short of exactly the right set earns nothing', async () => {
    expect(await earned('nhieu-tron-cau', ['a', 'b'])).toEqual({ points: 1, correct: true })
  })
  it('all or nothing: one right answer missing earns nothing', async () => {
    expect(await earned('nhieu-tron-cau', ['a'])).toEqual({ points: 0, correct: false })
  })
  it('all or nothing: an extra wrong option earns nothing', async () => {
    expect(await earned('nhieu-tron-cau', ['a', 'b', 'c'])).toEqual({ points: 0, correct: false })
  })
})

describe('matching', () => {
  it('partial: every pair right earns the point', async () => {
    expect(await earned('ghep-tung-phan', ['ă', 'ơ', 'đ'])).toEqual({ points: 1, correct: true })
  })
  it('partial: some pairs right earn half', async () => {
    expect(await earned('ghep-tung-phan', ['ă', 'đ', 'ơ'])).toEqual({ points: 0.5, correct: false })
  })
  it('all or nothing: one pair wrong earns nothing', async () => {
    expect(await earned('ghep-tron-cau', ['trình chiếu', 'văn bản'])).toEqual({ points: 0, correct: false })
  })
  it('choices sent in decomposed Unicode still match', async () => {
    expect(await earned('ghep-tung-phan', ['ă'.normalize('NFD'), 'ơ'.normalize('NFD'), 'đ'])).toEqual({ points: 1, correct: true })
  })
})

describe('short text and single choice', () => {
  it('Vietnamese typed in decomposed form (NFD) is the same answer', async () => {
    expect(await earned('chu-co-dau', ['Bắc Hà'.normalize('NFD')])).toEqual({ points: 1, correct: true })
  })
  it('case and extra spaces do not matter', async () => {
    expect(await earned('chu-co-dau', ['  BẮC   hà '])).toEqual({ points: 1, correct: true })
  })
  it('without accents it is wrong when the question does not allow it', async () => {
    expect(await earned('chu-co-dau', ['Bac Ha'])).toEqual({ points: 0, correct: false })
  })
  it('a single choice earns its point only for the right option', async () => {
    expect(await earned('mot-lua-chon', ['b'])).toEqual({ points: 1, correct: true })
  })
})

describe('numbers as a Vietnamese reader writes them', () => {
  for (const right of ['2.700', '2 700', '2700', '2.700.000 đồng', '2.700.000']) {
    it(`"${right}" is the right profit in nghìn đồng`, async () => {
      expect(await earned('tien-lai', [right])).toEqual({ points: 1, correct: true })
    })
  }
  it('"2.7" is not 2.700 nghìn đồng', async () => {
    expect(await earned('tien-lai', ['2.7'])).toEqual({ points: 0, correct: false })
  })
})

describe('a drawn numeric question on the attempt page', () => {
  it('shows this attempt’s numbers and an answer field, never the formula or the answer, and grades with them', async () => {
    const browser = new Browser(server.base)
    await browser.signIn('hocvien@banso.example', 'HocVien@2026')
    const html = await (await browser.get(`/courses/khoa-thu/quiz/${attemptId}`)).text()
    const row = await db().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
    const seed = (row.draw as unknown as Draw).questions.find((q) => q.id === 'lai-rut')!.seed!
    const v = drawValues({ hop: { min: 2, max: 9, step: 1 }, gia: { min: 150000, max: 300000, step: 10000 } }, seed)
    const vi = (n: number) => new Intl.NumberFormat('vi').format(n)
    expect(textOf(html)).toContain(`Bán ${v.hop} hộp, mỗi hộp ${vi(v.gia!)} đồng. Thu bao nhiêu đồng?`)
    expect(html).toMatch(/name="q\.lai-rut"[^>]*inputMode="decimal"|inputMode="decimal"[^>]*name="q\.lai-rut"/i)
    expect(html).not.toContain('hop * gia')
    expect(html).not.toContain('CONG-THUC-AN')
    // Another question of khoa-thu says "chi 1.800.000 đồng", which 6 × 300.000 or 9 × 200.000 would equal.
    expect(html.replaceAll('chi 1.800.000 đồng', '')).not.toContain(vi(v.hop! * v.gia!))
    expect(await earned('lai-rut', [vi(v.hop! * v.gia!)])).toEqual({ points: 1, correct: true })
  })
})

describe('blank and bad answers', () => {
  it('a blank answer is allowed and earns nothing', async () => {
    await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId, responses: { 'chu-co-dau': ['   '] } }, db())
    const answers = await db().quizAnswer.findMany({ where: { attemptId } })
    expect(answers.every((a) => Number(a.points) === 0)).toBe(true)
    expect(Number((await db().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).scorePercent)).toBe(0)
  })

  it('an option the question does not have, or a right-hand item it does not have, is refused and nothing is stored', async () => {
    const bad: Record<string, string[]>[] = [
      { 'nhieu-tung-phan': ['a', 'z'] },
      { 'mot-lua-chon': ['a', 'b'] },
      { 'ghep-tron-cau': ['văn bản', 'bảng tính'] },
      { 'khong-co': ['a'] },
    ]
    for (const responses of bad) {
      await expect(submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId, responses }, db())).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
    expect(await db().quizAnswer.count({ where: { attemptId } })).toBe(0)
    expect((await db().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).status).toBe('OPEN')
    // Leave it submitted so the next test starts a fresh attempt.
    await submitAttempt({ userId, courseSlug: 'khoa-thu', attemptId, responses: {} }, db())
  })
})
