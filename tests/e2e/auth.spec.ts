import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

const uniqueEmail = () => `hoc.vien.${Date.now()}.${Math.floor(Math.random() * 1e6)}@banso.example`

async function signIn(page: Page, identifier: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(identifier)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('sign up, see the name, sign out, sign in again, use every account page', async ({ page }) => {
    const email = uniqueEmail()
    await page.goto('/signup')
    await page.getByLabel('Họ và tên').fill('Sần Thị Mỷ')
    await page.getByLabel('Email hoặc số điện thoại di động').fill(email)
    await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('Chợ phiên Bắc Hà chủ nhật')
    await page.getByLabel('Nhập lại mật khẩu').fill('Chợ phiên Bắc Hà chủ nhật')
    await page.getByLabel('Giáo viên').check()
    // Find the agency without JavaScript: the form comes back filtered, with what was typed.
    await page.getByLabel('Tìm đơn vị').fill('mau sa pa')
    await page.getByRole('button', { name: 'Tìm', exact: true }).click()
    await expect(page.getByRole('status')).toContainText('khớp với "mau sa pa"')
    await expect(page.getByLabel('Họ và tên')).toHaveValue('Sần Thị Mỷ')
    await page.getByLabel('Đơn vị công tác').selectOption({ label: 'Trường Tiểu học mẫu Sa Pa (dữ liệu mẫu)' })
    await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('Chợ phiên Bắc Hà chủ nhật')
    await page.getByLabel('Nhập lại mật khẩu').fill('Chợ phiên Bắc Hà chủ nhật')
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click()

    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByTestId('header-user')).toHaveText('Sần Thị Mỷ')
    await expect(page.getByText('Trường Tiểu học mẫu Sa Pa (dữ liệu mẫu)')).toBeVisible()

    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    await expect(page.getByText('Bạn đã đăng xuất.')).toBeVisible()
    await expect(page.getByTestId('header-user')).toHaveCount(0)

    await signIn(page, email, 'Chợ phiên Bắc Hà chủ nhật')
    await expect(page.getByTestId('header-user')).toHaveText('Sần Thị Mỷ')

    await page.getByLabel('Họ và tên').fill('Sần Thị Mỷ Lan')
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click()
    await expect(page.getByText('Đã lưu thông tin.')).toBeVisible()
    await expect(page.getByTestId('header-user')).toHaveText('Sần Thị Mỷ Lan')

    await page.getByRole('link', { name: 'Đổi mật khẩu' }).click()
    await page.getByLabel('Mật khẩu hiện tại').fill('Chợ phiên Bắc Hà chủ nhật')
    await page.getByLabel('Mật khẩu mới').fill('Mây trắng đỉnh Fansipan')
    await page.getByLabel('Nhập lại mật khẩu').fill('Mây trắng đỉnh Fansipan')
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
    await expect(page.getByText('Đã đổi mật khẩu.')).toBeVisible()

    await page.getByRole('link', { name: 'Các thiết bị đang đăng nhập' }).click()
    await expect(page.getByText('Thiết bị này')).toBeVisible()
    await page.getByRole('button', { name: 'Đăng xuất khỏi mọi nơi' }).click()
    await expect(page).toHaveURL(/\/login\?signedOut/)
    await page.goto('/account')
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/)
  })

  test('a bad sign-up comes back with a message on each field, and Enter submits the sign-up itself', async ({ page }) => {
    await page.goto('/signup')
    await page.getByLabel('Email hoặc số điện thoại di động').fill('không phải email')
    await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('123')
    await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).press('Enter')
    await expect(page.getByText('Biểu mẫu còn lỗi. Vui lòng sửa các ô được đánh dấu.')).toBeVisible()
    await expect(page.getByText('Vui lòng nhập họ và tên.')).toBeVisible()
    await expect(page.getByText('Đây không phải email hay số điện thoại di động Việt Nam hợp lệ.')).toBeVisible()
    await expect(page.getByText('Mật khẩu cần ít nhất 8 ký tự.')).toBeVisible()
    await expect(page.getByText('Vui lòng chọn bạn là ai.')).toBeVisible()
    await expect(page.getByLabel('Email hoặc số điện thoại di động')).toHaveAttribute('aria-invalid', 'true')
  })

  test('a wrong password gets one plain message', async ({ page }) => {
    await signIn(page, 'hocvien@banso.example', 'không đúng đâu')
    await expect(page.getByRole('alert')).toHaveText('Email/số điện thoại hoặc mật khẩu không đúng.')
    await expect(page.getByLabel('Email hoặc số điện thoại di động')).toHaveValue('hocvien@banso.example')
  })

  test('an agency manager sees the people of the commune and resets a password with a link', async ({ page, browser }) => {
    await signIn(page, 'quanly@banso.example', 'QuanLy@2026')
    await page.getByRole('link', { name: 'Người dùng' }).click()
    await expect(page.getByText('Phạm vi: Xã Bắc Hà và các đơn vị trực thuộc.')).toBeVisible()
    await page.getByRole('searchbox').fill('lo van minh')
    await page.getByRole('button', { name: 'Tìm' }).click()
    await page.getByRole('link', { name: 'Lò Văn Minh' }).click()
    await page.getByRole('button', { name: 'Tạo liên kết đặt lại mật khẩu' }).click()
    const link = await page.getByTestId('reset-link').textContent()
    const other = await browser.newContext({ javaScriptEnabled: false })
    const holder = await other.newPage()
    await holder.goto(link!)
    await expect(holder.getByText('Đặt mật khẩu mới cho tài khoản Lò Văn Minh.')).toBeVisible()
    await holder.getByLabel('Mật khẩu mới (bắt buộc)', { exact: true }).fill('Suối Giàng chè cổ thụ')
    await holder.getByLabel('Nhập lại mật khẩu').fill('Suối Giàng chè cổ thụ')
    await holder.getByRole('button', { name: 'Đặt mật khẩu mới' }).click()
    await expect(holder.getByTestId('header-user')).toHaveText('Lò Văn Minh')
    await holder.goto(link!)
    await expect(holder.getByText('Liên kết đặt lại mật khẩu không đúng, đã được dùng hoặc đã hết hạn.')).toBeVisible()
    await other.close()
  })
})

test.describe('accessibility of the account pages (axe)', () => {
  // axe takes a few seconds a page on these 2-core machines; these tests check several pages.
  test.slow()

  test('sign-up and sign-in, also with their errors shown', async ({ page }) => {
    await page.goto('/signup')
    await expectNoSeriousA11yViolations(page)
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click()
    await expect(page.getByText('Biểu mẫu còn lỗi.', { exact: false })).toBeVisible()
    await expectNoSeriousA11yViolations(page)
    await page.goto('/login')
    await expectNoSeriousA11yViolations(page)
  })

  test('account and admin pages', async ({ page }) => {
    await signIn(page, 'quantri@banso.example', 'QuanTri@2026')
    await expect(page.getByTestId('header-user')).toBeVisible()
    for (const path of ['/account', '/account/password', '/account/sessions', '/admin/users', '/admin/audit']) {
      await page.goto(path)
      await expectNoSeriousA11yViolations(page)
    }
    await page.goto('/admin/users')
    await page.getByRole('link', { name: 'Nguyễn Thị Hương' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Nguyễn Thị Hương')
    await expectNoSeriousA11yViolations(page)
  })
})
