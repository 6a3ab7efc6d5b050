// The agency manager's path with JavaScript off: import a roster (preview with a bad row, axe),
// confirm, follow the progress to the end, then read the report (axe), drill into people, and
// open the print view.
import { expect, test, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

async function signInManager(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill('quanly@banso.example')
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('QuanLy@2026')
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
}

async function uploadRoster(page: Page) {
  const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-9)
  await page.getByRole('link', { name: 'Cán bộ', exact: true }).click()
  await page.getByRole('link', { name: 'Nhập danh sách từ tệp' }).click()
  const csv = [
    'Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ',
    `E2E-${run}-1;Hà Thị Hoa;;LC-X-BACHA;Công chức`,
    `E2E-${run}-2;Sùng A Páo;;MAU-THCS-BACHA;Giáo viên`,
    `E2E-${run}-3;;;LC-X-BACHA;Công chức`,
  ].join('\n')
  await page.getByLabel(/Tệp danh sách/).setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) })
  await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
  await expect(page.getByTestId('import-counts')).toHaveText('Tổng 3 dòng: 2 cán bộ mới, 0 cập nhật, 0 không đổi, 1 dòng lỗi.')
  await expect(page.getByTestId('import-errors').getByRole('row').nth(1)).toContainText('4Thiếu họ và tên')
}

// axe runs in the page, so it needs JavaScript; the pages themselves ship none.
test('the import preview and the report pass axe', async ({ page }) => {
  test.slow()
  await signInManager(page)
  await uploadRoster(page)
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('button', { name: 'Huỷ, không nhập gì' }).click()
  await expect(page.getByText('Đã huỷ lần nhập này. Không có gì được ghi.')).toBeVisible()
  await page.goto('/reports')
  await expect(page.getByTestId('share-chart')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.goto('/reports/print')
  await expectNoSeriousA11yViolations(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

test('import a roster, then read the trained-staff report', async ({ page }) => {
  test.slow()
  await signInManager(page)
  await uploadRoster(page)
  await page.getByRole('button', { name: 'Nhập 2 dòng hợp lệ' }).click()
  // The progress page reloads itself (Refresh header) until the import is done.
  await expect(page.getByText('Đã nhập xong: 2 mới, 0 cập nhật, 0 không đổi.')).toBeVisible({ timeout: 20_000 })

  await page.getByRole('link', { name: 'Báo cáo', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Báo cáo cán bộ đã được bồi dưỡng' })).toBeVisible()
  const total = page.getByTestId('report-table').locator('tr.report-total')
  await expect(total).toContainText('Tổng Xã Bắc Hà')
  await expect(page.getByTestId('share-chart')).toBeVisible()

  // Filters are a plain GET form; a number opens the people behind it.
  await page.getByLabel('Loại đơn vị').selectOption('SCHOOL')
  await page.getByRole('button', { name: 'Xem báo cáo' }).click()
  await expect(page).toHaveURL(/type=SCHOOL/)
  const school = page.getByTestId('report-table').locator('tr[data-agency="MAU-THCS-BACHA"]')
  await expect(school).toBeVisible()
  await school.locator('td[data-figure="headcount"] > a').click()
  await expect(page.getByTestId('people-table')).toContainText('Sùng A Páo')

  await page.goto('/reports/print')
  await expect(page.getByRole('heading', { name: 'BÁO CÁO SỐ LƯỢNG CÁN BỘ ĐÃ ĐƯỢC BỒI DƯỠNG KỸ NĂNG SỐ' })).toBeVisible()
  await expect(page.getByText(/^Lào Cai, ngày \d{2} tháng \d{2} năm \d{4}$/)).toBeVisible()
})
})
