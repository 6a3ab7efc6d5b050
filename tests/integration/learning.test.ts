// Enrolment, lesson progress, "My learning", the final quiz and completion, through the real HTTP
// stack with the fixture course (four quiz questions, 25 % each, pass mark 70 %, 10 minutes,
// three attempts). The quiz page never holds an answer; submission is graded once however often
// (or however concurrently) it is posted.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { DEADLINE_GRACE_MS, getAttempt, saveAnswers, startAttempt, submitAttempt } from '~/modules/quiz/attempt.server'
import { formatDateTime } from '~/utils/i18n'
import { EXPLANATION_MARKERS, RIGHT, startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
const COURSE = '/courses/khoa-thu'
const QUIZ = `${COURSE}/quiz`

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const db = () => server.t.db.prisma

async function signedIn(email = 'hocvien@banso.example', password = 'HocVien@2026') {
  const browser = new Browser(server.base)
  const response = await browser.signIn(email, password)
  expect(response.status).toBe(303)
  return browser
}

async function userId(email: string) {
  return (await db().user.findUniqueOrThrow({ where: { email } })).id
}

async function resetLearning() {
  await db().certificate.deleteMany()
  await db().courseCompletion.deleteMany()
  await db().quizAnswer.deleteMany()
  await db().quizAttempt.deleteMany()
  await db().lessonProgress.deleteMany()
  await db().enrolment.deleteMany()
}

/** Posts the attempt form with the submit button. */
const submit = (browser: Browser, path: string, fields: Record<string, string>) => browser.post(path, { ...fields, intent: 'submit' })

/** Starts an attempt through the page and returns its path. */
async function start(browser: Browser): Promise<string> {
  const response = await browser.post(QUIZ, {})
  expect(response.status).toBe(302)
  const location = response.headers.get('location')!
  expect(location).toMatch(/^\/courses\/khoa-thu\/quiz\/[0-9a-f-]{36}$/)
  return location
}

describe('enrolment and progress', () => {
  beforeAll(resetLearning)

  it('asks a visitor to sign in, and enrols a signed-in person once however often they post', async () => {
    const visitor = new Browser(server.base)
    expect(textOf(await (await visitor.get(COURSE)).text())).toContain('Đăng nhập để đăng ký học')
    const refused = await visitor.post(COURSE, { intent: 'enrol' })
    expect(refused.status).toBe(302)
    expect(refused.headers.get('location')).toMatch(/^\/login\?redirectTo=/)

    const browser = await signedIn()
    expect(textOf(await (await browser.get(COURSE)).text())).toContain('Đăng ký học khoá này')
    const responses = await Promise.all([1, 2, 3].map(() => browser.post(COURSE, { intent: 'enrol' })))
    for (const r of responses) expect(r.status).toBe(302)
    expect(await db().enrolment.count({ where: { userId: await userId('hocvien@banso.example') } })).toBe(1)
    const page = textOf(await (await browser.get(COURSE)).text())
    expect(page).toContain('Bạn đã đăng ký khoá này.')
    expect(page).toContain('Đã học 0/2 bài')
  })

  it('marks a lesson done (twice is once), shows it on the lesson, the course and My learning, and undoes it', async () => {
    const browser = await signedIn()
    for (let i = 0; i < 2; i++) {
      const r = await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
      expect(r.status).toBe(302)
    }
    expect(await db().lessonProgress.count()).toBe(1)
    const lesson = await (await browser.get(`${COURSE}/bai-mot`)).text()
    // No Remix scripts: only the small optional "save for offline" script of enrolled learners (ADR 010).
    expect(lesson.match(/<script[^>]*>/g)).toEqual(['<script src="/offline.js" defer="">'])
    expect(textOf(lesson)).toContain('Bạn đã học xong bài này.')
    expect(textOf(await (await browser.get(COURSE)).text())).toContain('Đã học 1/2 bài')

    const my = await browser.get('/learning')
    expect(my.status).toBe(200)
    const myText = textOf(await my.text())
    expect(myText).toContain('Khoá thử nghiệm')
    expect(myText).toContain('Đã học 1/2 bài')
    expect(myText).toContain('Học tiếp: Bài hai')

    await browser.post(`${COURSE}/bai-mot`, { intent: 'undo' })
    expect(await db().lessonProgress.count()).toBe(0)
    await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
  })

  it('shows the due date of a course assigned to the person’s agency or one above it, for their job title', async () => {
    const learner = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' }, select: { agencyId: true, agency: { select: { parentId: true } } } })
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'khoa-thu' } })
    const other = new Date('2027-01-10T03:00:00Z')
    const due = new Date('2027-03-15T03:00:00Z')
    await db().courseAssignment.create({ data: { courseId: course.id, agencyId: learner.agencyId!, jobTitles: ['Chức danh không có'], dueAt: other } })
    await db().courseAssignment.create({ data: { courseId: course.id, agencyId: learner.agency!.parentId ?? learner.agencyId!, dueAt: due } })
    const text = textOf(await (await (await signedIn()).get('/learning')).text())
    expect(text).toContain(`Hạn hoàn thành: ${formatDateTime(due, 'vi', 'short')}`)
    expect(text).not.toContain(formatDateTime(other, 'vi', 'short'))
    await db().courseAssignment.deleteMany()
  })

  it('keeps My learning private and progress per person', async () => {
    expect((await new Browser(server.base).get('/learning')).headers.get('location')).toMatch(/^\/login/)
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    expect(textOf(await (await teacher.get('/learning')).text())).toContain('Bạn chưa đăng ký khoá học nào.')
    expect(await (await teacher.post(`${COURSE}/khong-co`, { intent: 'done' })).status).toBe(404)
  })
})

