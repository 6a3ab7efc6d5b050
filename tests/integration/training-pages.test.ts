// The in-person training pages through the real HTTP stack (production build, demo accounts), on
// the database of this run (PostgreSQL with DATABASE_URL, else PGlite): the commune's manager
// creates a session by form, adds a citizen, roster staff found without accents and an account,
// removes one after confirming; another commune's manager gets 404 for every page and post of it
// and changes nothing; an attendance sheet is previewed with its bad rows by line (in Vietnamese)
// and written once, however often it is confirmed; the A4 sign-in sheet holds the list and blanks.
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { staffKeys } from '~/modules/roster/keys'
import { course } from '../setup/report-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const db = () => server.t.db.prisma
let manager: Browser
let other: Browser
let agencyId = ''
let otherAgencyId = ''
let sessionId = ''
const PASSWORD = 'Quan-ly-khac-2026!'

async function signedIn(email: string, password: string) {
  const browser = new Browser(server.base)
  expect((await browser.signIn(email, password)).status).toBe(303)
  return browser
}

const sessionForm = (extra: Record<string, string | string[]> = {}) => ({
  agencyId,
  startsOn: '2026-11-20',
  endsOn: '2026-11-20',
  commune: 'Xã Bắc Hà',
  village: 'Thôn Nậm Sài',
  trainers: 'Tổ công nghệ số cộng đồng',
  courseSlug: '',
  topic: 'Cài đặt và dùng VNeID',
  minutes: '90',
  ...extra,
})
const csv = (text: string) => ({ name: 'diem-danh.csv', bytes: new TextEncoder().encode(text), type: 'text/csv' })

