// The periodic-report pages through the real HTTP stack (production build, demo accounts and the
// demo period): the commune's manager submits by form; after that no form post by anyone — the
// admin included — changes the frozen version (409 with a clear message, never a 500); the admin
// approves once; the XLSX, the PDF and the print page carry the frozen figures and the check code.
import { PDFDocument } from 'pdf-lib'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const db = () => server.t.db.prisma
let path: string
let periodId: string
let agencyId: string

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

beforeAll(async () => {
  server = await startTestServer()
  periodId = (await db().reportingPeriod.findFirstOrThrow()).id
  agencyId = (await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
  path = `/reports/periods/${periodId}/${agencyId}`
  // An in-person session of the commune in the period, with one citizen: the report must carry it.
  const period = await db().reportingPeriod.findUniqueOrThrow({ where: { id: periodId } })
  const session = await db().trainingSession.create({ data: { agencyId, startsOn: period.startsOn, endsOn: period.startsOn, commune: 'Xã Bắc Hà', village: 'Thôn Nậm Sài', topic: 'Dùng VNeID trên điện thoại', minutes: 90 } })
  await db().trainingAttendee.create({ data: { sessionId: session.id, kind: 'CITIZEN', fullName: 'Thào Thị Kỳ', birthYear: 1980, village: 'Thôn Nậm Sài', gender: 'Nữ', ethnicity: 'Mông', citizenKey: 'thao thi ky|1980|thon nam sai' } })
})
afterAll(async () => {
  await server?.close()
})

describe('periodic report pages', () => {
  it('the demo manager sees the demo period’s draft and submits it by form', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const page = textOf(await (await manager.get(path)).text())
    expect(page).toContain('Tình trạng: Chưa gửi')
    expect(page).toContain('Kế hoạch năm')
    // In-person training of the period beside online learning, with citizens by ethnicity.
    expect(page).toContain('Tập huấn trực tiếp và học trực tuyến')
    expect(page).toContain('Dùng VNeID trên điện thoại')
    expect(page).toContain('Người dân theo dân tộc')
    // The people behind the draft's training figures: the report's list with the period's filters.
    const period = await db().reportingPeriod.findUniqueOrThrow({ where: { id: periodId } })
    expect(await (await manager.get(path)).text()).toContain(`href="/reports/training?agency=${agencyId}&amp;from=${period.startsOn.toISOString().slice(0, 10)}`)
    const people = await manager.get(`/reports/training?${new URLSearchParams({ agency: agencyId, from: period.startsOn.toISOString().slice(0, 10), to: period.endsOn.toISOString().slice(0, 10), list: 'citizens' })}`)
    expect(people.status).toBe(200)
    expect(textOf(await people.text())).toContain('Thào Thị Kỳ')
    const refused = await manager.post(path, { intent: 'submit', narrative: 'Thiếu máy tính.' })
    expect(refused.status).toBe(400)
    expect(textOf(await refused.text())).toContain('Hãy đánh dấu ô xác nhận trước khi gửi.')
    const done = await manager.post(path, { intent: 'submit', narrative: 'Thiếu máy tính ở thôn xa.', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(textOf(await done.text())).toContain('Đã gửi báo cáo (phiên bản 1).')
    // The commune cannot review its own report.
    const self = await manager.post(path, { intent: 'approve', version: '1' })
    expect(self.status).toBe(403)
  })

  it('no form post changes a submitted version — not even the admin’s; the admin approves once', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const before = await db().reportSnapshot.findFirstOrThrow({ where: { report: { periodId, agencyId } } })
    const forms: Array<Record<string, string>> = [
      { intent: 'submit', narrative: 'Sửa lại số liệu', confirm: 'yes' },
      { intent: 'save', narrative: 'Sửa nháp' },
      { intent: 'approve', version: '2' },
    ]
    for (const form of forms) {
      const response = await admin.post(path, form)
      expect(response.status, JSON.stringify(form)).toBe(409)
      expect(textOf(await response.text())).toMatch(/vừa được gửi|không sửa được nữa|Hãy tải lại trang/)
    }
    const approved = await admin.post(path, { intent: 'approve', version: '1' })
    expect(approved.status).toBe(200)
    expect(textOf(await approved.text())).toContain('Đã duyệt báo cáo.')
    const after: Array<Record<string, string>> = [{ intent: 'approve', version: '1' }, { intent: 'return', version: '1', reason: 'Trả lại sau khi duyệt' }, { intent: 'submit', narrative: 'lần hai', confirm: 'yes' }]
    for (const form of after) {
      const response = await admin.post(path, form)
      expect(response.status, JSON.stringify(form)).toBe(409)
    }
    expect(await db().reportSnapshot.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before)
    expect(await db().reportSnapshot.count()).toBe(1)
    expect(await db().auditLog.count({ where: { action: { in: ['report.submit', 'report.approve', 'report.return'] } } })).toBe(2)
  })

  it('the XLSX and the print page carry the frozen figures, the narrative and the check code', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const snapshot = await db().reportSnapshot.findFirstOrThrow()
    const xlsx = await manager.get(`/reports/snapshots/${snapshot.id}/xlsx`)
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-disposition')).toContain('bao-cao-dinh-ky-LC-X-BACHA')
    const sheets = await readXlsxFile(Buffer.from(await xlsx.arrayBuffer()))
    const rows = sheets[0]!.data.map((r) => r.map((c) => String(c ?? '')))
    const flat = rows.map((r) => r.join(' | ')).join('\n')
    expect(flat).toContain('BÁO CÁO KẾT QUẢ BỒI DƯỠNG KỸ NĂNG SỐ')
    expect(flat).toContain('Thiếu máy tính ở thôn xa.')
    expect(flat).toContain(snapshot.verifyCode)
    expect(flat).toMatch(/Duyệt bởi Trần Quốc Bảo/)
    const headcount = rows.find((r) => r[0] === 'Biên chế')
    expect(Number(headcount?.[1])).toBe(snapshot.headcount)
    const citizens = rows.find((r) => r[0] === 'Người dân được tập huấn trực tiếp')
    expect(Number(citizens?.[1])).toBe((snapshot.figures as { training: { citizens: number } }).training.citizens)
    expect(Number(citizens?.[1])).toBeGreaterThanOrEqual(1)
    expect(rows.some((r) => r[1] === 'Dùng VNeID trên điện thoại')).toBe(true)
    const pdf = await manager.get(`/reports/snapshots/${snapshot.id}/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const doc = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()))
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1)
    expect(doc.getTitle()).toBe('BÁO CÁO KẾT QUẢ BỒI DƯỠNG KỸ NĂNG SỐ — Xã Bắc Hà')
    const print = textOf(await (await manager.get(`/reports/snapshots/${snapshot.id}/print`)).text())
    expect(print).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM')
    expect(print).toContain(`Mã kiểm tra: ${snapshot.verifyCode}`)
    expect(print).toContain('Tập huấn trực tiếp và học trực tuyến')
    const check = textOf(await (await new Browser(server.base).get(`/verify/report/${snapshot.verifyCode}`)).text())
    expect(check).toContain('Thiếu máy tính ở thôn xa.')
    expect(check).toContain('Xã Bắc Hà')
  })
})
