// The learning flows with JavaScript off, on the sample course: enrol, mark every lesson done, pass
// the final quiz (drawn at random: the test reads the question bank to know the answers, as only a
// test may), see the course completed; and fail, retry, pass. Each test signs up its own learner.
import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { parse } from 'yaml'
import { expectNoSeriousA11yViolations } from './axe'

const COURSE = '/courses/lam-quen-ban-so'
const LESSONS = ['hoc-tren-ban-so', 'mat-khau-manh', 'go-tieng-viet']
const PASSWORD = 'Ruộng bậc thang Mù Cang Chải'

interface BankQuestion {
  id: string
  type: 'single' | 'multiple' | 'true-false' | 'short-text' | 'numeric' | 'matching'
  prompt: string
  options?: { text: string; correct?: boolean }[]
  answer?: boolean | number
  accept?: string[]
  pairs?: { left: string; right: string }[]
}

const bankDir = path.resolve('content/courses/lam-quen-ban-so/questions')
const BANK: BankQuestion[] = fs
  .readdirSync(bankDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parse(fs.readFileSync(path.join(bankDir, f), 'utf8')) as BankQuestion[])

async function signUp(page: Page) {
  await page.goto('/signup')
  await page.getByLabel('Họ và tên').fill('Giàng Thị Mai')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(`hoc.quiz.${Date.now()}.${Math.floor(Math.random() * 1e6)}@banso.example`)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
  await page.getByLabel('Người dân, nông dân').check()
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
}

/** Answers one question of the attempt page, right or (on purpose) wrong. */
async function answer(fieldset: Locator, right: boolean) {
  const legend = (await fieldset.locator('legend').innerText()).replace(/^Câu \d+\/\d+\s*/, '').trim()
  const q = BANK.find((b) => b.prompt.trim() === legend)
  expect(q, `question "${legend}" in the bank`).toBeDefined()
  switch (q!.type) {
    case 'single':
    case 'multiple': {
      const pick = q!.options!.filter((o) => (right ? o.correct : !o.correct)).slice(0, q!.type === 'single' ? 1 : undefined)
      for (const o of pick) await fieldset.getByLabel(o.text, { exact: true }).check()
      break
    }
    case 'true-false':
      await fieldset.getByLabel((q!.answer === true) === right ? 'Đúng' : 'Sai', { exact: true }).check()
      break
    case 'numeric':
      await fieldset.getByRole('textbox').fill(right ? String(q!.answer).replace('.', ',') : '999999')
      break
    case 'short-text':
      await fieldset.getByRole('textbox').fill(right ? q!.accept![0]! : 'không biết')
      break
    case 'matching': {
      const selects = fieldset.getByRole('combobox')
      for (let i = 0; i < q!.pairs!.length; i++) {
        const pair = q!.pairs![i]!
        const other = q!.pairs!.find((p) => p.right !== pair.right)!
        await selects.nth(i).selectOption({ label: right ? pair.right : other.right })
      }
      break
    }
  }
}

async function takeQuiz(page: Page, right: boolean, { axe = false } = {}) {
  await page.goto(`${COURSE}/quiz`)
  await page.getByRole('button', { name: /Bắt đầu làm bài|Làm lại/ }).click()
  await expect(page).toHaveURL(/\/quiz\/[0-9a-f-]{36}$/)
  const questions = page.locator('form.quiz-form fieldset')
  await expect(questions).toHaveCount(6)
  if (axe) await expectNoSeriousA11yViolations(page)
  for (let i = 0; i < 6; i++) await answer(questions.nth(i), right)
  await page.getByRole('button', { name: 'Nộp bài' }).click()
  await expect(page.getByTestId('quiz-result')).toContainText(right ? 'Chúc mừng, bạn đã đạt' : 'Bạn chưa đạt')
}

test.describe('learning without JavaScript', () => {
  test.use({ javaScriptEnabled: false })
  // Many pages and several axe runs on a shared 2-core machine.
  test.describe.configure({ timeout: 180_000 })

  test('a learner enrols, does every lesson, passes the final quiz and completes the course', async ({ page }) => {
    const scripts: string[] = []
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url())
    })
    await signUp(page)
    await page.goto(COURSE)
    await page.getByRole('button', { name: 'Đăng ký học khoá này' }).click()
    await expect(page.getByText('Bạn đã đăng ký khoá này.')).toBeVisible()
    await expect(page.getByText('Đã học 0/3 bài')).toBeVisible()

    for (const lesson of LESSONS) {
      await page.goto(`${COURSE}/${lesson}`)
      await page.getByRole('button', { name: 'Đánh dấu đã học xong bài này' }).click()
      await expect(page.getByText('Bạn đã học xong bài này.')).toBeVisible()
    }
    await page.goto('/learning')
    await expect(page.getByTestId('my-courses')).toContainText('Đã học 3/3 bài')

    await takeQuiz(page, true)
    await expect(page.getByText('Điểm của bạn: 100%')).toBeVisible()

    await page.goto(COURSE)
    await expect(page.getByText(/Bạn đã hoàn thành khoá học này ngày/)).toBeVisible()
    await page.goto('/learning')
    await expect(page.getByTestId('my-courses')).toContainText('Hoàn thành ngày')
    expect(scripts).toEqual([])
  })

  test('a learner fails the quiz, sees the review, retries and passes', async ({ page }) => {
    await signUp(page)
    await page.goto(COURSE)
    await page.getByRole('button', { name: 'Đăng ký học khoá này' }).click()
    await takeQuiz(page, false)
    await expect(page.getByText('Điểm của bạn: 0%')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Xem lại bài làm' })).toBeVisible()
    await page.getByRole('link', { name: 'Về trang bài kiểm tra' }).click()
    await expect(page.getByText('Bạn còn 2 lượt.')).toBeVisible()
    await takeQuiz(page, true)
    await page.goto(`${COURSE}/quiz`)
    await expect(page.getByTestId('attempts')).toContainText('Lần 1')
    await expect(page.getByTestId('attempts')).toContainText('Lần 2')
    // Passed, but the lessons are not done: not completed yet.
    await expect(page.getByText('Học xong tất cả các bài để hoàn thành khoá học (đã học 0/3).')).toBeVisible()
  })
})

// axe runs in the page, so it needs JavaScript; the pages themselves still ship none.
test('My learning, the quiz, an attempt and its result have no serious accessibility violation', async ({ page }) => {
  test.slow()
  await signUp(page)
  await page.goto(COURSE)
  await page.getByRole('button', { name: 'Đăng ký học khoá này' }).click()
  await page.goto('/learning')
  await expectNoSeriousA11yViolations(page)
  await page.goto(`${COURSE}/quiz`)
  await expectNoSeriousA11yViolations(page)
  await takeQuiz(page, false, { axe: true })
  await expectNoSeriousA11yViolations(page)
})
