// The report, roster and agency pages through the real HTTP stack (production build, demo
// accounts): upload limits and types, preview → confirm (twice at once) → progress → done, the
// report page and its scope, exports read back (the XLSX with a second library) against the
// table, the print view, sign-up with a staff code, merging through the page, and assignments
// reaching "My learning".
import { gzipSync } from 'node:zlib'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReport } from '~/modules/report/service.server'
import { readCsv } from '~/modules/files/upload.server'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const db = () => server.t.db.prisma
const enc = (s: string) => new TextEncoder().encode(s)

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.close()
})

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}
const manager = () => signedIn('quanly@banso.example', 'QuanLy@2026')
const admin = () => signedIn('quantri@banso.example', 'QuanTri@2026')

const ROSTER = [
  'Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ',
  'BH-101;Nguyễn Văn An;an.bh@banso.example;LC-X-BACHA;Chủ tịch',
  'BH-102;Lò Thị Bình;;LC-X-BACHA;Công chức',
  'BH-103;;;LC-X-BACHA;Công chức',
  'BH-104;Vàng A Chư;;LC-P-SAPA;Công chức',
].join('\r\n')

async function waitDone(browser: Browser, path: string) {
  // Waits for the condition, up to a minute (a loaded 2-core CI machine), not for a count of polls.
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const html = await (await browser.get(path)).text()
    if (!html.includes('Đang nhập danh sách')) return html
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('import did not finish')
}

describe('roster import pages', () => {
  it('refuses a file too large, of the wrong type, or missing, with a clear message', async () => {
    const b = await manager()
    const big = await b.upload('/staff/import', { file: { name: 'ds.csv', bytes: new Uint8Array(6 * 1024 * 1024).fill(0x41) } })
    expect(big.status).toBe(413)
    expect(textOf(await big.text())).toContain('Tệp lớn quá 5 MB.')
    const pdf = await b.upload('/staff/import', { file: { name: 'ds.pdf', bytes: enc('%PDF-1.4') } })
    expect(pdf.status).toBe(400)
    expect(textOf(await pdf.text())).toContain('Chỉ nhận tệp .csv hoặc .xlsx.')
    const fake = await b.upload('/staff/import', { file: { name: 'ds.xlsx', bytes: enc('Mã cán bộ,Họ và tên') } })
    expect(fake.status).toBe(400)
    expect(textOf(await fake.text())).toContain('không phải tệp Excel')
    const none = await b.upload('/staff/import', { other: 'x' })
    expect(none.status).toBe(400)
    expect(await db().rosterImport.count()).toBe(0)
  })

  it('upload → preview with the bad rows → two confirms at once apply it once → done', async () => {
    const b = await manager()
    const up = await b.upload('/staff/import', { file: { name: 'bac-ha.csv', bytes: enc(`\uFEFF${ROSTER}`), type: 'text/csv' } })
    expect(up.status).toBe(303)
    const path = up.headers.get('location')!
    expect(path).toMatch(/^\/staff\/import\/[0-9a-f-]{36}$/)
    const preview = textOf(await (await b.get(path)).text())
    expect(preview).toContain('Tổng 4 dòng: 2 cán bộ mới, 0 cập nhật, 0 không đổi, 2 dòng lỗi.')
    expect(preview).toMatch(/4 Thiếu họ và tên/)
    expect(preview).toMatch(/5 Ngoài phạm vi bạn quản lý LC-P-SAPA/)
    expect(await db().staffRecord.count()).toBe(0)
    const [r1, r2] = await Promise.all([b.post(path, { intent: 'confirm' }), b.post(path, { intent: 'confirm' })])
    expect([r1.status, r2.status].sort()).toEqual([303, 409])
    const done = textOf(await waitDone(b, path))
    expect(done).toContain('Đã nhập xong: 2 mới, 0 cập nhật, 0 không đổi.')
    expect(await db().staffRecord.count()).toBe(2)
    const staff = textOf(await (await b.get('/staff?linked=unlinked')).text())
    expect(staff).toContain('Lò Thị Bình')
    expect(staff).toContain('2 cán bộ')
  })

  it('another person cannot see or confirm my import', async () => {
    const job = await db().rosterImport.findFirstOrThrow()
    const other = await admin()
    // Admins may look; a learner may not.
    expect((await other.get(`/staff/import/${job.id}`)).status).toBe(200)
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await learner.get(`/staff/import/${job.id}`)).status).toBe(404)
    expect((await learner.get('/staff')).status).toBe(403)
  })
})

