// Periodic reports up the agency tree (issue 17), with JavaScript off: an admin opens a period, the
// commune's manager submits, the province (the admin of Sở Nội vụ, who acts at province level)
// returns it with a reason, the commune resubmits, the province approves, and the province's own
// report consolidates the communes' snapshots. Then the print copy's check code opens the frozen
// report for anyone. axe runs on every new page (it needs JavaScript; the pages ship none).
import { expect, test, type Browser, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

const MANAGER = ['quanly@banso.example', 'QuanLy@2026'] as const
const ADMIN = ['quantri@banso.example', 'QuanTri@2026'] as const

async function signedIn(browser: Browser, [email, password]: readonly [string, string], javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(email)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  return page
}

async function openCommuneReport(page: Page, periodName: string) {
  await page.goto('/reports/periods')
  await page.getByRole('link', { name: periodName, exact: true }).click()
  await page.getByRole('link', { name: 'Mở báo cáo của Xã Bắc Hà' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Xã Bắc Hà')
}

async function openAsProvince(page: Page, periodName: string) {
  await page.goto('/reports/periods')
  await page.getByRole('link', { name: periodName, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText(periodName)
  await page.getByRole('link', { name: 'Xem báo cáo của Xã Bắc Hà' }).click()
}

async function submit(page: Page, narrative: string) {
  await page.getByLabel('Thuyết minh: khó khăn, vướng mắc, đề xuất').fill(narrative)
  await page.getByLabel(/Tôi đã kiểm tra số liệu/).check()
  await page.getByRole('button', { name: 'Gửi báo cáo' }).click()
}

test.describe('without JavaScript', () => {
  test('open a period → the commune submits → the province returns → resubmits → approves → consolidated view', async ({ browser }) => {
    test.slow()
    const admin = await signedIn(browser, ADMIN, false)
    await admin.goto('/reports/periods')
    await admin.getByLabel('Loại kỳ').selectOption('YEAR')
    await admin.getByLabel('Năm', { exact: true }).fill('2025')
    await admin.getByLabel(/^Số thứ tự/).fill('1')
    await admin.getByLabel('Hạn gửi báo cáo').fill('2099-01-31')
    await admin.getByLabel('Tỉnh', { exact: true }).check()
    await admin.getByLabel('Xã', { exact: true }).check()
    await admin.getByRole('button', { name: 'Mở kỳ báo cáo' }).click()
    await expect(admin.getByText(/Đã mở kỳ báo cáo: \d+ đơn vị phải báo cáo\./)).toBeVisible()

    const commune = await signedIn(browser, MANAGER, false)
    await openCommuneReport(commune, 'Năm 2025')
    await expect(commune.getByTestId('report-status')).toContainText('Chưa gửi')
    await expect(commune.getByTestId('draft-figures')).toBeVisible()
    // Without the confirmation, nothing is submitted and the narrative is kept.
    await commune.getByLabel('Thuyết minh: khó khăn, vướng mắc, đề xuất').fill('Thiếu máy tính ở thôn xa.')
    await commune.getByRole('button', { name: 'Gửi báo cáo' }).click()
    await expect(commune.getByText('Hãy đánh dấu ô xác nhận trước khi gửi.')).toBeVisible()
    await expect(commune.getByLabel('Thuyết minh: khó khăn, vướng mắc, đề xuất')).toHaveValue('Thiếu máy tính ở thôn xa.')
    await submit(commune, 'Thiếu máy tính ở thôn xa.')
    await expect(commune.getByText('Đã gửi báo cáo (phiên bản 1).')).toBeVisible()
    // The commune cannot approve its own report: no review form for it.
    await expect(commune.getByRole('button', { name: /Duyệt phiên bản/ })).toHaveCount(0)

    await openAsProvince(admin, 'Năm 2025')
    await admin.getByLabel('Lý do trả lại (bắt buộc khi trả lại)').fill('Chưa nêu đề xuất cụ thể.')
    await admin.getByRole('button', { name: 'Trả lại để đơn vị gửi lại' }).click()
    await expect(admin.getByText('Đã trả lại báo cáo.')).toBeVisible()

    await openCommuneReport(commune, 'Năm 2025')
    await expect(commune.getByTestId('report-status')).toContainText('Bị trả lại')
    await expect(commune.getByTestId('review-1')).toContainText('Chưa nêu đề xuất cụ thể.')
    await submit(commune, 'Thiếu máy tính ở thôn xa. Đề xuất: cấp 5 máy tính cho nhà văn hoá.')
    await expect(commune.getByText('Đã gửi báo cáo (phiên bản 2).')).toBeVisible()

    await openAsProvince(admin, 'Năm 2025')
    await admin.getByRole('button', { name: 'Duyệt phiên bản 2' }).click()
    await expect(admin.getByText('Đã duyệt báo cáo.')).toBeVisible()
    await expect(admin.getByTestId('version-1')).toBeVisible() // every version kept
    await expect(admin.getByTestId('review-2')).toContainText('Duyệt')

    // The overview counts Bắc Hà as on time; the province's own report consolidates it.
    await admin.goto('/reports/periods')
    await admin.getByRole('link', { name: 'Năm 2025', exact: true }).click()
    await expect(admin.locator('tr', { hasText: 'Xã Bắc Hà' }).first()).toContainText('Gửi đúng hạn')
    await expect(admin.getByTestId('trend-chart')).toBeVisible()
    await admin.getByRole('link', { name: 'Mở báo cáo của Tỉnh Lào Cai' }).click()
    await expect(admin.getByTestId('consolidated')).toContainText(/1\/\d+ đơn vị trực thuộc đã gửi báo cáo/)
    await expect(admin.getByTestId('not-submitted')).not.toContainText('Xã Bắc Hà')

    // The print copy of version 2 and its check code, opened by someone signed out.
    await openCommuneReport(commune, 'Năm 2025')
    await commune.getByTestId('version-2').getByRole('link', { name: 'Bản in (A4)' }).click()
    await expect(commune.getByRole('heading', { name: 'BÁO CÁO KẾT QUẢ BỒI DƯỠNG KỸ NĂNG SỐ' })).toBeVisible()
    const line = await commune.getByTestId('verify-line').textContent()
    const code = /Mã kiểm tra: ([a-z2-7]{26})/.exec(line ?? '')?.[1]
    expect(code).toBeTruthy()
    const anonymous = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
    await anonymous.goto(`/verify/report/${code}`)
    await expect(anonymous.getByRole('heading', { name: 'Kiểm tra bản báo cáo định kỳ' })).toBeVisible()
    await expect(anonymous.getByText('Đề xuất: cấp 5 máy tính cho nhà văn hoá.')).toBeVisible()
    await expect(anonymous.getByTestId('verify-review')).toContainText('Duyệt')
  })
})

test('the new pages pass axe', async ({ browser }) => {
  test.slow()
  const page = await signedIn(browser, MANAGER, true)
  await page.goto('/reports/periods')
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('link', { name: /^Quý \d năm \d{4}$/ }).first().click()
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('link', { name: 'Mở báo cáo của Xã Bắc Hà' }).click()
  await expectNoSeriousA11yViolations(page)
  await submit(page, 'Báo cáo quý của xã.')
  await expect(page.getByText(/Đã gửi báo cáo \(phiên bản \d\)\./)).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByRole('link', { name: 'Bản in (A4)' }).first().click()
  await expectNoSeriousA11yViolations(page)
  const code = /Mã kiểm tra: ([a-z2-7]{26})/.exec((await page.getByTestId('verify-line').textContent()) ?? '')?.[1]
  await page.goto(`/verify/report/${code}`)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/reports/plans')
  await expectNoSeriousA11yViolations(page)
  const admin = await signedIn(browser, ADMIN, true)
  await admin.goto('/reports/periods')
  await expectNoSeriousA11yViolations(admin)
})
