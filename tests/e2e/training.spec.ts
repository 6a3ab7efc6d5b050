// In-person training (issue 19) with JavaScript off: the commune's manager puts a staff member on
// the roster, creates a session, adds a citizen by form and the staff member found by a search
// typed without diacritics, imports an attendance sheet (preview, then confirm), opens the A4
// sign-in sheet, and finds it all in the report and the people behind it. axe runs on every new
// page (it needs JavaScript; the pages ship none).
import { expect, test, type Browser, type Page } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

async function signedIn(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('Email hoặc số điện thoại di động').fill('quanly@banso.example')
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('QuanLy@2026')
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  return page
}

const run = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-8)

async function createSession(page: Page, topic: string) {
  await page.getByRole('link', { name: 'Tập huấn trực tiếp', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Tập huấn trực tiếp' })).toBeVisible()
  await page.getByRole('link', { name: 'Tạo buổi tập huấn' }).click()
  const value = await page.locator('#ts-agencyId option', { hasText: 'Xã Bắc Hà' }).first().getAttribute('value')
  await page.getByLabel('Đơn vị tổ chức').selectOption(value!)
  await page.getByLabel('Ngày bắt đầu').fill('2026-11-20')
  await page.getByLabel('Ngày kết thúc').fill('2026-11-20')
  await page.getByLabel('Xã/phường').fill('Xã Bắc Hà')
  await page.getByLabel('Thôn/bản (nếu có)').fill('Thôn Nậm Sài')
  await page.getByLabel('Người giảng (nếu có)').fill('Tổ công nghệ số cộng đồng')
  await page.getByLabel('Chủ đề, bài học').fill(topic)
  await page.getByLabel('Thời lượng (phút)').fill('90')
  await page.getByRole('button', { name: 'Tạo buổi tập huấn' }).click()
  await expect(page.getByRole('heading', { level: 1, name: topic })).toBeVisible()
}

test.describe('without JavaScript', () => {
  test('roster staff and a citizen at a session, an imported sheet, the sign-in sheet, and the report counts them', async ({ browser }) => {
    test.slow()
    const id = run()
    const staffName = `Đặng Văn Tập ${id}`
    const topic = `Dùng VNeID ${id}`
    const page = await signedIn(browser, false)

    // A staff member on the commune's roster.
    await page.goto('/staff/import')
    const roster = ['Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ', `E2E-T-${id};${staffName};;LC-X-BACHA;Công chức`].join('\n')
    await page.getByLabel(/Tệp danh sách/).setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${roster}`) })
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
    await page.getByRole('button', { name: 'Nhập 1 dòng hợp lệ' }).click()
    await expect(page.getByText('Đã nhập xong: 1 mới, 0 cập nhật, 0 không đổi.')).toBeVisible({ timeout: 20_000 })

    await createSession(page, topic)
    // A citizen without an account; the same one again is refused.
    const citizen = async (name: string, year: string) => {
      await page.getByLabel('Họ và tên', { exact: true }).fill(name)
      await page.getByLabel('Năm sinh', { exact: true }).fill(year)
      await page.getByLabel('Thôn/bản', { exact: true }).fill('Thôn Nậm Sài')
      await page.getByLabel('Giới tính (nếu có)').fill('Nữ')
      await page.getByLabel('Dân tộc (nếu có)').fill('Dao')
      await page.getByRole('button', { name: 'Thêm người dân' }).click()
    }
    await citizen('Lò Thị Mai', '1990')
    await expect(page.getByText('Đã thêm vào danh sách.')).toBeVisible()
    await citizen('lo thi mai', '1990')
    await expect(page.getByRole('alert')).toContainText('Người này đã có trong danh sách buổi học.')

    // The staff member, found without diacritics.
    await page.getByLabel(/Tìm theo tên, mã cán bộ, email/).fill(`dang van tap ${id}`)
    await page.getByRole('button', { name: 'Tìm', exact: true }).click()
    await page.getByTestId('staff-candidates').getByRole('button', { name: `Thêm ${staffName}` }).click()
    await expect(page.getByText('Đã thêm vào danh sách.')).toBeVisible()
    const attendees = page.getByTestId('attendees')
    await expect(attendees).toContainText(staffName)
    await expect(attendees).toContainText('Lò Thị Mai')
    await expect(page.getByText('2 người tham dự')).toBeVisible()

    // An attendance sheet: a bad row is shown with its line, the good one is written on confirming.
    await page.getByRole('link', { name: 'Nhập danh sách từ tệp' }).click()
    const sheet = ['Họ và tên,Năm sinh,Thôn/bản,Giới tính,Dân tộc', 'Giàng A Sử,1985,Thôn Na Hối,Nam,Mông', 'Vàng Thị Dua,85,Thôn Na Hối,Nữ,Mông'].join('\n')
    await page.getByLabel(/Tệp danh sách/).setInputFiles({ name: 'diem-danh.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) })
    await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
    await expect(page.getByTestId('attendance-counts')).toHaveText('2 dòng: 1 người sẽ được thêm, 0 đã có trong danh sách, 1 dòng có lỗi.')
    await expect(page.getByTestId('attendance-problems').getByRole('row').nth(1)).toContainText('3Năm sinh là bốn chữ số từ 1900 đến 2100.')
    await page.getByRole('button', { name: 'Xác nhận ghi vào danh sách' }).click()
    await expect(page.getByText('Đã ghi: 1 người được thêm vào danh sách.')).toBeVisible()
    await page.getByRole('link', { name: /Về buổi tập huấn/ }).click()
    await expect(page.getByText('3 người tham dự')).toBeVisible()

    // The sign-in sheet to print.
    await page.getByRole('link', { name: 'In danh sách ký tên (A4)' }).click()
    await expect(page.getByRole('heading', { name: 'DANH SÁCH KÝ TÊN THAM DỰ TẬP HUẤN' })).toBeVisible()
    await expect(page.getByTestId('sheet-rows')).toContainText('Giàng A Sử')
    await expect(page.getByTestId('sheet-facts')).toContainText(topic)

    // The report: the session's topic with 1 staff member and 2 citizens, and the people behind it.
    await page.goto('/reports')
    const byTopic = page.getByTestId('training-by-topic').getByRole('row', { name: new RegExp(topic) })
    await expect(byTopic).toHaveText(new RegExp(`${topic}\\s*1\\s*2`))
    await page.getByRole('link', { name: 'Xem danh sách người' }).click()
    await expect(page.getByTestId('training-staff')).toContainText(staffName)
    await page.getByRole('link', { name: /Người dân được tập huấn/ }).click()
    await expect(page.getByTestId('training-citizens')).toContainText('Lò Thị Mai')
    await expect(page.getByTestId('training-citizens')).toContainText('Giàng A Sử')
  })
})

// axe runs in the page, so it needs JavaScript; the pages themselves ship none.
test('the training pages pass axe', async ({ browser }) => {
  test.slow()
  const page = await signedIn(browser, true)
  await page.goto('/training/new')
  await expectNoSeriousA11yViolations(page)
  await createSession(page, `Chữ ký số ${run()}`)
  await page.getByLabel('Họ và tên', { exact: true }).fill('Ma Thị Lan')
  await page.getByLabel('Năm sinh', { exact: true }).fill('1850')
  await page.getByRole('button', { name: 'Thêm người dân' }).click()
  await expect(page.getByText('Năm sinh là bốn chữ số từ 1900 đến 2100.')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel('Năm sinh', { exact: true }).fill('1985')
  await page.getByRole('button', { name: 'Thêm người dân' }).click()
  await expect(page.getByText('Đã thêm vào danh sách.')).toBeVisible()
  await page.getByLabel(/Tìm theo tên, mã cán bộ, email/).fill('nguyen')
  await page.getByRole('button', { name: 'Tìm', exact: true }).click()
  await page.getByRole('link', { name: 'Xoá Ma Thị Lan khỏi danh sách' }).click()
  await expect(page.getByRole('heading', { name: 'Xoá người tham dự' })).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  const session = page.url().split('?')[0]!
  await page.goto('/training')
  await expectNoSeriousA11yViolations(page)
  await page.goto(`${session}/import`)
  await expectNoSeriousA11yViolations(page)
  await page.getByLabel(/Tệp danh sách/).setInputFiles({ name: 'diem-danh.csv', mimeType: 'text/csv', buffer: Buffer.from('Họ và tên,Năm sinh,Thôn\nMa Văn Tú,2001,Thôn Na Hối\n,1990,Thôn Na Hối\n') })
  await page.getByRole('button', { name: 'Tải lên và xem trước' }).click()
  await expect(page.getByTestId('attendance-problems')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.goto(`${session}/sheet`)
  await expectNoSeriousA11yViolations(page)
  await page.goto('/reports')
  await expect(page.getByTestId('training-figures')).toBeVisible()
  await expectNoSeriousA11yViolations(page)
  await page.goto('/reports/training?list=citizens')
  await expectNoSeriousA11yViolations(page)
})

// With JavaScript, a citizen added while the phone has no signal is kept on it and sent once the
// connection returns — once, even when the page is opened again.
test('a citizen recorded offline is sent when the connection returns, once', async ({ browser }) => {
  test.slow()
  const page = await signedIn(browser, true)
  await createSession(page, `Mất mạng ${run()}`)
  await expect(page.getByText('0 người tham dự')).toBeVisible()
  await page.context().setOffline(true)
  await page.getByLabel('Họ và tên', { exact: true }).fill('Sùng Thị Mỷ')
  await page.getByLabel('Năm sinh', { exact: true }).fill('1992')
  await page.getByRole('button', { name: 'Thêm người dân' }).click()
  await expect(page.getByTestId('training-offline')).toContainText('Đang mất mạng: đã lưu 1 người trên máy này')
  await page.context().setOffline(false)
  await expect(page.getByTestId('training-offline')).toContainText('Đã gửi 1 người ghi lúc mất mạng.')
  await page.getByRole('link', { name: 'Tải lại danh sách' }).click()
  await expect(page.getByTestId('attendees')).toContainText('Sùng Thị Mỷ')
  await page.reload()
  await expect(page.getByText('1 người tham dự')).toBeVisible()
  await expect(page.getByTestId('training-offline')).toBeHidden()
})

// The session page, once opened with signal, opens again without it (the service worker's page
// cache), and a citizen added there is queued and sent when the signal returns.
test('the session page opens without signal once it was opened with signal', async ({ browser }) => {
  test.slow()
  const page = await signedIn(browser, true)
  await createSession(page, `Mở lại khi mất mạng ${run()}`)
  const path = new URL(page.url()).pathname
  await expect(page.getByTestId('training-offline')).toHaveAttribute('data-kept', '1')
  await page.context().setOffline(true)
  await page.goto(path)
  await expect(page.getByText('0 người tham dự')).toBeVisible()
  await page.getByLabel('Họ và tên', { exact: true }).fill('Lù Thị Xuân')
  await page.getByLabel('Năm sinh', { exact: true }).fill('1988')
  await page.getByRole('button', { name: 'Thêm người dân' }).click()
  await expect(page.getByTestId('training-offline')).toContainText('Đang mất mạng: đã lưu 1 người trên máy này')
  await page.context().setOffline(false)
  await expect(page.getByTestId('training-offline')).toContainText('Đã gửi 1 người ghi lúc mất mạng.')
  await page.reload()
  await expect(page.getByTestId('attendees')).toContainText('Lù Thị Xuân')
})
