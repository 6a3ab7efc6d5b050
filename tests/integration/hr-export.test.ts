// The per-person HR register (issue 22; app/modules/report/hr-export.server.ts) against the small
// province of tests/setup/report-fixture.ts beside the demo data: one row per person and course
// completed, with the current certificate (a renewal's, never a superseded or revoked one), in the
// report's scope (a manager never sees another agency's people) and filters; through the real HTTP
// stack as CSV and XLSX with the same rows, and the links on the report page.
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '~/modules/auth/permissions.server'
import { readCsv } from '~/modules/files/upload.server'
import { loadHrRegister, type HrRow } from '~/modules/report/hr-export.server'
import { buildReportFixture, DAY, type ReportFixture } from '../setup/report-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
let f: ReportFixture
const now = new Date()
const db = () => server.t.db.prisma

beforeAll(async () => {
  server = await startTestServer()
  f = await buildReportFixture(db(), now)
})
afterAll(async () => {
  await server?.close()
})

const vnDay = (at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at)
const ago = (days: number) => vnDay(new Date(now.getTime() - days * DAY))
const HEADER = ['STT', 'Mã cán bộ', 'Họ và tên', 'Chức danh', 'Mã đơn vị', 'Đơn vị', 'Khoá bồi dưỡng', 'Ngày hoàn thành', 'Số chứng chỉ', 'Ngày hết hạn']

async function currentNumber(key: string, courseId: string) {
  const c = await db().certificate.findFirstOrThrow({ where: { userId: f.users[key]!, courseId, revokedAt: null, supersededById: null } })
  return c.number
}

/** The expected register of the fixture province, by staff code (without the STT column). */
async function expected(): Promise<Record<string, (string | null)[]>> {
  const { C1, C2 } = f.courses
  return {
    'NV-D1': ['NV-D1', 'Người d1', 'Công chức', 'T-D', 'Sở Thử', 'Khoá Một', ago(400), await currentNumber('d1', C1), 'Không thời hạn'],
    'NV-A1': ['NV-A1', 'Người a1', 'Công chức', 'T-X1', 'Xã Một', 'Khoá Một', ago(10), await currentNumber('a1', C1), ago(-30)],
    // Expired, but still the current certificate: listed with its past expiry.
    'NV-A2': ['NV-A2', 'Người a2', 'Công chức', 'T-X1', 'Xã Một', 'Khoá Một', ago(400), await currentNumber('a2', C1), ago(10)],
    // Renewed: the new certificate and the renewal's date, not the superseded one.
    'NV-A3': ['NV-A3', 'Người a3', 'Công chức', 'T-X1', 'Xã Một', 'Khoá Một', ago(10), await currentNumber('a3', C1), ago(-700)],
    // Completed, but the certificate was revoked: no number, no expiry.
    'NV-B1': ['NV-B1', 'Người b1', 'Công chức', 'T-X2', 'Xã Hai', 'Khoá Một', ago(10), '', ''],
    'NV-S1': ['NV-S1', 'Người s1', 'Giáo viên', 'T-S1', 'Trường Một', 'Khoá Hai', ago(10), await currentNumber('s1', C2), ago(-700)],
    'NV-C1': ['NV-C1', 'Người c1', 'Công chức', 'T-X3', 'Xã Ba', 'Khoá Một', ago(10), await currentNumber('c1', C1), ago(-700)],
  }
}

const codes = (rows: HrRow[]) => rows.map((r) => r.staff_code).sort()