describe('an import cut off or cancelled while applying', () => {
  async function applyingImport(browser: Browser, startedAt = new Date()) {
    const up = await browser.upload('/staff/import', { file: { name: 'dung.csv', bytes: enc('Mã cán bộ,Họ và tên,Mã đơn vị\nST-1,Người Dừng,LC-X-BACHA'), type: 'text/csv' } })
    const path = up.headers.get('location')!
    const id = path.split('/').pop()!
    // What a process that stopped half-way leaves: APPLYING, and no transaction running it.
    await db().rosterImport.update({ where: { id }, data: { status: 'APPLYING', startedAt } })
    return { path, id }
  }

  it('an import left "Đang nhập" by a stopped server is marked failed with the reason, in the reader\'s language', async () => {
    const b = await manager()
    const { path, id } = await applyingImport(b, new Date(Date.now() - 5 * 60_000))
    const html = await (await b.get(path)).text()
    expect(html).toContain('việc nhập bị ngắt giữa chừng')
    expect(await db().rosterImport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'FAILED', message: 'interrupted' })
    b.cookies.set('lang', 'en')
    expect(await (await b.get(path)).text()).toContain('the import was cut off')
    expect(await db().staffRecord.count({ where: { staffCode: 'ST-1' } })).toBe(0)
  })

  it('one claimed just now is left alone; the officer may cancel it after ticking the confirmation', async () => {
    const b = await manager()
    const { path, id } = await applyingImport(b)
    const page = await (await b.get(path)).text()
    expect(page).toContain('Đang nhập danh sách')
    expect(page).toContain('name="confirm"')
    const unconfirmed = await b.post(path, { intent: 'cancel' })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('Hãy đánh dấu ô xác nhận')
    expect((await db().rosterImport.findUniqueOrThrow({ where: { id } })).status).toBe('APPLYING')
    const confirmed = await b.post(path, { intent: 'cancel', confirm: 'yes' })
    expect(confirmed.status).toBe(303)
    expect((await db().rosterImport.findUniqueOrThrow({ where: { id } })).status).toBe('CANCELLED')
    expect(await (await b.get(path)).text()).toContain('Đã huỷ lần nhập này')
    // Nothing left to cancel now.
    expect((await b.post(path, { intent: 'cancel', confirm: 'yes' })).status).toBe(303)
  })

  it('a signed-in page answers while an import of thousands of rows is applied (one connection on the embedded database)', async () => {
    const b = await manager()
    const rows = ['Mã cán bộ,Họ và tên,Mã đơn vị']
    for (let i = 1; i <= 4500; i++) rows.push(`PG-${String(i).padStart(4, '0')},Người Thứ ${i},LC-X-BACHA`)
    const up = await b.upload('/staff/import', { file: { name: 'lon.csv', bytes: enc(rows.join('\n')), type: 'text/csv' } })
    const path = up.headers.get('location')!
    const [confirm, learning] = await Promise.all([b.post(path, { intent: 'confirm' }), b.get('/learning')])
    expect(confirm.status).toBe(303)
    expect(learning.status).toBe(200)
    await waitDone(b, path)
    expect(await db().rosterImport.findUniqueOrThrow({ where: { id: path.split('/').pop()! } })).toMatchObject({ status: 'DONE', newCount: 4500 })
    expect((await b.get('/learning')).status).toBe(200)
  })
})

describe('domain errors in the reader\'s language', () => {
  it('an English reader gets English domain errors (a report filter, missing pages); a Vietnamese one Vietnamese', async () => {
    const b = await manager()
    const unknown = '00000000-0000-4000-8000-000000000000'
    const vi = await b.get(`/reports?course=${unknown}`)
    expect(vi.status).toBe(400)
    expect(textOf(await vi.text())).toContain('Không có khoá học này.')
    b.cookies.set('lang', 'en')
    const en = await b.get(`/reports?course=${unknown}`)
    expect(en.status).toBe(400)
    expect(textOf(await en.text())).toContain('There is no such course.')
    // A 404 page says "Page not found" in the reader's language, whatever the error's text.
    for (const path of [`/staff/import/${unknown}`, '/courses/khong-co-khoa-nay/quiz']) {
      const response = await b.get(path)
      expect(response.status, path).toBe(404)
      expect(textOf(await response.text()), path).not.toMatch(/Không (có|tìm thấy)/)
    }
  })
})

