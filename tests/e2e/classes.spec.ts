// A teacher's class in the browser: the teacher creates a class and assigns the
// sample course; a student without email joins with the code, a name and a PIN, and completes a
// lesson; the teacher's table shows it. Another teacher (granted the role by an admin) cannot open
// the class. The student's browser has JavaScript off; the teacher's has it on only so that axe
// can check the pages (which ship no script: checked).
import { expect, test, type Browser, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e4)}`

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(email)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: false })
  return context.newPage()
}

/**
 * A teacher of our own: a new account given the teacher role (at the sample school) by the admin.
 * The demo teacher is not used: another spec resets that account's password.
 */
async function newTeacher(page: Page, admin: Page, fullName: string) {
  const email = `gv.${unique()}@banso.example`
  const password = 'Đỉnh Lảo Thẩn 2860m'
  await page.goto('/signup')
  await page.getByLabel('Họ và tên').fill(fullName)
  await page.getByLabel('Email hoặc số điện thoại di động').fill(email)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(password)
  await page.getByLabel('Nhập lại mật khẩu').fill(password)
  await page.getByLabel('Người dân, nông dân').check()
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`)
  await admin.getByRole('link', { name: fullName }).click()
  await admin.getByLabel('Vai trò').selectOption('TEACHER')
  await admin.getByLabel(/^Đơn vị/).selectOption({ label: 'Trường THCS mẫu Bắc Hà (dữ liệu mẫu)' })
  await admin.getByRole('button', { name: 'Cấp vai trò' }).click()
  await expect(admin.getByText('Giáo viên').first()).toBeVisible()
  await signIn(page, email, password) // a role change ended the old session
}

