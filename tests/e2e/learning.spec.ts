// The learning flows with JavaScript off, on the sample course: enrol, mark every lesson done, pass
// the final quiz (drawn at random: the test reads the question bank to know the answers, as only a
// test may), see the course completed; and fail, retry, pass. Each test signs up its own learner.
import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'
import { COURSE, LESSONS, signUp, takeQuiz } from './learner'

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