describe('the final quiz', () => {
  beforeAll(resetLearning)

  it('shows the questions with no answer in the page, and starting twice gives the same attempt', async () => {
    const browser = await signedIn()
    const path = await start(browser)
    expect(await start(browser)).toBe(path)
    const response = await browser.get(path)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).not.toMatch(/<script/)
    for (const prompt of ['Câu hỏi thử?', 'Mật khẩu mạnh nên dài ít nhất 12 ký tự?', 'Một GB bằng bao nhiêu MB']) expect(html).toContain(prompt)
    // No answer, explanation or grading hint anywhere in what the server sent.
    for (const marker of EXPLANATION_MARKERS) expect(html).not.toContain(marker)
    expect(html).not.toMatch(/correct|1024|mật khẩu<|accept/i)
    expect(html).not.toMatch(/check-(correct|incorrect|partial)/)
    // Nor in the route's data as a client-side navigation would fetch it.
    const dataResponse = await browser.get(`${path}.data`)
    expect(dataResponse.status).toBe(200)
    const data = await dataResponse.text()
    expect(data).toContain('Mật khẩu mạnh nên dài ít nhất 12 ký tự?')
    for (const marker of EXPLANATION_MARKERS) expect(data).not.toContain(marker)
    expect(data).not.toMatch(/"correct"|1024|accept|explanation/)
  })

  it('grades on the server, once: a second or concurrent post changes nothing', async () => {
    const browser = await signedIn()
    const path = await start(browser)
    const wrong = { ...RIGHT, 'q.cau-ba': '1000' } // 3 of 4: 75 %
    // Twenty truly concurrent submissions of one attempt, with different answers: one is graded.
    const bodies = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? wrong : i % 3 === 1 ? RIGHT : {}))
    const responses = await Promise.all(bodies.map((fields) => submit(browser, path, fields)))
    for (const r of responses) expect(r.status).toBe(302)
    expect(responses.filter((r) => !r.headers.get('location')!.endsWith('?da-nop=1'))).toHaveLength(1)
    const attempt = await db().quizAttempt.findFirstOrThrow({ where: { id: path.split('/').pop() }, include: { answers: true } })
    expect(attempt.status).toBe('SUBMITTED')
    expect(attempt.answers).toHaveLength(4)
    const score = Number(attempt.scorePercent)
    expect([75, 100, 0]).toContain(score)
    expect(attempt.passed).toBe(score >= 70)

    const again = await submit(browser, path, RIGHT)
    expect(again.headers.get('location')).toBe(`${path}?da-nop=1`)
    expect(Number((await db().quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).scorePercent)).toBe(score)

    const result = textOf(await (await browser.get(path)).text())
    expect(result).toContain(`Điểm của bạn: ${score}%`)
    expect(result).toContain('GIAI-THICH-BA') // showAnswers: after-each-attempt
  })

  it('grades every type, accepts an answer typed without accents, and a blank counts as wrong', async () => {
    const browser = await signedIn()
    const path = await start(browser)
    await submit(browser, path, { 'q.cau-mot': 'b', 'q.cau-hai': 'true', 'q.cau-bon': 'MAT KHAU'.normalize('NFD') })
    const attempt = await db().quizAttempt.findFirstOrThrow({ where: { id: path.split('/').pop() } })
    expect(Number(attempt.scorePercent)).toBe(75)
    expect(attempt.passed).toBe(true)
  })

  it('saves answers as the learner goes, and answers a bad post with 400, a clear message and nothing changed', async () => {
    const browser = await signedIn()
    const path = await start(browser)
    const id = path.split('/').pop()!
    const saved = await browser.post(path, { intent: 'save', 'q.cau-mot': 'b', 'q.cau-ba': '1 024' })
    expect(saved.headers.get('location')).toBe(`${path}?da-luu=1`)
    const page = await (await browser.get(`${path}?da-luu=1`)).text()
    expect(textOf(page)).toContain('Đã lưu các câu trả lời')
    expect(page).toContain(`name="q.cau-mot" checked="" value="b"`)

    const bad: [Record<string, string>, string][] = [
      [{ 'q.cau-mot': 'z' }, 'Câu hỏi này không có trong câu hỏi'],
      [{ 'q.cau-khac': 'a' }, 'không thuộc bài làm này'],
      [{ 'q.cau-ba': 'mười' }, 'phải là một số'],
    ]
    for (const [fields, message] of bad) {
      for (const intent of ['save', 'submit']) {
        const r = await browser.post(path, { ...fields, intent })
        expect(r.status).toBe(400)
        const text = textOf(await r.text())
        expect(text.replace('Đáp án đã chọn không có trong câu hỏi', 'Câu hỏi này không có trong câu hỏi')).toContain(message)
      }
    }
    browser.cookies.set('lang', 'en')
    const foreign = await browser.post(path, { intent: 'save', 'q.cau-khac': 'a' })
    expect(foreign.status).toBe(400)
    expect(textOf(await foreign.text())).toContain('An answer is for a question that is not in this attempt.')
    browser.cookies.set('lang', 'vi')
    const row = await db().quizAttempt.findUniqueOrThrow({ where: { id }, include: { answers: true } })
    expect(row.status).toBe('OPEN')
    expect(row.answers.map((a) => [a.questionId, a.response]).sort()).toEqual([
      ['cau-ba', ['1 024']],
      ['cau-mot', ['b']],
    ])

    // Submitting posts the whole form: the posted answers win over the saved ones, unposted saved ones count.
    await submit(browser, path, { 'q.cau-hai': 'true', 'q.cau-bon': 'mật khẩu' })
    expect(Number((await db().quizAttempt.findUniqueOrThrow({ where: { id } })).scorePercent)).toBe(100)
    const late = await browser.post(path, { intent: 'save', 'q.cau-mot': 'a' })
    expect(late.status).toBe(409)
    expect(textOf(await late.text())).toContain('đã được nộp; không thể sửa câu trả lời nữa')
    // The same refusals in English for an English reader (domain errors carry keys, issue 14.6).
    browser.cookies.set('lang', 'en')
    const lateEn = textOf(await (await browser.post(path, { intent: 'save', 'q.cau-mot': 'a' })).text())
    expect(lateEn).toContain('This attempt has been submitted; its answers can no longer be changed.')
    expect(lateEn).not.toContain('đã được nộp')
    browser.cookies.set('lang', 'vi')
  })

  it('refuses a fourth attempt, and never shows someone else’s attempt', async () => {
    await resetLearning()
    const browser = await signedIn()
    let path = ''
    for (let i = 0; i < 3; i++) {
      path = await start(browser)
      await submit(browser, path, {})
    }
    const fourth = await browser.post(QUIZ, {})
    expect(fourth.status).toBe(409)
    expect(textOf(await (await browser.get(QUIZ)).text())).toContain('Bạn đã dùng hết số lượt làm bài.')

    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    expect((await teacher.get(path)).status).toBe(404)
    expect((await submit(teacher, path, RIGHT)).status).toBe(404)
    expect((await teacher.get(`${QUIZ}/not-a-uuid`)).status).toBe(404)
  })

  it('lets concurrent starts open one attempt only, within the attempts allowed', async () => {
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const locations = await Promise.all([1, 2, 3, 4, 5].map(async () => (await teacher.post(QUIZ, {})).headers.get('location')))
    expect(new Set(locations).size).toBe(1)
    expect(await db().quizAttempt.count({ where: { userId: await userId('giaovien@banso.example') } })).toBe(1)
  })
})