describe('the register, in the report\'s scope', () => {
  const admin = (): Actor => ({ id: f.admin, roles: [{ role: 'ADMIN', agencyId: null }] })
  const managerX1 = (): Actor => ({ id: f.managerX1, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X1 }] })
  const managerX3 = (): Actor => ({ id: f.managerX3, roles: [{ role: 'AGENCY_MANAGER', agencyId: f.agencies.X3 }] })

  it('lists each person and course completed once, people only enrolled or without an account not at all', async () => {
    const rows = await loadHrRegister(db(), admin(), { agency: f.agencies.P })
    expect(codes(rows)).toEqual(['NV-A1', 'NV-A2', 'NV-A3', 'NV-B1', 'NV-C1', 'NV-D1', 'NV-S1'])
  })

  it('a manager sees their subtree only, never another agency\'s people', async () => {
    expect(codes(await loadHrRegister(db(), managerX1(), {}))).toEqual(['NV-A1', 'NV-A2', 'NV-A3', 'NV-S1'])
    expect(codes(await loadHrRegister(db(), managerX3(), {}))).toEqual(['NV-C1'])
    // A focus outside the scope finds nobody (the routes answer 404 before: the report's check).
    expect(await loadHrRegister(db(), managerX3(), { agency: f.agencies.X1 })).toEqual([])
  })

  it('follows the filters: focus agency (subtree), course, completion period', async () => {
    expect(codes(await loadHrRegister(db(), admin(), { agency: f.agencies.X1 }))).toEqual(['NV-A1', 'NV-A2', 'NV-A3', 'NV-S1'])
    expect(codes(await loadHrRegister(db(), admin(), { agency: f.agencies.P, course: f.courses.C2 }))).toEqual(['NV-S1'])
    const day = (d: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(now.getTime() - d * DAY))
    expect(codes(await loadHrRegister(db(), admin(), { agency: f.agencies.P, from: day(30), to: day(0) }))).toEqual(['NV-A1', 'NV-A3', 'NV-B1', 'NV-C1', 'NV-S1'])
    expect(codes(await loadHrRegister(db(), admin(), { agency: f.agencies.P, to: day(300) }))).toEqual(['NV-A2', 'NV-D1'])
  })
})

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

describe('the CSV and XLSX files', () => {
  it('have the columns and the rows of the register, the same in both', async () => {
    const b = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const want = await expected()
    const csv = await b.get(`/reports/hr.csv?agency=${f.agencies.P}`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="danh-sach-boi-duong-T-P-\d{4}-\d{2}-\d{2}\.csv"$/)
    const csvRows = readCsv(new Uint8Array(await csv.arrayBuffer())).map((r) => r.cells)
    expect(csvRows[0]![0]).toBe('Danh sách cán bộ đã hoàn thành bồi dưỡng (theo từng người)')
    const headerAt = csvRows.findIndex((r) => r[0] === 'STT')
    expect(csvRows[headerAt]).toEqual(HEADER)
    const body = csvRows.slice(headerAt + 1)
    expect(body.map((r) => r[0])).toEqual(body.map((_, i) => String(i + 1)))
    expect(Object.fromEntries(body.map((r) => [r[1], r.slice(1)]))).toEqual(want)

    const xlsx = await b.get(`/reports/hr.xlsx?agency=${f.agencies.P}`)
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const sheet = (await readXlsxFile(Buffer.from(await xlsx.arrayBuffer())))[0]!.data
    const xHeaderAt = sheet.findIndex((r) => r[0] === 'STT')
    expect(sheet[xHeaderAt]).toEqual(HEADER)
    const xBody = sheet.slice(xHeaderAt + 1).map((r) => r.map((c) => (c === null ? '' : String(c))))
    expect(xBody).toEqual(body)
  })

  it('a demo manager\'s file holds their commune only; a learner is refused; a bad or foreign filter is a clear error', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const csv = await manager.get('/reports/hr.csv')
    expect(csv.status).toBe(200)
    const text = new TextDecoder().decode(await csv.arrayBuffer())
    expect(text).toContain('Mã cán bộ')
    for (const code of ['NV-A1', 'NV-C1', 'NV-D1', 'Người ']) expect(text).not.toContain(code)
    const foreign = await manager.get(`/reports/hr.xlsx?agency=${f.agencies.P}`)
    expect(foreign.status).toBe(404)
    const bad = await manager.get('/reports/hr.csv?course=not-a-uuid')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/course/)

    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await learner.get('/reports/hr.csv')).status).toBe(403)
    const anonymous = await new Browser(server.base).get('/reports/hr.xlsx')
    expect(anonymous.status).toBe(302)
  })

  it('are linked from the report page with its filters', async () => {
    const b = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const html = await (await b.get(`/reports?agency=${f.agencies.P}`)).text()
    expect(html).toContain(`href="/reports/hr.csv?agency=${f.agencies.P}"`)
    expect(html).toContain(`href="/reports/hr.xlsx?agency=${f.agencies.P}"`)
    expect(textOf(html)).toContain('Danh sách theo người (Excel)')
  })
})
