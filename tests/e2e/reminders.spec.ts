// Reminders without JavaScript: an admin previews and runs them (with the confirmation box), a
// manager sets the grace period of the commune, a learner reads their notifications; axe on each.
import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(email)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('an admin previews and runs the reminders; a manager sets the grace period of the commune', async ({ page, browser }) => {
    test.slow()
    await signIn(page, 'quantri@banso.example', 'QuanTri@2026')
    await page.getByRole('link', { name: 'Nhắc việc', exact: true }).click()
    await page.getByRole('link', { name: 'Xem trước', exact: true }).click()
    await expect(page.getByTestId('reminder-preview')).toBeVisible()
    await page.getByLabel('Tôi hiểu: các nhắc việc mới sẽ được gửi ngay bây giờ').check()
    await page.getByRole('button', { name: 'Gửi ngay' }).click()
    await expect(page.getByText(/Đã chạy nhắc việc: \d+ thông báo cá nhân mới/)).toBeVisible()

    const manager = await browser.newPage({ javaScriptEnabled: false })
    await signIn(manager, 'quanly@banso.example', 'QuanLy@2026')
    await manager.goto('/admin/reminders')
    await manager.getByLabel('Đơn vị', { exact: true }).selectOption({ label: 'Xã Bắc Hà' })
    await manager.getByLabel('Thời gian gia hạn (ngày)').fill('400')
    await manager.getByRole('button', { name: 'Lưu cài đặt' }).click()
    await expect(manager.getByLabel('Thời gian gia hạn (ngày)')).toHaveValue('400')
    await expect(manager.getByLabel('Thời gian gia hạn (ngày)')).toHaveAttribute('aria-invalid', 'true')
    await manager.getByLabel('Thời gian gia hạn (ngày)').fill('5')
    await manager.getByRole('button', { name: 'Lưu cài đặt' }).click()
    await expect(manager.getByText('Đã lưu cài đặt nhắc việc của Xã Bắc Hà.')).toBeVisible()
    await expect(manager.getByTestId('reminder-settings')).toContainText('Xã Bắc Hà')
    await manager.close()
  })
})

// axe runs in the page, so it needs JavaScript; the pages themselves ship none.
test('the notifications and reminders pages have no serious accessibility violation', async ({ page }) => {
  test.slow()
  await signIn(page, 'quantri@banso.example', 'QuanTri@2026')
  await page.goto('/admin/reminders?preview=1')
  await expectNoSeriousA11yViolations(page)
  await page.goto('/notifications')
  await expect(page.getByRole('heading', { name: 'Thông báo', level: 1 })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
})