describe('the time limit', () => {
  beforeAll(resetLearning)

  it('grades answers sent within the limit plus grace, and not those sent later', async () => {
    const user = await userId('hocvien@banso.example')
    const t0 = new Date()
    const answers = { 'cau-mot': ['b'], 'cau-hai': ['true'], 'cau-ba': ['1024'], 'cau-bon': ['mật khẩu'] }
    const first = await startAttempt({ userId: user, courseSlug: 'khoa-thu', now: t0 })
    const inGrace = new Date(t0.getTime() + 10 * 60_000 + DEADLINE_GRACE_MS - 1000)
    expect(await submitAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId: first.attemptId, responses: answers, now: inGrace })).toEqual({ alreadySubmitted: false, late: false })
    expect((await getAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId: first.attemptId })).attempt.scorePercent).toBe(100)

    const second = await startAttempt({ userId: user, courseSlug: 'khoa-thu', now: t0 })
    await saveAnswers({ userId: user, courseSlug: 'khoa-thu', attemptId: second.attemptId, responses: { 'cau-mot': ['b'], 'cau-hai': ['true'] }, now: new Date(t0.getTime() + 5 * 60_000) })
    const late = new Date(t0.getTime() + 10 * 60_000 + DEADLINE_GRACE_MS + 1000)
    await expect(saveAnswers({ userId: user, courseSlug: 'khoa-thu', attemptId: second.attemptId, responses: answers, now: late })).rejects.toThrow('Đã hết giờ')
    // The save after the deadline closed it, graded on what was saved in time: 2 of 4.
    const view = await getAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId: second.attemptId })
    expect(view.attempt.scorePercent).toBe(50)
    expect(view.attempt.passed).toBe(false)

    const third = await startAttempt({ userId: user, courseSlug: 'khoa-thu', now: t0 })
    await saveAnswers({ userId: user, courseSlug: 'khoa-thu', attemptId: third.attemptId, responses: { 'cau-mot': ['b'] }, now: t0 })
    expect(await submitAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId: third.attemptId, responses: answers, now: late })).toEqual({ alreadySubmitted: false, late: true })
    expect((await getAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId: third.attemptId })).attempt.scorePercent).toBe(25)
  })

  it('closes an attempt left open past its deadline when the learner comes back', async () => {
    await resetLearning()
    const user = await userId('hocvien@banso.example')
    const t0 = new Date(Date.now() - 60 * 60_000)
    const { attemptId } = await startAttempt({ userId: user, courseSlug: 'khoa-thu', now: t0 })
    const view = await getAttempt({ userId: user, courseSlug: 'khoa-thu', attemptId })
    expect(view.status).toBe('SUBMITTED')
    expect(view.attempt.scorePercent).toBe(0)
    const row = await db().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
    expect(row.submittedAt?.getTime()).toBe(row.deadlineAt?.getTime())
  })
})

