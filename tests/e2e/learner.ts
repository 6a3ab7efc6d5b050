// What a learner does in the browser tests, on the sample course: sign up, answer the final quiz
// (drawn at random: the test reads the question bank to know the answers, as only a test may).
import fs from 'node:fs'
import path from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { parse } from 'yaml'
import { expectNoSeriousA11yViolations } from './axe'

export const COURSE = '/courses/lam-quen-ban-so'
export const LESSONS = ['hoc-tren-ban-so', 'mat-khau-manh', 'go-tieng-viet']
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

/** How many questions an attempt of the sample course's final quiz shows (its draw rules). */
const QUIZ = parse(fs.readFileSync(path.resolve('content/courses/lam-quen-ban-so/final-quiz.yaml'), 'utf8')) as { draw: { count?: number; questions?: string[] }[] }
const QUIZ_SIZE = QUIZ.draw.reduce((n, rule) => n + (rule.questions?.length ?? rule.count ?? 0), 0)

export async function signUp(page: Page, fullName = 'Giàng Thị Mai') {
  await page.goto('/signup')
  await page.getByLabel('Họ và tên').fill(fullName)
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

export async function takeQuiz(page: Page, right: boolean, { axe = false } = {}) {
  await page.goto(`${COURSE}/quiz`)
  await page.getByRole('button', { name: /Bắt đầu làm bài|Làm lại/ }).click()
  await expect(page).toHaveURL(/\/quiz\/[0-9a-f-]{36}$/)
  const questions = page.locator('form.quiz-form fieldset')
  await expect(questions).toHaveCount(QUIZ_SIZE)
  if (axe) await expectNoSeriousA11yViolations(page)
  for (let i = 0; i < QUIZ_SIZE; i++) await answer(questions.nth(i), right)
  await page.getByRole('button', { name: 'Nộp bài' }).click()
  await expect(page.getByTestId('quiz-result')).toContainText(right ? 'Chúc mừng, bạn đã đạt' : 'Bạn chưa đạt')
}

/** Enrols, marks every lesson done and passes the final quiz: the course is completed. */
export async function completeCourse(page: Page) {
  await page.goto(COURSE)
  await page.getByRole('button', { name: 'Đăng ký học khoá này' }).click()
  for (const lesson of LESSONS) {
    await page.goto(`${COURSE}/${lesson}`)
    await page.getByRole('button', { name: 'Đánh dấu đã học xong bài này' }).click()
    await expect(page.getByText('Bạn đã học xong bài này.')).toBeVisible()
  }
  await takeQuiz(page, true)
}
