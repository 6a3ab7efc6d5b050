// Classes through the real HTTP stack: a teacher creates a class and assigns the fixture course,
// students join with the code (one without email, with a name and a PIN; one with their account),
// progress shows in the teacher's table and its CSV/XLSX exports, PINs are reset and throttled, and
// another teacher sees nothing of the class.
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { setContentStore } from '~/modules/content/service.server'
import { startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
const db = () => server.t.db.prisma

beforeAll(async () => {
  server = await startTestServer()
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma)
  dirs.push(contentDir, cacheDir)
  // A second teacher, at the same sample school.
  const school = await db().agency.findUniqueOrThrow({ where: { code: 'MAU-THCS-BACHA' } })
  const other = await db().user.create({
    data: { fullName: 'Vàng Thị Dung', email: 'gv2@banso.example', kind: 'TEACHER', agencyId: school.id, passwordHash: await hashPassword('Núi Fansipan 3143m'), ...userKeys({ fullName: 'Vàng Thị Dung', email: 'gv2@banso.example' }) },
  })
  await db().roleGrant.create({ data: { userId: other.id, role: 'TEACHER', agencyId: school.id } })
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

let classId = ''
let code = ''

describe('a class', () => {
  it('is created by a teacher with a name and a school; bad input gets its message and writes nothing', async () => {
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const form = textOf(await (await teacher.get('/classes/new')).text())
    expect(form).toContain('Trường THCS mẫu Bắc Hà')
    const school = await db().agency.findUniqueOrThrow({ where: { code: 'MAU-THCS-BACHA' } })
    const commune = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })

    const blank = await teacher.post('/classes/new', { name: '   ', schoolId: school.id })
    expect(blank.status).toBe(400)
    expect(textOf(await blank.text())).toContain('Hãy nhập tên lớp.')
    const notSchool = await teacher.post('/classes/new', { name: 'Lớp 8A', schoolId: commune.id })
    expect(notSchool.status).toBe(400)
    expect(textOf(await notSchool.text())).toContain('Không có trường này trong danh sách.')
    expect(await db().class.count()).toBe(0)

    const created = await teacher.post('/classes/new', { name: '  Lớp 8A —  Tin học ', schoolId: school.id })
    expect(created.status).toBe(303)
    classId = created.headers.get('location')!.split('/').pop()!
    const row = await db().class.findUniqueOrThrow({ where: { id: classId } })
    expect(row.name).toBe('Lớp 8A — Tin học')
    expect(row.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    code = row.joinCode
    const page = textOf(await (await teacher.get(`/classes/${classId}`)).text())
    expect(page).toContain(code)

    const sheet = await (await teacher.get(`/classes/${classId}/print`)).text()
    expect(sheet).toContain(code)
    expect(sheet).toMatch(/<img[^>]+src="data:image\/svg\+xml;base64,/)
    expect(await db().auditLog.count({ where: { action: 'class.create', targetId: classId } })).toBe(1)
  })

  it('is refused to a learner without the teacher role', async () => {
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const school = await db().agency.findUniqueOrThrow({ where: { code: 'MAU-THCS-BACHA' } })
    const response = await learner.post('/classes/new', { name: 'Lớp lạ', schoolId: school.id })
    expect(response.status).toBe(403)
    expect(await db().class.count()).toBe(1)
  })

  it('gets work assigned: a whole course, a single lesson, with due dates checked', async () => {
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    expect((await teacher.post(`/classes/${classId}`, { intent: 'assign', target: 'khoa-thu/khong-co', due: '' })).status).toBe(400)
    const badDue = await teacher.post(`/classes/${classId}`, { intent: 'assign', target: 'khoa-thu', due: '2026-02-31' })
    expect(badDue.status).toBe(400)
    expect(textOf(await badDue.text())).toContain('Ngày hạn không hợp lệ.')
    expect((await teacher.post(`/classes/${classId}`, { intent: 'assign', target: 'khoa-thu', due: '2026-12-31' })).status).toBe(303)
    const again = await teacher.post(`/classes/${classId}`, { intent: 'assign', target: 'khoa-thu', due: '' })
    expect(again.status).toBe(400)
    expect(textOf(await again.text())).toContain('Bài này đã được giao cho lớp.')
    const assignment = await db().classAssignment.findFirstOrThrow({ where: { classId } })
    expect(assignment.dueAt?.toISOString()).toBe('2026-12-31T16:59:59.999Z') // end of the day in Vietnam
  })
})

describe('students', () => {
  let studentCookie: Browser
  const PIN = '482915'

  it('join without email with a name and a PIN they choose (code typed loosely); weak or mistyped PINs are refused', async () => {
    const visitor = new Browser(server.base)
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`
    const page = textOf(await (await visitor.get(`/join?code=${encodeURIComponent(typed)}`)).text())
    expect(page).toContain('Lớp 8A — Tin học')
    const weak = await visitor.post(`/join?code=${typed}`, { intent: 'join-pin', code: typed, fullName: 'Sùng A Páo', pin: '123456', pinAgain: '123456' })
    expect(weak.status).toBe(400)
    expect(textOf(await weak.text())).toContain('quá dễ đoán')
    const mismatch = await visitor.post(`/join?code=${typed}`, { intent: 'join-pin', code: typed, fullName: 'Sùng A Páo', pin: PIN, pinAgain: '482916' })
    expect(mismatch.status).toBe(400)
    expect(textOf(await mismatch.text())).toContain('Hai lần nhập mã PIN không giống nhau.')
    const unknown = await visitor.post('/join?code=ZZZZZZ', { intent: 'join-pin', code: 'ZZZZZZ', fullName: 'Sùng A Páo', pin: PIN, pinAgain: PIN })
    expect(unknown.status).toBe(400)
    expect(await db().user.count({ where: { kind: 'STUDENT' } })).toBe(0)

    const joined = await visitor.post(`/join?code=${typed}`, { intent: 'join-pin', code: typed, fullName: 'Sùng  A Páo', pin: PIN, pinAgain: PIN })
    expect(joined.status).toBe(303)
    expect(joined.headers.get('location')).toBe('/classes')
    const student = await db().user.findFirstOrThrow({ where: { kind: 'STUDENT' } })
    expect(student).toMatchObject({ fullName: 'Sùng A Páo', email: null, phone: null, passwordHash: null })
    const member = await db().classMember.findFirstOrThrow({ where: { userId: student.id } })
    expect(member.pinHash).toMatch(/^\$argon2id\$/)
    const mine = textOf(await (await visitor.get('/classes')).text())
    expect(mine).toContain('Lớp 8A — Tin học')
    expect(mine).toContain('Khoá thử nghiệm')
    studentCookie = visitor
  })

  it('cannot take a name already in the class (accents and case folded)', async () => {
    const other = new Browser(server.base)
    const response = await other.post(`/join?code=${code}`, { intent: 'join-pin', code, fullName: 'sung a pao', pin: '730412', pinAgain: '730412' })
    expect(response.status).toBe(400)
    expect(textOf(await response.text())).toContain('Trong lớp đã có người tên này.')
  })

  it('complete a lesson, and the teacher’s table, CSV and XLSX show it', async () => {
    expect((await studentCookie.post('/courses/khoa-thu/bai-mot', { intent: 'done' })).status).toBe(302)
    // A learner with their own account joins too, and a student with a formula for a name.
    const learner = await signedIn('hocvien@banso.example', 'HocVien@2026')
    expect((await learner.post(`/join?code=${code}`, { intent: 'join-account', code })).status).toBe(303)
    expect((await learner.post(`/join?code=${code}`, { intent: 'join-account', code })).status).toBe(303) // again: no change
    const sly = new Browser(server.base)
    expect((await sly.post(`/join?code=${code}`, { intent: 'join-pin', code, fullName: '=HYPERLINK("http://x")', pin: '730412', pinAgain: '730412' })).status).toBe(303)

    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const html = await (await teacher.get(`/classes/${classId}`)).text()
    const table = html.slice(html.indexOf('data-testid="class-table"'))
    const row = (name: string) => textOf(table.slice(table.indexOf(name), table.indexOf('</tr>', table.indexOf(name))))
    expect(row('Sùng A Páo')).toMatch(/✓ Đã xong ngày .* Chưa — 1\/2/)
    expect(row('Nguyễn Thị Hương')).toMatch(/Chưa Chưa — 0\/2/)
    expect(await db().classMember.count({ where: { classId } })).toBe(3)

    const csvResponse = await teacher.get(`/classes/${classId}/export/csv`)
    expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const csv = Buffer.from(await csvResponse.arrayBuffer())
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.toString('utf8').slice(1).split('\r\n')
    expect(lines[0]).toBe('Học sinh,Email / điện thoại,Khoá thử nghiệm — Bài một,Khoá thử nghiệm — Bài hai,Điểm kiểm tra (%): Khoá thử nghiệm,Số bài xong')
    expect(lines.find((l) => l.startsWith('Sùng A Páo'))).toMatch(/^Sùng A Páo,\(mã PIN\),Đã xong \S+.*,Chưa,,1\/2$/)
    expect(lines.find((l) => l.includes('HYPERLINK'))).toBe(`"'=HYPERLINK(""http://x"")",(mã PIN),Chưa,Chưa,,0/2`)

    const xlsx = Buffer.from(await (await teacher.get(`/classes/${classId}/export/xlsx`)).arrayBuffer())
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx as never)
    const sheet = workbook.worksheets[0]!
    const values = sheet.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1))
    expect(values[0]![0]).toBe('Học sinh')
    const pao = values.find((r) => r[0] === 'Sùng A Páo')!
    expect(String(pao[2])).toMatch(/^Đã xong /)
    expect(pao[5]).toBe('1/2')
    // A text cell, exactly as typed — a formula would come back as an object ({ formula }).
    expect(values.some((r) => r[0] === '=HYPERLINK("http://x")')).toBe(true)
  })

  it('sign in again with code, name and PIN; the teacher resets a PIN (shown once) and the old one stops working', async () => {
    const wrong = await new Browser(server.base).post(`/join?code=${code}`, { intent: 'signin-pin', code, fullName: 'Sùng A Páo', pin: '000001' })
    expect(wrong.status).toBe(400)
    expect(textOf(await wrong.text())).toContain('Mã lớp, họ tên hoặc mã PIN không đúng.')
    const back = new Browser(server.base)
    expect((await back.post(`/join?code=${code}`, { intent: 'signin-pin', code, fullName: 'sùng a páo', pin: PIN })).status).toBe(303)
    expect(textOf(await (await back.get('/classes')).text())).toContain('Lớp 8A — Tin học')

    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    const student = await db().user.findFirstOrThrow({ where: { fullName: 'Sùng A Páo' } })
    const reset = await teacher.post(`/classes/${classId}`, { intent: 'reset-pin', user: student.id })
    expect(reset.status).toBe(200)
    const newPin = /Mã PIN mới của Sùng A Páo: (\d{6})/.exec(textOf(await reset.text()))![1]!
    expect(newPin).not.toBe(PIN)
    expect(await db().session.count({ where: { userId: student.id } })).toBe(0) // signed out everywhere
    expect((await back.get('/classes')).status).toBe(302)
    expect((await new Browser(server.base).post(`/join?code=${code}`, { intent: 'signin-pin', code, fullName: 'Sùng A Páo', pin: PIN })).status).toBe(400)
    expect((await new Browser(server.base).post(`/join?code=${code}`, { intent: 'signin-pin', code, fullName: 'Sùng A Páo', pin: newPin })).status).toBe(303)
    // A learner with an account has no PIN to reset.
    const learner = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    expect((await teacher.post(`/classes/${classId}`, { intent: 'reset-pin', user: learner.id })).status).toBe(404)
  })

  it('PIN guessing is throttled per class and name', async () => {
    const guesser = new Browser(server.base)
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await guesser.post(`/join?code=${code}`, { intent: 'signin-pin', code, fullName: '=HYPERLINK("http://x")', pin: String(100000 + i * 7) })).status)
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400])
    expect(statuses.slice(5)).toContain(429)
  })
})

describe('another teacher', () => {
  it('cannot open, export, print or change the class (404), and does not see it in their list', async () => {
    const other = await signedIn('gv2@banso.example', 'Núi Fansipan 3143m')
    for (const path of [`/classes/${classId}`, `/classes/${classId}/print`, `/classes/${classId}/export/csv`, `/classes/${classId}/export/xlsx`]) {
      expect((await other.get(path)).status, path).toBe(404)
    }
    const student = await db().user.findFirstOrThrow({ where: { fullName: 'Sùng A Páo' } })
    const before = await db().classMember.findFirstOrThrow({ where: { userId: student.id } })
    expect((await other.post(`/classes/${classId}`, { intent: 'reset-pin', user: student.id })).status).toBe(404)
    expect((await other.post(`/classes/${classId}`, { intent: 'assign', target: 'khoa-thu/bai-hai', due: '' })).status).toBe(404)
    expect((await db().classMember.findFirstOrThrow({ where: { userId: student.id } })).pinHash).toBe(before.pinHash)
    const list = textOf(await (await other.get('/classes')).text())
    expect(list).not.toContain('Lớp 8A')
    expect(list).not.toContain('Sùng A Páo')
  })
})