describe('completion', () => {
  beforeAll(resetLearning)

  it('completes the course when every lesson is done and the quiz passed, in either order, once', async () => {
    const browser = await signedIn()
    await browser.post(COURSE, { intent: 'enrol' })
    await browser.post(`${COURSE}/bai-mot`, { intent: 'done' })
    const path = await start(browser)
    await submit(browser, path, RIGHT)
    const enrolment = await db().enrolment.findFirstOrThrow({ where: { userId: await userId('hocvien@banso.example') } })
    expect(enrolment.completedAt).toBeNull()
    expect(await db().courseCompletion.count()).toBe(0)
    expect(textOf(await (await browser.get(QUIZ)).text())).toContain('Học xong tất cả các bài để hoàn thành khoá học (đã học 1/2)')

    await browser.post(`${COURSE}/bai-hai`, { intent: 'done' })
    await browser.post(`${COURSE}/bai-hai`, { intent: 'done' })
    const completed = await db().enrolment.findUniqueOrThrow({ where: { id: enrolment.id }, include: { completions: true } })
    expect(completed.completedAt).not.toBeNull()
    expect(completed.completions).toHaveLength(1)
    expect(completed.completions[0]!.attemptId).toBe(path.split('/').pop())
    expect(textOf(await (await browser.get(COURSE)).text())).toContain('Bạn đã hoàn thành khoá học này')
    const my = textOf(await (await browser.get('/learning')).text())
    expect(my).toContain('Hoàn thành ngày')
    expect(my).toContain('Bài kiểm tra cuối khoá: đạt, điểm cao nhất 100%')

    // Passing again is a renewal: another completion, the first completion date stays.
    const renewal = await start(browser)
    await submit(browser, renewal, RIGHT)
    const after = await db().enrolment.findUniqueOrThrow({ where: { id: enrolment.id }, include: { completions: true } })
    expect(after.completions).toHaveLength(2)
    expect(after.completedAt).toEqual(completed.completedAt)
  })
})