describe('sign-up with a staff code', () => {
  const form = (staffCode: string, fullName: string, email: string) => ({
    fullName,
    identifier: email,
    password: 'Ruộng bậc thang Mù Cang Chải',
    passwordConfirm: 'Ruộng bậc thang Mù Cang Chải',
    kind: 'CIVIL_SERVANT',
    agencyId: '',
    jobTitle: '',
    staffCode,
  })

  it('links the roster record when the code and the name match; refuses a wrong pair', async () => {
    const bacHa = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
    const sapa = await db().agency.findUniqueOrThrow({ where: { code: 'LC-P-SAPA' } })
    const wrong = await new Browser(server.base).post('/signup', { ...form('BH-102', 'Người Khác', 'khac@banso.example'), agencyId: sapa.id })
    expect(wrong.status).toBe(400)
    expect(textOf(await wrong.text())).toContain('Không tìm thấy mã cán bộ này với họ tên đã nhập')
    const ok = await new Browser(server.base).post('/signup', { ...form('BH-102', 'lò thị bình', 'binh.bh@banso.example'), agencyId: sapa.id })
    expect(ok.status).toBe(303)
    const user = await db().user.findUniqueOrThrow({ where: { email: 'binh.bh@banso.example' }, include: { staffRecord: true } })
    expect(user.staffRecord?.staffCode).toBe('BH-102')
    expect(user.agencyId).toBe(bacHa.id) // the roster decides
    const again = await new Browser(server.base).post('/signup', { ...form('BH-102', 'Lò Thị Bình', 'binh2@banso.example'), agencyId: sapa.id })
    expect(again.status).toBe(400) // already linked
  })
})

