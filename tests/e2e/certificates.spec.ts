// Certificates in the browser: a learner completes the sample course and finds the certificate,
// downloads it, opens the public verification page and looks it up by number and name — all
// with JavaScript off; then axe checks the certificate pages.
import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'
import { completeCourse, signUp } from './learner'

// Not a demo account's name: other specs find the demo learner by name.
const HOLDER = 'Phạm Thị Ngọc Ánh'

async function myCertificate(page: Page) {
  await page.goto('/learning')
  await page.getByRole('link', { name: 'Chứng chỉ của tôi' }).click()
  await expect(page).toHaveURL(/\/certificates$/)
  const table = page.getByTestId('my-certificates')
  await expect(table).toContainText('Làm quen với Bản Số')
  await expect(table).toContainText('Còn hiệu lực')
  const number = (await table.getByRole('link').first().innerText()).trim()
  expect(number).toMatch(/^LC-\d{4}-\d{6}$/)
  await table.getByRole('link', { name: number }).click()
  await expect(page).toHaveURL(/\/certificates\/[0-9a-f-]{36}$/)
  return number
}

test.describe('certificates without JavaScript', () => {
  test.use({ javaScriptEnabled: false })
  test.describe.configure({ timeout: 180_000 })

  test('a learner completes a course, downloads the certificate, and anyone can verify it', async ({ page, browser }) => {
    await signUp(page, HOLDER)
    await completeCourse(page)
    const number = await myCertificate(page)
    await expect(page.getByRole('heading', { level: 1 })).toContainText(number)
    await expect(page.locator('#main').getByText(HOLDER)).toBeVisible()
    await expect(page.getByText('Không thời hạn')).toBeVisible() // the sample course's certificates do not expire

    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Bản PDF (in khổ A4)' }).click()
    expect((await download).suggestedFilename()).toBe(`${number} ${HOLDER}.pdf`)

    const verifyHref = await page.locator('a[href^="/verify/"]').getAttribute('href')
    // The verification page, seen by someone who is not signed in.
    const visitorContext = await browser.newContext({ javaScriptEnabled: false })
    const visitor = await visitorContext.newPage()
    await visitor.goto(verifyHref!)
    await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Kết quả xác minh chứng chỉ')
    await expect(visitor.getByText('Còn hiệu lực')).toBeVisible()
    await expect(visitor.getByText(HOLDER)).toBeVisible()

    // …and found again by typing what is printed.
    await visitor.goto('/verify')
    await visitor.getByLabel('Số chứng chỉ').fill(number)
    await visitor.getByLabel('Họ và tên người được cấp').fill('pham thi ngoc anh')
    await visitor.getByRole('button', { name: 'Xác minh' }).click()
    await expect(visitor).toHaveURL(new RegExp(`${verifyHref}$`))
    await visitorContext.close()
  })
})

// axe runs in the page, so it needs JavaScript; the pages themselves ship none.
test('the verification, look-up and certificate pages have no serious accessibility violation', async ({ page }) => {
  test.slow()
  await signUp(page, HOLDER)
  await completeCourse(page)
  await myCertificate(page)
  await expectNoSeriousA11yViolations(page)
  const verifyHref = await page.locator('a[href^="/verify/"]').getAttribute('href')
  await page.goto('/certificates')
  await expectNoSeriousA11yViolations(page)
  await page.goto(verifyHref!)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/verify')
  await expectNoSeriousA11yViolations(page)
  await page.goto('/verify?number=LC-2000-000001&name=Kh%C3%B4ng+C%C3%B3')
  await expect(page.getByRole('alert')).toContainText('Không tìm thấy chứng chỉ')
  await expectNoSeriousA11yViolations(page)
  await page.goto('/verify/aaaaaaaaaaaaaaaaaaaaaaaaaa')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không có chứng chỉ này')
  await expectNoSeriousA11yViolations(page)
  await page.goto('/learning')
  await expectNoSeriousA11yViolations(page)
})

test('an admin finds the certificate in the list and revokes it after confirming; the verification page says so', async ({ page, browser }) => {
  test.slow()
  await signUp(page, HOLDER)
  await completeCourse(page)
  const number = await myCertificate(page)
  const verifyHref = await page.locator('a[href^="/verify/"]').getAttribute('href')

  const adminContext = await browser.newContext()
  const admin = await adminContext.newPage()
  await admin.goto('/login')
  await admin.getByLabel('Email hoặc số điện thoại di động').fill('quantri@banso.example')
  await admin.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('QuanTri@2026')
  await admin.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await admin.goto(`/admin/certificates?q=${number}`)
  await expect(admin.getByTestId('admin-certificates')).toContainText(HOLDER)
  await expectNoSeriousA11yViolations(admin)
  await admin.getByRole('link', { name: number }).click()
  await admin.getByRole('link', { name: 'Thu hồi chứng chỉ' }).click()
  await expectNoSeriousA11yViolations(admin)
  await admin.getByLabel('Lý do thu hồi').fill('Cấp nhầm, người học đã được cấp ở đơn vị khác')
  await admin.getByLabel('Tôi hiểu rằng việc thu hồi không hoàn tác được').check()
  await admin.getByRole('button', { name: 'Thu hồi chứng chỉ' }).click()
  await expect(admin.getByRole('status')).toContainText('Đã thu hồi chứng chỉ.')
  await adminContext.close()

  await page.goto(verifyHref!)
  await expect(page.getByText('Đã bị thu hồi')).toBeVisible()
  await expect(page.getByText(/Lý do: Cấp nhầm, người học đã được cấp ở đơn vị khác/)).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})
