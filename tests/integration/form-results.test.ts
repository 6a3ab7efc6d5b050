// Forms keep what was typed (docs/decisions/015): a refused submit answers 400 with the one result
// shape, and the page it renders shows the typed values again — on the assignment, agency and
// class forms; and a field sent several times is kept whole (Object.fromEntries kept the last).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLearningServer, type LearningServer } from '../setup/learning-server'
import { Browser } from '../setup/test-server'

let server: LearningServer
let admin: Browser
let teacher: Browser
let courseId = ''
let bacHaId = ''

beforeAll(async () => {
  server = await startLearningServer()
  courseId = (await server.t.db.prisma.course.findFirstOrThrow({ where: { slug: 'khoa-thu' } })).id
  bacHaId = (await server.t.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
  admin = new Browser(server.base)
  expect((await admin.signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(303)
  teacher = new Browser(server.base)
  expect((await teacher.signIn('giaovien@banso.example', 'GiaoVien@2026')).status).toBe(303)
})

afterAll(async () => {
  await server?.close()
})

/** A POST with fields in order, some repeated (Browser.post takes a record). */
async function postPairs(browser: Browser, path: string, pairs: Array<[string, string]>): Promise<Response> {
  return fetch(server.base + path, {
    method: 'POST',
    headers: { Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), Origin: server.base, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(pairs),
    redirect: 'manual',
  })
}

const selected = (html: string, value: string) => new RegExp(`<option[^>]*value="${value}"[^>]*selected`).test(html) || new RegExp(`<option[^>]*selected[^>]*value="${value}"`).test(html)

describe('a refused form shows what was typed', () => {
  it('assignments: the course, agency and job titles are still chosen and typed', async () => {
    const response = await postPairs(admin, '/assignments', [
      ['intent', 'create'],
      ['courseId', courseId],
      ['agencyId', bacHaId],
      ['jobTitles', 'Công chức Địa chính'],
      ['dueAt', 'không phải ngày'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(selected(html, courseId), 'the course stays chosen').toBe(true)
    expect(selected(html, bacHaId), 'the agency stays chosen').toBe(true)
    expect(html).toContain('value="Công chức Địa chính"')
    expect(await server.t.db.prisma.courseAssignment.count()).toBe(0)
  })

  it('a new agency: code, name, type, headcount are still there', async () => {
    const response = await postPairs(admin, '/admin/agencies', [
      ['code', 'XA-THU-01'],
      ['name', 'Xã Thử Nghiệm Mới'],
      ['type', 'COMMUNE'],
      ['parentId', ''],
      ['headcountManual', '-5'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('value="XA-THU-01"')
    expect(html).toContain('value="Xã Thử Nghiệm Mới"')
    expect(html).toContain('value="-5"')
    expect(selected(html, 'COMMUNE')).toBe(true)
  })

  it('an agency’s new name is kept when its headcount is refused (not replaced by the saved name)', async () => {
    const response = await postPairs(admin, `/admin/agencies/${bacHaId}`, [
      ['intent', 'update'],
      ['name', 'Xã Bắc Hà Đổi Tên'],
      ['headcountManual', 'mười hai'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('value="Xã Bắc Hà Đổi Tên"')
    expect(html).toContain('value="mười hai"')
    expect((await server.t.db.prisma.agency.findUniqueOrThrow({ where: { id: bacHaId } })).name).toBe('Xã Bắc Hà')
  })

  it('a new class: the name stays when the school is refused', async () => {
    const response = await postPairs(teacher, '/classes/new', [
      ['name', 'Lớp 9A Tin học'],
      ['schoolId', '00000000-0000-4000-8000-000000000000'],
    ])
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('value="Lớp 9A Tin học"')
  })
})

describe('the sign-in and sign-up pages, in the same shape', () => {
  it('sign-in: the identifier is kept, the password never sent back', async () => {
    const response = await postPairs(new Browser(server.base), '/login', [
      ['identifier', 'hocvien@banso.example'],
      ['password', 'Sai-mat-khau-XYZ-2026'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('value="hocvien@banso.example"')
    expect(html).not.toContain('Sai-mat-khau-XYZ-2026')
  })

  it('sign-up: name, identifier and job title are kept, the passwords are not', async () => {
    const response = await postPairs(new Browser(server.base), '/signup', [
      ['fullName', 'Sùng Thị Dở'],
      ['identifier', 'sung.do@banso.example'],
      ['password', 'Mat-khau-dai-2026!'],
      ['passwordConfirm', 'Mat-khau-khac-2026!'],
      ['kind', 'CIVIL_SERVANT'],
      ['agencyId', bacHaId],
      ['jobTitle', 'Công chức Tư pháp'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    for (const v of ['Sùng Thị Dở', 'sung.do@banso.example', 'Công chức Tư pháp']) expect(html).toContain(`value="${v}"`)
    expect(html).not.toContain('Mat-khau-dai-2026!')
    expect(html).not.toContain('Mat-khau-khac-2026!')
  })
})

describe('a repeated field is kept whole', () => {
  it('assignments: job titles sent as several fields are all stored', async () => {
    const response = await postPairs(admin, '/assignments', [
      ['intent', 'create'],
      ['courseId', courseId],
      ['agencyId', bacHaId],
      ['jobTitles', 'Công chức Địa chính'],
      ['jobTitles', 'Công chức Văn hoá'],
      ['dueAt', '2026-12-31'],
    ])
    expect(response.status).toBe(200)
    const stored = await server.t.db.prisma.courseAssignment.findFirstOrThrow({ where: { courseId, agencyId: bacHaId } })
    expect(stored.jobTitles.sort()).toEqual(['Công chức Văn hoá', 'Công chức Địa chính'].sort())
  })
})