describe('the report pages', () => {
  it("a manager sees their commune's report, and nothing above or beside it", async () => {
    const b = await manager()
    const page = await b.get('/reports')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(textOf(html)).toContain('Tổng Xã Bắc Hà')
    expect(html).toContain('<svg role="img"') // the chart, server-rendered
    expect(html).not.toContain('<script')
    const lc = await db().agency.findUniqueOrThrow({ where: { code: 'LC' } })
    expect((await b.get(`/reports?agency=${lc.id}`)).status).toBe(404)
    expect((await b.get(`/reports/people?agency=${lc.id}&metric=staff&subtree=1`)).status).toBe(404)
    expect((await b.get('/reports.csv?agency=' + lc.id)).status).toBe(404)
    expect((await b.get('/reports?from=2026-13-01')).status).toBe(400)
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await learner.get('/reports')).status).toBe(403)
  })

  it('the province page is paged (30 rows a page, the total on each) and weighs at most 14 KB compressed', async () => {
    const b = await admin()
    const adminUser = await db().user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' }, include: { roleGrants: true } })
    const actor = { id: adminUser.id, roles: adminUser.roleGrants.map((g) => ({ role: g.role, agencyId: g.agencyId })) }
    const report = await loadReport(db(), actor, {})
    expect(report.rows.length).toBeGreaterThan(30)
    const first = await (await b.get('/reports')).text()
    expect(gzipSync(first).length).toBeLessThanOrEqual(14 * 1024)
    const second = await (await b.get('/reports?page=2')).text()
    const drill = (id: string) => `agency=${id}`
    expect(first).toContain(drill(report.rows[0]!.id))
    expect(first).not.toContain(drill(report.rows[30]!.id))
    expect(second).toContain(drill(report.rows[30]!.id))
    expect(second).not.toContain(drill(report.rows[0]!.id))
    for (const html of [first, second]) expect(textOf(html)).toContain(report.focus!.name)
    expect(first).toContain('page=2')
    // A page past the end shows the last page, never an error.
    expect((await b.get('/reports?page=999')).status).toBe(200)
  })

  it('CSV and XLSX hold the same table as the page, with the filters at the top', async () => {
    const b = await admin()
    const adminUser = await db().user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' }, include: { roleGrants: true } })
    const actor = { id: adminUser.id, roles: adminUser.roleGrants.map((g) => ({ role: g.role, agencyId: g.agencyId })) }
    const filters = { type: 'COMMUNE' as const, from: '2026-01-01', to: '2026-12-31' }
    const report = await loadReport(db(), actor, filters)
    const table = [report.focus!, ...report.rows].map((r) => [
      r.code,
      r.name,
      r.total.headcount,
      r.total.enrolled,
      r.total.completed,
      r.total.valid,
      r.total.expiring,
      r.total.expired,
      r.total.overdue,
    ])
    expect(table.length).toBeGreaterThan(50) // every commune of the province, plus the total row

    const xlsx = await b.get('/reports.xlsx?type=COMMUNE&from=2026-01-01&to=2026-12-31')
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-disposition')).toMatch(/attachment; filename="bao-cao-boi-duong-LC-\d{4}-\d{2}-\d{2}\.xlsx"/)
    const sheets = await readXlsxFile(Buffer.from(await xlsx.arrayBuffer()))
    const rows = sheets[0]!.data
    expect(rows[0]![0]).toBe('BÁO CÁO SỐ LƯỢNG CÁN BỘ ĐÃ ĐƯỢC BỒI DƯỠNG KỸ NĂNG SỐ')
    expect(String(rows[1]![0])).toMatch(/^Lào Cai, ngày \d{2} tháng \d{2} năm \d{4}$/)
    expect(rows[2]![0]).toBe('Khoá học: Tất cả khoá học. Thời gian hoàn thành: từ 01/01/2026 đến 31/12/2026. Loại đơn vị: Xã. Phạm vi: Tỉnh Lào Cai.')
    const body = rows.slice(5).map((r) => [r[0], r[1], ...r.slice(3, 10)])
    expect(body).toEqual(table)

    const csv = await b.get('/reports.csv?type=COMMUNE&from=2026-01-01&to=2026-12-31')
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csvRows = readCsv(bytes).slice(4)
    expect(csvRows.map((r) => [r.cells[0], r.cells[1], ...r.cells.slice(3, 10).map(Number)])).toEqual(table)
  })

  it('the print view is A4, dated and titled in Vietnamese, even for an English reader', async () => {
    const b = await admin()
    b.cookies.set('lang', 'en')
    const html = await (await b.get('/reports/print')).text()
    const text = textOf(html)
    expect(text).toContain('BÁO CÁO SỐ LƯỢNG CÁN BỘ ĐÃ ĐƯỢC BỒI DƯỠNG KỸ NĂNG SỐ')
    expect(text).toMatch(/Lào Cai, ngày \d{2} tháng \d{2} năm \d{4}/)
    expect(text).toContain('Người lập biểu')
    expect(text).toContain('Tổng Tỉnh Lào Cai')
    const css = await (await b.get(html.match(/href="(\/assets\/app-[^"]+\.css)"/)![1]!)).text()
    expect(css).toMatch(/@page\s*\{\s*size:\s*A4/)
  })
})

