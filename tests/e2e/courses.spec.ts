import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

const COURSE = '/courses/lam-quen-ban-so'
const LESSON = `${COURSE}/mat-khau-manh`
const EXPLANATION = 'Mật khẩu mạnh dài, có chữ hoa, chữ thường, số'

function recordScripts(page: Page): string[] {
  const scripts: string[] = []
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url())
  })
  return scripts
}

async function answerStrongestPassword(page: Page) {
  const check = page.locator('#tu-kiem-tra-mat-khau-manh-nhat')
  await expect(check).not.toContainText(EXPLANATION)
  await check.getByLabel('Ngựa-Đỏ-Leo-Dốc-47').check()
  await check.getByRole('button', { name: 'Kiểm tra đáp án' }).click()
  const answered = page.locator('#tu-kiem-tra-mat-khau-manh-nhat')
  await expect(answered.getByRole('status')).toContainText('Chính xác!')
  await expect(answered.getByRole('status')).toContainText(EXPLANATION)
  await expect(answered.getByLabel('Ngựa-Đỏ-Leo-Dốc-47')).toBeChecked()
  await expect(page).toHaveURL(/#tu-kiem-tra-mat-khau-manh-nhat$/)
}

test.describe('courses without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the catalogue searches accent-insensitively and filters by audience', async ({ page }) => {
    await page.goto('/courses')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khoá học')
    await page.getByLabel('Tìm trong khoá học và bài học').fill('dich vu cong')
    await page.getByRole('button', { name: 'Tìm' }).click()
    await expect(page).toHaveURL(/q=dich\+vu\+cong/)
    const hits = page.getByTestId('search-hits')
    await expect(hits.getByRole('link', { name: 'Gõ tiếng Việt có dấu với Telex' })).toBeVisible()

    await page.goto('/courses')
    await page.getByLabel('Dành cho').selectOption({ label: 'Giáo viên' })
    await page.getByRole('button', { name: 'Tìm' }).click()
    await expect(page).toHaveURL(/audience=teachers/)
    await expect(page.getByTestId('course-list').getByRole('link', { name: 'Làm quen với Bản Số' })).toBeVisible()
  })

  test('from the catalogue through the course page to the next lesson', async ({ page }) => {
    await page.goto('/courses')
    await page.getByTestId('course-list').getByRole('link', { name: 'Làm quen với Bản Số' }).click()
    await expect(page).toHaveURL(COURSE)
    await expect(page.getByTestId('syllabus')).toContainText('Đặt mật khẩu mạnh')
    await expect(page.getByTestId('syllabus')).toContainText('(20 phút)')
    await page.getByRole('link', { name: 'Bắt đầu học' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Học trên Bản Số như thế nào?')
    await page.getByRole('link', { name: /Bài tiếp theo/ }).click()
    await expect(page).toHaveURL(LESSON)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đặt mật khẩu mạnh')
  })

  test('a check-yourself question reveals its answer only after a post, and a bad post says why', async ({ page }) => {
    const scripts = recordScripts(page)
    await page.goto(LESSON)
    expect(await page.content()).not.toContain(EXPLANATION)
    await answerStrongestPassword(page)

    const numeric = page.locator('#tu-kiem-tra-vneid-do-dai-toi-thieu')
    await numeric.getByLabel('Câu trả lời của bạn').fill('tám')
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), numeric.getByRole('button').click()])
    expect(response.status()).toBe(400)
    await expect(page.locator('#tu-kiem-tra-vneid-do-dai-toi-thieu').getByRole('alert')).toContainText('Câu trả lời phải là một số')
    await page.locator('#tu-kiem-tra-vneid-do-dai-toi-thieu').getByLabel('Câu trả lời của bạn').fill('8')
    await page.locator('#tu-kiem-tra-vneid-do-dai-toi-thieu').getByRole('button').click()
    await expect(page.locator('#tu-kiem-tra-vneid-do-dai-toi-thieu').getByRole('status')).toContainText('Chính xác!')
    expect(scripts).toEqual([])
  })

  test('matching and short-text questions work as plain forms', async ({ page }) => {
    await page.goto(`${COURSE}/go-tieng-viet`)
    const matching = page.locator('#tu-kiem-tra-telex-ghep-chu')
    const pairs: [string, string][] = [['aw', 'ă'], ['ow', 'ơ'], ['dd', 'đ'], ['ee', 'ê']]
    for (const [left, right] of pairs) await matching.getByLabel(left, { exact: true }).selectOption(right)
    await matching.getByRole('button').click()
    await expect(page.locator('#tu-kiem-tra-telex-ghep-chu').getByRole('status')).toContainText('Chính xác!')

    const text = page.locator('#tu-kiem-tra-bang-ma-unicode')
    await text.getByLabel('Câu trả lời của bạn').fill('unicode dung san') // accents optional for this one
    await text.getByRole('button').click()
    await expect(page.locator('#tu-kiem-tra-bang-ma-unicode').getByRole('status')).toContainText('Chính xác!')
  })

  test('lesson pages ship no script; images keep their size and load lazily', async ({ page }) => {
    const scripts = recordScripts(page)
    await page.goto(LESSON)
    expect(await page.locator('script').count()).toBe(0)
    const image = page.getByRole('img', { name: /Ba mật khẩu xếp theo độ mạnh/ })
    await expect(image).toHaveAttribute('width', '1440')
    await expect(image).toHaveAttribute('loading', 'lazy')
    await image.scrollIntoViewIfNeeded()
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    expect(await image.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\.webp$/)
    expect(scripts).toEqual([])
  })

  test('an unknown lesson is the Vietnamese 404 page', async ({ page }) => {
    const response = await page.goto(`${COURSE}/khong-co-bai-nay`)
    expect(response!.status()).toBe(404)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang')
  })
})

test.describe('courses with JavaScript on', () => {
  test('the same check-yourself form works, and the pages pass axe', async ({ page }) => {
    for (const path of ['/courses', '/courses?q=mat+khau', COURSE, LESSON, `${COURSE}/go-tieng-viet`]) {
      await page.goto(path)
      await expectNoSeriousA11yViolations(page)
    }
    await page.goto(LESSON)
    await answerStrongestPassword(page)
    await expectNoSeriousA11yViolations(page) // with the verdict shown
  })

  test('a lesson prints as the lesson alone', async ({ page }) => {
    await page.goto(LESSON)
    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('.site-header')).toBeHidden()
    await expect(page.locator('.toc')).toBeHidden()
    await expect(page.locator('.pager')).toBeHidden()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.byteLength).toBeGreaterThan(10_000)
  })

  test('a lesson fits a small phone screen without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 })
    for (const path of [LESSON, `${COURSE}/go-tieng-viet`, '/courses']) {
      await page.goto(path)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow, path).toBeLessThanOrEqual(0)
    }
  })
})