test('teacher creates a class, a student without email joins by code and completes a lesson, the table shows it; another teacher cannot open the class', async ({ page, browser }) => {
  test.slow()
  const className = `Lớp 9B Tin học ${unique()}`
  const admin = await newPage(browser)
  await signIn(admin, 'quantri@banso.example', 'QuanTri@2026')
  await newTeacher(page, admin, `Lò Văn Khải ${unique().slice(-4)}`)
  await page.goto('/classes')
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('link', { name: 'Tạo lớp mới' }).click()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('Tên lớp').fill(className)
  await expect(page.getByLabel('Trường')).toHaveValue(/.+/) // the teacher's own school is chosen
  await page.getByRole('button', { name: 'Tạo lớp' }).click()
  await expect(page.getByRole('heading', { level: 1, name: className })).toBeVisible()
  const classUrl = page.url()
  expect(await page.locator('script').count()).toBe(0)
  const code = (await page.getByTestId('join-code').innerText()).trim()
  expect(code).toMatch(/^[A-Z0-9]{6}$/)

  await page.getByLabel('Khoá học hoặc bài học').selectOption({ label: 'Làm quen với Bản Số — cả khoá' })
  await page.getByLabel('Hạn hoàn thành (không bắt buộc)').fill('2026-12-31')
  await page.getByRole('button', { name: 'Giao bài', exact: true }).click()
  await expect(page.getByText('Đã giao bài.')).toBeVisible()
  await expect(page.getByTestId('assignments')).toContainText('Làm quen với Bản Số — cả khoá')
  await expectNoSeriousA11yViolations(page)

  await page.getByRole('link', { name: 'In phiếu vào lớp (có mã QR)' }).click()
  await expect(page.getByTestId('sheet-code')).toHaveText(code)
  const qr = page.getByRole('img', { name: /Mã QR dẫn tới trang vào lớp/ })
  await expect(qr).toBeVisible()
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  await expectNoSeriousA11yViolations(page)

  // The student: no account, no email.
  const student = await newPage(browser)
  await student.goto('/join')
  await student.getByLabel('Mã lớp').fill(code.toLowerCase())
  await student.getByRole('button', { name: 'Tiếp tục' }).click()
  await expect(student.getByTestId('join-class')).toContainText(className)
  const axePage = await (await browser.newContext()).newPage()
  await axePage.goto(`/join?code=${code}`)
  await expect(axePage.locator('#form-join-pin')).toBeVisible()
  expect(await axePage.locator('script').count()).toBe(0)
  await expectNoSeriousA11yViolations(axePage)
  const joinForm = student.locator('#form-join-pin')
  await joinForm.getByLabel('Họ và tên').fill('Thào Thị Mỷ')
  await joinForm.getByLabel('Mã PIN (6 chữ số)').fill('583920')
  await joinForm.getByLabel('Nhập lại mã PIN').fill('583920')
  await joinForm.getByRole('button', { name: 'Vào lớp' }).click()
  await expect(student).toHaveURL(/\/classes$/)
  await expect(student.getByTestId('class-member')).toContainText(className)
  await expect(student.getByTestId('class-member').getByRole('link', { name: 'Làm quen với Bản Số' })).toBeVisible()
  await student.goto('/courses/lam-quen-ban-so/hoc-tren-ban-so')
  await student.getByRole('button', { name: 'Đánh dấu đã học xong bài này' }).click()
  await expect(student.getByText('✓', { exact: false }).first()).toBeVisible()

  // The teacher's table.
  await page.goto(classUrl)
  const row = page.getByTestId('class-table').getByRole('row', { name: /Thào Thị Mỷ/ })
  await expect(row).toContainText('✓')
  await expect(row).toContainText('1/3')
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Tải bảng (CSV)' }).click()
  const csv = await (await download).createReadStream()
  const text = await new Promise<string>((resolve) => {
    const chunks: Buffer[] = []
    csv.on('data', (c: Buffer) => chunks.push(c))
    csv.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
  expect(text).toMatch(/Thào Thị Mỷ,\(mã PIN\),Đã xong/)

  // Another teacher: a new account, given the teacher role by the admin.
  const other = await newPage(browser)
  await newTeacher(other, admin, `Hoàng Văn Tư ${unique().slice(-4)}`)
  await other.goto('/classes')
  await expect(other.getByRole('link', { name: 'Tạo lớp mới' })).toBeVisible()
  await expect(other.getByText(className)).toHaveCount(0)
  const response = await other.goto(classUrl)
  expect(response?.status()).toBe(404)
  await expect(other.getByText('Thào Thị Mỷ')).toHaveCount(0)
  const exportResponse = await other.request.get(`${classUrl}/export/csv`)
  expect(exportResponse.status()).toBe(404)
})

test('the classroom view: one section per screen, keys or a clicker move on, plain links without JavaScript, accessible', async ({ page, browser }) => {
  await page.goto('/courses/lam-quen-ban-so/mat-khau-manh/classroom')
  await expect(page.getByText(/^Phần 1\/\d+$/)).toBeVisible()
  await expect(page.locator('.site-header')).toBeHidden()
  await expectNoSeriousA11yViolations(page)
  await page.keyboard.press('PageDown')
  await expect(page).toHaveURL(/classroom\?s=2$/)
  await expect(page.getByTestId('classroom-section').locator('h2')).toHaveCount(1)
  await page.keyboard.press('ArrowLeft')
  await expect(page).toHaveURL(/classroom\?s=1$/)

  const noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
  await noJs.goto('/courses/lam-quen-ban-so/mat-khau-manh/classroom')
  await noJs.getByRole('link', { name: 'Phần sau →' }).click()
  await expect(noJs).toHaveURL(/classroom\?s=2$/)
  await noJs.getByRole('link', { name: '← Phần trước' }).click()
  await expect(noJs).toHaveURL(/classroom\?s=1$/)
  await noJs.getByRole('link', { name: 'Thoát trình chiếu' }).click()
  await expect(noJs).toHaveURL(/\/courses\/lam-quen-ban-so\/mat-khau-manh$/)
  await expect(noJs.getByTestId('attribution')).toHaveValue(/giấy phép CC BY 4\.0/)
})