describe('agencies and assignments through the pages', () => {
  it('a merge needs the confirmation box; then history keeps the old name', async () => {
    const b = await admin()
    const x = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
    const created = await b.post('/admin/agencies', { code: 'LC-X-THU', name: 'Xã Thử Nghiệm', type: 'COMMUNE', parentId: x.parentId!, headcountManual: '' })
    expect(created.status).toBe(303)
    const id = created.headers.get('location')!.match(/agencies\/([0-9a-f-]{36})/)![1]!
    const noConfirm = await b.post(`/admin/agencies/${id}`, { intent: 'merge', targetId: x.id })
    expect(noConfirm.status).toBe(400)
    expect(textOf(await noConfirm.text())).toContain('Hãy đánh dấu ô xác nhận.')
    expect((await b.post(`/admin/agencies/${id}`, { intent: 'merge', targetId: x.id, confirm: 'yes' })).status).toBe(303)
    const page = textOf(await (await b.get(`/admin/agencies/${x.id}`)).text())
    expect(page).toContain('Các đơn vị đã sáp nhập vào đây Xã Thử Nghiệm')
    const merged = textOf(await (await b.get(`/admin/agencies/${id}`)).text())
    expect(merged).toContain('Sáp nhập vào “Xã Bắc Hà”')
    // A manager cannot touch agencies outside their subtree.
    const m = await manager()
    const sapa = await db().agency.findUniqueOrThrow({ where: { code: 'LC-P-SAPA' } })
    expect((await m.get(`/admin/agencies/${sapa.id}`)).status).toBe(404)
    expect((await m.post(`/admin/agencies/${sapa.id}`, { intent: 'update', name: 'Đổi', headcountManual: '' })).status).toBe(404)
    expect((await m.post(`/admin/agencies/${x.id}`, { intent: 'deactivate', confirm: 'yes' })).status).toBe(400) // their own root
  })

  it('a manager assigns a course to their commune; the learner sees it in My learning', async () => {
    const course = await db().course.create({
      data: {
        slug: 'bat-buoc',
        title: 'Khoá bắt buộc thử',
        summary: 'Thử',
        audiences: ['CIVIL_SERVANTS'],
        topic: 'basic',
        level: 'basic',
        estimatedHours: 1,
        standardCodes: [],
        passMark: 70,
        version: '1',
        contentHash: 'x',
      },
    })
    const m = await manager()
    const x = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
    const sapa = await db().agency.findUniqueOrThrow({ where: { code: 'LC-P-SAPA' } })
    expect((await m.post('/assignments', { intent: 'create', courseId: course.id, agencyId: sapa.id, jobTitles: '', dueAt: '2027-01-31' })).status).toBe(400)
    expect((await m.post('/assignments', { intent: 'create', courseId: course.id, agencyId: x.id, jobTitles: '', dueAt: '2027-01-31' })).status).toBe(200)
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const text = textOf(await (await learner.get('/learning')).text())
    expect(text).toContain('Khoá bắt buộc thử')
  })

  it('an assignment through the page changes the report in its own request: the next page load shows it, nothing is left to a job', async () => {
    // ADR 016, amendment 2026-12-08: every refresh runs in the writer's transaction.
    const course = await db().course.findUniqueOrThrow({ where: { slug: 'bat-buoc' } })
    const m = await manager()
    const x = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
    const actor = { id: (await db().user.findUniqueOrThrow({ where: { email: 'quanly@banso.example' } })).id, roles: [{ role: 'ADMIN' as const, agencyId: null }] }
    const before = (await loadReport(db(), actor, { agency: x.id, course: course.id })).focus!.total.overdue
    const staffBelow = await db().staffRecord.count({ where: { agencyId: x.id, jobTitle: 'Công chức' } })
    expect(staffBelow).toBeGreaterThan(0)
    const posted = await m.post('/assignments', { intent: 'create', courseId: course.id, agencyId: x.id, jobTitles: 'Công chức', dueAt: '2026-01-31' })
    expect(posted.status).toBe(200)
    const text = textOf(await posted.text())
    expect(text).toContain('Đã giao khoá học.')
    expect(text).not.toContain('Đang cập nhật')
    expect(Number((await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report_pending`)[0]!.n)).toBe(0)
    expect(await db().job.count({ where: { kind: 'report.refresh' } })).toBe(0)
    // The stored counters already hold it (this test server runs no job runner).
    const [stored] = await db().$queryRaw<{ n: number }[]>`
      SELECT COALESCE(sum(c.overdue), 0)::int AS n FROM report_counter c JOIN agency_closure cl ON cl.descendant_id = c.agency_id
      WHERE cl.ancestor_id = ${x.id}::uuid AND c.course_id = ${course.id}::uuid`
    const after = (await loadReport(db(), actor, { agency: x.id, course: course.id })).focus!.total.overdue
    expect(after).toBeGreaterThan(before)
    expect(Number(stored!.n)).toBe(after)
    const page = textOf(await (await m.get(`/reports?agency=${x.id}&course=${course.id}`)).text())
    expect(page).not.toContain('Đang cập nhật số liệu')
  })
})