beforeAll(async () => {
  server = await startTestServer()
  agencyId = (await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
  const otherAgency = await db().agency.findFirstOrThrow({ where: { isSample: false, parentId: { not: null }, id: { not: agencyId }, type: 'COMMUNE' }, orderBy: { code: 'desc' } })
  otherAgencyId = otherAgency.id
  const email = 'quan-ly-khac@training.example'
  const user = await db().user.create({ data: { email, fullName: 'Quản lý xã khác', kind: 'CIVIL_SERVANT', agencyId: otherAgencyId, passwordHash: await hashPassword(PASSWORD), ...userKeys({ fullName: 'Quản lý xã khác', email }) } })
  await db().roleGrant.create({ data: { userId: user.id, role: 'AGENCY_MANAGER', agencyId: otherAgencyId } })
  for (const [code, fullName] of [
    ['BH-T-1', 'Đinh Văn Ánh'],
    ['BH-T-2', 'Dương Thị Bé'],
    ['BH-T-3', 'Nguyễn Thị Hường'],
  ] as const)
    await db().staffRecord.create({ data: { staffCode: code, fullName, agencyId, jobTitle: 'Công chức', ...staffKeys({ staffCode: code, fullName, email: null }) } })
  await db().staffRecord.create({ data: { staffCode: 'KHAC-T-1', fullName: 'Nguyễn Thị Hương Khác', agencyId: otherAgencyId, ...staffKeys({ staffCode: 'KHAC-T-1', fullName: 'Nguyễn Thị Hương Khác', email: null }) } })
  manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
  other = await signedIn(email, PASSWORD)
})
afterAll(async () => {
  await server?.close()
})

describe('training session pages', () => {
  it('the manager creates a session by form; a bad form is refused with its reasons, another subtree’s agency too', async () => {
    const form = textOf(await (await manager.get('/training/new')).text())
    expect(form).toContain('Đơn vị tổ chức')
    const bad = await manager.post('/training/new', sessionForm({ endsOn: '2026-11-19', commune: ' ', minutes: '0' }))
    expect(bad.status).toBe(400)
    const badText = textOf(await bad.text())
    expect(badText).toContain('Ngày kết thúc không được trước ngày bắt đầu.')
    expect(badText).toContain('Hãy nhập xã/phường nơi tổ chức.')
    expect(badText).toContain('Thời lượng là số phút từ 1 đến 100000.')
    const outside = await manager.post('/training/new', sessionForm({ agencyId: otherAgencyId }))
    expect(outside.status).toBe(400)
    expect(textOf(await outside.text())).toContain('Hãy chọn đơn vị tổ chức.')
    const unknownCourse = await manager.post('/training/new', sessionForm({ courseSlug: 'khong-co-khoa-nay', topic: '' }))
    expect(unknownCourse.status).toBe(400)
    expect(textOf(await unknownCourse.text())).toContain('Không có khoá học này trong danh mục.')
    expect(await db().trainingSession.count()).toBe(0)

    const created = await manager.post('/training/new', sessionForm())
    expect(created.status).toBe(303)
    sessionId = created.headers.get('location')!.split('/').pop()!
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/)
    const list = textOf(await (await manager.get('/training')).text())
    expect(list).toContain('Cài đặt và dùng VNeID')
    expect(list).toContain('1 buổi tập huấn')
    // A course of the catalogue with no topic typed: its title is the topic.
    const course = await db().course.findFirst({ where: { retiredAt: null } })
    if (course) {
      const byCourse = await manager.post('/training/new', sessionForm({ courseSlug: course.slug, topic: '' }))
      expect(byCourse.status).toBe(303)
      const s = await db().trainingSession.findUniqueOrThrow({ where: { id: byCourse.headers.get('location')!.split('/').pop()! } })
      expect([s.courseSlug, s.topic]).toEqual([course.slug, course.title])
    }
  })

  it('adds a citizen by form, refuses the same person again (folded) and a bad year with Vietnamese messages', async () => {
    const path = `/training/${sessionId}`
    const added = await manager.post(path, { intent: 'add-citizen', fullName: 'Lò Thị Mai', birthYear: '1990', village: 'Thôn Nậm Sài', phone: '', gender: 'Nữ', ethnicity: 'Dao' })
    expect(added.status).toBe(303)
    expect(added.headers.get('location')).toContain('done=added')
    const again = await manager.post(path, { intent: 'add-citizen', fullName: 'lo thi  mai', birthYear: '1990', village: 'thon nam sai', phone: '', gender: '', ethnicity: '' })
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('Người này đã có trong danh sách buổi học.')
    const badYear = await manager.post(path, { intent: 'add-citizen', fullName: 'Giàng A Sử', birthYear: '85', village: '', phone: 'abc', gender: '', ethnicity: '' })
    expect(badYear.status).toBe(400)
    const html = await badYear.text()
    const text = textOf(html)
    expect(text).toContain('Năm sinh là bốn chữ số từ 1900 đến 2100.')
    expect(text).toContain('Hãy nhập thôn/bản.')
    expect(text).toContain('Số điện thoại không hợp lệ.')
    expect(html).toContain('value="Giàng A Sử"') // what was typed is shown again
    const bogus = await manager.post(path, { intent: 'khong-co' })
    expect(bogus.status).toBe(400)
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(1)
  })

  it('finds roster staff without accents (only of the subtree), adds staff and an account, lists them in Vietnamese order', async () => {
    const path = `/training/${sessionId}`
    const found = await (await manager.get(`${path}?q=nguyen%20thi%20huong`)).text()
    expect(textOf(found)).toContain('Nguyễn Thị Hường')
    expect(textOf(found)).not.toContain('Nguyễn Thị Hương Khác')
    for (const code of ['BH-T-1', 'BH-T-2', 'BH-T-3']) {
      const record = await db().staffRecord.findUniqueOrThrow({ where: { staffCode: code } })
      expect((await manager.post(path, { intent: 'add-staff', staffRecordId: record.id, q: 'nguyen' })).status).toBe(303)
    }
    const outsider = await db().staffRecord.findUniqueOrThrow({ where: { staffCode: 'KHAC-T-1' } })
    const refused = await manager.post(path, { intent: 'add-staff', staffRecordId: outsider.id })
    expect(refused.status).toBe(404)
    const learner = await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const accounts = textOf(await (await manager.get(`${path}?q=${encodeURIComponent(learner.fullName.normalize('NFD').replace(/\p{M}/gu, ''))}`)).text())
    expect(accounts).toContain(learner.fullName)
    expect((await manager.post(path, { intent: 'add-account', userId: learner.id })).status).toBe(303)
    expect((await manager.post(path, { intent: 'add-account', userId: learner.id })).status).toBe(409)
    const page = textOf(await (await manager.get(path)).text())
    expect(page).toContain('5 người tham dự')
    // Vietnamese order: D before Đ, Đ before L, L before N.
    const order = ['Dương Thị Bé', 'Đinh Văn Ánh', 'Lò Thị Mai', 'Nguyễn Thị Hường'].map((n) => page.indexOf(n))
    expect(order.every((i) => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('removes an attendee only after confirming', async () => {
    const path = `/training/${sessionId}`
    const mai = await db().trainingAttendee.findFirstOrThrow({ where: { sessionId, fullName: 'Lò Thị Mai' } })
    const confirmPage = textOf(await (await manager.get(`${path}?remove=${mai.id}`)).text())
    expect(confirmPage).toContain('Xoá Lò Thị Mai khỏi danh sách buổi tập huấn này?')
    const unconfirmed = await manager.post(path, { intent: 'remove', attendeeId: mai.id })
    expect(unconfirmed.status).toBe(400)
    expect(textOf(await unconfirmed.text())).toContain('Hãy đánh dấu ô xác nhận trước khi xoá.')
    expect(await db().trainingAttendee.count({ where: { id: mai.id } })).toBe(1)
    const removed = await manager.post(path, { intent: 'remove', attendeeId: mai.id, confirm: 'yes' })
    expect(removed.status).toBe(303)
    expect(await db().trainingAttendee.count({ where: { id: mai.id } })).toBe(0)
    expect((await manager.post(path, { intent: 'remove', attendeeId: mai.id, confirm: 'yes' })).status).toBe(404)
  })

  it('another commune’s manager gets 404 on every page and post of the session, and changes nothing', async () => {
    const before = await db().trainingAttendee.findMany({ where: { sessionId }, orderBy: { id: 'asc' } })
    const someone = before[0]!
    const paths = [`/training/${sessionId}`, `/training/${sessionId}/sheet`, `/training/${sessionId}/import`]
    for (const path of paths) {
      const response = await other.get(path)
      expect(response.status, path).toBe(404)
      expect(await response.text()).not.toContain('Cài đặt và dùng VNeID')
    }
    const posts: Array<Record<string, string>> = [
      { intent: 'add-citizen', fullName: 'Người Lạ', birthYear: '1990', village: 'Thôn Xa', phone: '', gender: '', ethnicity: '' },
      { intent: 'remove', attendeeId: someone.id, confirm: 'yes' },
      { intent: 'khong-co' },
    ]
    for (const form of posts) expect((await other.post(`/training/${sessionId}`, form)).status, form.intent).toBe(404)
    expect((await other.upload(`/training/${sessionId}/import`, { file: csv('Họ và tên,Năm sinh,Thôn\nNgười Lạ,1990,Thôn Xa\n') })).status).toBe(404)
    expect(textOf(await (await other.get('/training')).text())).not.toContain('Cài đặt và dùng VNeID')
    expect(await db().trainingAttendee.findMany({ where: { sessionId }, orderBy: { id: 'asc' } })).toEqual(before)
    expect(await db().trainingImport.count()).toBe(0)
  })

  it('imports an attendance sheet: bad rows by line in Vietnamese, repeats in the file, people on the list; one confirm writes once', async () => {
    const path = `/training/${sessionId}/import`
    const missing = await manager.upload(path, { file: csv('Tên,Tuổi\nA,1\n') })
    expect(missing.status).toBe(400)
    expect(textOf(await missing.text())).toContain('Tệp thiếu cột bắt buộc: Họ và tên, Năm sinh, Thôn/bản.')
    expect((await manager.upload(path, { file: { name: 'a.txt', bytes: new TextEncoder().encode('x'), type: 'text/plain' } })).status).toBe(400)
    // Someone already on the list (by hand) and a row that repeats another.
    await manager.post(`/training/${sessionId}`, { intent: 'add-citizen', fullName: 'Sùng Thị Dợ', birthYear: '1978', village: 'Thôn Nậm Sài', phone: '', gender: '', ethnicity: '' })
    const sheet = [
      'Họ và tên,Năm sinh,Thôn/bản,Số điện thoại,Giới tính,Dân tộc',
      'Vàng A Chá,1988,Thôn Nậm Sài,0912345678,Nam,Mông', // line 2
      'Lù Thị Sen,1850,Thôn Na Hối,,,', // line 3: year out of range
      ',1990,Thôn Na Hối,,,', // line 4: no name
      'vang a cha,1988,thon nam sai,,,', // line 5: line 2 again
      'Sùng Thị Dợ,1978,Thôn Nậm Sài,,,', // line 6: already on the list
      'Hoàng Văn Pả,1995,Thôn Na Hối,,Nam,Tày', // line 7
    ].join('\n')
    const uploaded = await manager.upload(path, { file: csv(sheet) })
    expect(uploaded.status).toBe(303)
    const preview = uploaded.headers.get('location')!
    expect(preview).toMatch(new RegExp(`^/training/${sessionId}/import/[0-9a-f-]{36}$`))
    const before = await db().trainingAttendee.count({ where: { sessionId } })
    const page = textOf(await (await manager.get(preview)).text())
    expect(page).toContain('6 dòng: 2 người sẽ được thêm, 1 đã có trong danh sách, 3 dòng có lỗi.')
    expect(page).toMatch(/3 Năm sinh là bốn chữ số từ 1900 đến 2100\./)
    expect(page).toMatch(/4 Hãy nhập họ và tên\./)
    expect(page).toMatch(/5 Trùng với dòng 2 trong tệp/)
    expect(page).toMatch(/6 Người này đã có trong danh sách buổi học\./)
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(before)

    const confirmed = await manager.post(preview, { intent: 'confirm' })
    expect(confirmed.status).toBe(303)
    expect(textOf(await (await manager.get(preview)).text())).toContain('Đã ghi: 2 người được thêm vào danh sách.')
    const again = await manager.post(preview, { intent: 'confirm' })
    expect(again.status).toBe(409)
    expect(textOf(await again.text())).toContain('không ghi lại lần nữa')
    expect((await manager.post(preview, { intent: 'cancel' })).status).toBe(409)
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(before + 2)
    const cha = await db().trainingAttendee.findFirstOrThrow({ where: { sessionId, fullName: 'Vàng A Chá' } })
    expect([cha.kind, cha.birthYear, cha.phone, cha.gender, cha.ethnicity]).toEqual(['CITIZEN', 1988, '0912345678', 'Nam', 'Mông'])
    // The same file again: everyone is on the list now, nothing to add.
    const second = await manager.upload(path, { file: csv(sheet) })
    const secondPage = textOf(await (await manager.get(second.headers.get('location')!)).text())
    expect(secondPage).toContain('6 dòng: 0 người sẽ được thêm, 3 đã có trong danh sách, 3 dòng có lỗi.')
    // Another manager cannot see or confirm the preview.
    expect((await other.get(second.headers.get('location')!)).status).toBe(404)
    expect((await other.post(second.headers.get('location')!, { intent: 'confirm' })).status).toBe(404)
  })

  it('two confirms at once write the rows once', async () => {
    const uploaded = await manager.upload(`/training/${sessionId}/import`, { file: csv('Họ và tên,Năm sinh,Thôn\nMa Thị Lan,1999,Thôn Na Hối\nMa Văn Tú,2001,Thôn Na Hối\n') })
    const preview = uploaded.headers.get('location')!
    const before = await db().trainingAttendee.count({ where: { sessionId } })
    const statuses = (await Promise.all([manager.post(preview, { intent: 'confirm' }), manager.post(preview, { intent: 'confirm' })])).map((r) => r.status).sort()
    expect(statuses).toEqual([303, 409])
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(before + 2)
  })

  it('prints an A4 sign-in sheet: administrative heading, the session, the list and empty rows', async () => {
    const response = await manager.get(`/training/${sessionId}/sheet`)
    expect(response.status).toBe(200)
    const html = await response.text()
    const text = textOf(html)
    expect(text).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM')
    expect(text).toContain('DANH SÁCH KÝ TÊN THAM DỰ TẬP HUẤN')
    expect(text).toContain('XÃ BẮC HÀ')
    expect(text).toContain('Cài đặt và dùng VNeID')
    expect(text).toContain('Thôn Nậm Sài, Xã Bắc Hà')
    expect(text).toContain('Vàng A Chá')
    const attendees = await db().trainingAttendee.count({ where: { sessionId } })
    const blank = (html.match(/class="blank-row"/g) ?? []).length
    expect(blank).toBe(Math.max(10, 25 - attendees))
  })

  it('the report counts the session: staff in person, citizens per village and by topic, the people behind them, in the exports', async () => {
    const staff = await db().trainingAttendee.count({ where: { sessionId, kind: { not: 'CITIZEN' } } })
    const citizenRows = await db().trainingAttendee.findMany({ where: { session: { agencyId }, kind: 'CITIZEN' }, select: { citizenKey: true } })
    const citizens = new Set(citizenRows.map((c) => c.citizenKey)).size
    const report = await manager.get(`/reports?agency=${agencyId}`)
    expect(report.status).toBe(200)
    const text = textOf(await report.text())
    expect(text).toContain(`Cán bộ được tập huấn trực tiếp ${staff}`)
    expect(text).toContain(`Người dân được tập huấn trực tiếp ${citizens}`)
    expect(text).toMatch(/Xã Bắc Hà Thôn Nậm Sài \d+/)
    expect(text).toContain('Cài đặt và dùng VNeID')
    const people = textOf(await (await manager.get(`/reports/training?agency=${agencyId}&list=citizens`)).text())
    expect(people).toContain('Vàng A Chá')
    expect(people).toContain('Hoàng Văn Pả')
    expect(textOf(await (await manager.get(`/reports/training?agency=${agencyId}`)).text())).toContain('Dương Thị Bé')
    // A session outside the period is not counted.
    expect(textOf(await (await manager.get(`/reports?agency=${agencyId}&from=2026-12-01`)).text())).toContain('Người dân được tập huấn trực tiếp 0')
    const csv = new TextDecoder().decode(await (await manager.get(`/reports/training.csv?agency=${agencyId}`)).arrayBuffer())
    expect(csv).toContain(`Người dân được tập huấn trực tiếp,${citizens}`)
    expect(csv).toContain(`Cán bộ được tập huấn trực tiếp,${staff}`)
    expect(csv).toContain('Vàng A Chá,1988,Thôn Nậm Sài,Xã Bắc Hà,Nam,Mông,1')
    const xlsx = await manager.get(`/reports/training.xlsx?agency=${agencyId}`)
    expect(xlsx.status).toBe(200)
    const sheet = (await readXlsxFile(Buffer.from(await xlsx.arrayBuffer())))[0]!.data.map((r) => r.filter((c) => c !== null && c !== '').map(String).join('|'))
    expect(sheet).toContain(`Người dân được tập huấn trực tiếp|${citizens}`)
    expect(sheet.some((r) => r.includes('Vàng A Chá|1988|Thôn Nậm Sài'))).toBe(true)
    // Another commune's manager: not found, never the names.
    for (const path of [`/reports/training?agency=${agencyId}&list=citizens`, `/reports/training.csv?agency=${agencyId}`]) {
      const outside = await other.get(path)
      expect(outside.status, path).toBe(404)
      expect(await outside.text()).not.toContain('Vàng A Chá')
    }
    expect(textOf(await (await other.get('/reports')).text())).toContain('Người dân được tập huấn trực tiếp 0')
  })

  it('a citizen recorded offline is added exactly once, however often the phone sends it; scoped like the form', async () => {
    const send = (browser: Browser | null, body: unknown) =>
      fetch(`${server.base}/api/training-attendance`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.base, ...(browser ? { Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
        body: JSON.stringify(body),
      })
    const mark = { id: 'phone-0123456789abcdef', sessionId, fields: { fullName: 'Thào Thị Chở', birthYear: '1975', village: 'Thôn Nậm Sài', phone: '', gender: 'Nữ', ethnicity: 'Mông' } }
    const before = await db().trainingAttendee.count({ where: { sessionId } })
    expect((await send(null, mark)).status).toBe(401)
    expect((await send(other, mark)).status).toBe(404)
    const first = await send(manager, mark)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ ok: true, recorded: true })
    const again = await Promise.all([send(manager, mark), send(manager, mark)])
    for (const r of again) expect(await r.json()).toMatchObject({ ok: true, recorded: false })
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(before + 1)
    // The same person under another id: already on the list. A bad entry: refused with a reason.
    const same = await send(manager, { ...mark, id: 'phone-other-0123456789' })
    expect(same.status).toBe(409)
    expect((await same.json()).error).toBe('Người này đã có trong danh sách buổi học.')
    const bad = await send(manager, { ...mark, id: 'phone-bad-0123456789', fields: { ...mark.fields, birthYear: '75' } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toContain('thiếu họ tên, năm sinh hoặc thôn/bản')
    // The id of an entry already sent, for another session: refused, never moved.
    const otherSession = (await manager.post('/training/new', sessionForm({ topic: 'Buổi thứ hai' }))).headers.get('location')!.split('/').pop()!
    expect((await send(manager, { ...mark, sessionId: otherSession })).status).toBe(409)
    expect(await db().trainingAttendee.count({ where: { sessionId } })).toBe(before + 1)
    expect((await db().trainingAttendee.findUniqueOrThrow({ where: { clientId: mark.id } })).sessionId).toBe(sessionId)
  })

  it('a session of chosen lessons with an end-of-session check, by form: the scores are recorded per attendee, all or nothing', async () => {
    // A course of the catalogue with two lessons, as the content mirror writes them.
    const courseId = await course(db(), 'tap-huan-bai-chon', 'Khoá có bài chọn')
    for (const [position, slug, title] of [
      [1, 'bai-mot', 'Mở ứng dụng VNeID'],
      [2, 'bai-hai', 'Nộp hồ sơ trực tuyến'],
    ] as const)
      await db().lesson.create({ data: { courseId, slug, position, title, summary: '', minutes: 10, standardCodes: [], contentHash: slug } })
    const c = { slug: 'tap-huan-bai-chon' }
    const [l1, l2] = [{ slug: 'bai-mot', title: 'Mở ứng dụng VNeID' }, { slug: 'bai-hai', title: 'Nộp hồ sơ trực tuyến' }]
    const form = await (await manager.get('/training/new')).text()
    expect(textOf(form)).toContain('Kiểm tra cuối buổi (không bắt buộc)')
    expect(form).toContain(`value="${c.slug}/${l1!.slug}"`)
    const half = await manager.post('/training/new', sessionForm({ topic: '', lessons: [`${c.slug}/${l1!.slug}`], checkMaxScore: '10', checkPassScore: '' }))
    expect(half.status).toBe(400)
    const halfHtml = await half.text()
    expect(textOf(halfHtml)).toContain('Hãy nhập cả điểm tối đa và điểm đạt')
    expect(halfHtml).toMatch(new RegExp(`<input type="checkbox" name="lessons" checked="" value="${c.slug}/${l1!.slug}"`)) // the choice is kept
    const created = await manager.post('/training/new', sessionForm({ topic: '', lessons: [`${c.slug}/${l2!.slug}`, `${c.slug}/${l1!.slug}`], checkMaxScore: '10', checkPassScore: '5' }))
    expect(created.status).toBe(303)
    const path = created.headers.get('location')!
    for (const [fullName, birthYear] of [
      ['Sùng A Páo', '1990'],
      ['Lý Thị Say', '1992'],
    ] as const)
      expect((await manager.post(path, { intent: 'add-citizen', fullName, birthYear, village: 'Thôn Nậm Sài', phone: '', gender: '', ethnicity: '' })).status).toBe(303)
    const page = await (await manager.get(path)).text()
    expect(textOf(page)).toContain(l1!.title)
    expect(textOf(page)).toContain(l2!.title)
    expect(textOf(page)).toContain('điểm tối đa 10, đạt từ 5 điểm')
    const people = await db().trainingAttendee.findMany({ where: { sessionId: path.split('/').pop()! }, orderBy: { fullName: 'asc' } })
    const [say, pao] = people as [(typeof people)[number], (typeof people)[number]] // Lý Thị Say, Sùng A Páo
    expect(page).toContain(`name="score-${say!.id}"`)
    expect(page).toContain(`aria-label="Điểm kiểm tra của ${say!.fullName}"`)
    // A score above the highest: 400 in Vietnamese, nothing written, what was typed shown again.
    const bad = await manager.post(path, { intent: 'record-scores', [`score-${say!.id}`]: '8', [`score-${pao!.id}`]: '12' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(textOf(badHtml)).toContain('Điểm là số nguyên từ 0 đến điểm tối đa')
    expect(badHtml).toContain('value="12"')
    expect(await db().trainingAttendee.count({ where: { sessionId: say!.sessionId, checkScore: { not: null } } })).toBe(0)
    // Another commune's manager: 404, nothing written.
    expect((await other.post(path, { intent: 'record-scores', [`score-${say!.id}`]: '8' })).status).toBe(404)
    const saved = await manager.post(path, { intent: 'record-scores', [`score-${say!.id}`]: '8', [`score-${pao!.id}`]: '3' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toContain('done=scores')
    expect(textOf(await (await manager.get(path)).text())).toContain('1/2 người có điểm đã đạt')
    // Lowering the highest score below a recorded one is refused beside the form; a valid change is kept.
    const lower = await manager.post(path, { intent: 'set-check', checkMaxScore: '6', checkPassScore: '3' })
    expect(lower.status).toBe(400)
    expect(textOf(await lower.text())).toContain('Có điểm đã ghi cao hơn điểm tối đa mới.')
    expect((await manager.post(path, { intent: 'set-check', checkMaxScore: '8', checkPassScore: '4' })).status).toBe(303)
    expect(textOf(await (await manager.get(path)).text())).toContain('điểm tối đa 8, đạt từ 4 điểm')
  })
})
