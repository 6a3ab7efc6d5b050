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

/** The attribute list of the element with this id. */
const tagWithId = (html: string, id: string) => new RegExp(`<(?:input|select|textarea)[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? ''

describe('the forms converted last, in the same shape (issue 14 point 8)', () => {
  it('account: a refused profile keeps what was typed, and marks the bad field beside it', async () => {
    const learner = new Browser(server.base)
    expect((await learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    const response = await postPairs(learner, '/account?index', [
      ['fullName', '   '],
      ['jobTitle', 'Chuyên viên Văn phòng XYZ'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('value="Chuyên viên Văn phòng XYZ"')
    expect(tagWithId(html, 'field-fullName')).toContain('aria-invalid="true"')
    expect(tagWithId(html, 'field-fullName')).toContain('field-fullName-error')
    expect(html).toContain('id="field-fullName-error"')
  })

  it('admin user page: a refused grant keeps the role and agency chosen, the error beside the role', async () => {
    const learnerId = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
    const response = await postPairs(admin, `/admin/users/${learnerId}`, [
      ['intent', 'grant'],
      ['role', 'SUPERUSER'],
      ['agencyId', bacHaId],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(selected(html, bacHaId), 'the agency stays chosen').toBe(true)
    expect(tagWithId(html, 'grant-role')).toContain('aria-invalid="true"')
    expect(tagWithId(html, 'grant-role')).toContain('aria-describedby="grant-role-error"')
    expect(html).toContain('id="grant-role-error"')
    expect(await server.t.db.prisma.roleGrant.count({ where: { userId: learnerId } })).toBe(0)
  })

  it('roster upload: no file is said beside the file field, in the reader’s language', async () => {
    const form = new FormData()
    form.append('note', 'không có tệp')
    const response = await fetch(`${server.base}/staff/import?index`, {
      method: 'POST',
      headers: { Cookie: `${[...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')}; lang=en`, Origin: server.base },
      body: form,
      redirect: 'manual',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(tagWithId(html, 'roster-file')).toContain('aria-invalid="true"')
    expect(html).toMatch(/id="roster-file-error"[^>]*>Choose a \.csv or \.xlsx file\./)
  })

  it('an import’s page: a request it does not understand is said, not silently ignored', async () => {
    const job = await server.t.db.prisma.rosterImport.create({
      data: { fileName: 'x.csv', fileSha256: '0'.repeat(64), status: 'PREVIEW', totalRows: 0, newCount: 0, updatedCount: 0, unchangedCount: 0, errorCount: 0, createdById: (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })).id },
    })
    const response = await postPairs(admin, `/staff/import/${job.id}`, [['intent', 'publish']])
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Yêu cầu không hợp lệ: hãy tải lại trang rồi thử lại.')
    expect((await server.t.db.prisma.rosterImport.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('PREVIEW')
  })

  it('the quiz: a bad answer keeps every answer typed, and its reason is beside its question, in English', async () => {
    const learner = new Browser(server.base)
    expect((await learner.signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
    const started = await learner.post('/courses/khoa-thu/quiz', {})
    expect(started.status).toBe(302)
    const attempt = started.headers.get('location')!
    learner.cookies.set('lang', 'en')
    const response = await postPairs(learner, attempt, [
      ['q.cau-mot', 'b'],
      ['q.cau-hai', 'true'],
      ['q.cau-ba', 'hai'],
      ['q.cau-bon', 'mat khau'],
      ['intent', 'save'],
    ])
    expect(response.status).toBe(400)
    const html = await response.text()
    // Every answer as it was typed or chosen.
    expect(html).toMatch(/value="hai"/)
    expect(html).toMatch(/value="mat khau"/)
    expect(html).toMatch(/<input[^>]*name="q\.cau-hai"[^>]*checked=""[^>]*value="true"|<input[^>]*name="q\.cau-hai"[^>]*value="true"[^>]*checked=""/)
    // The reason beside the numeric question, the field pointing to it, in English.
    const numeric = /<input[^>]*name="q\.cau-ba"[^>]*>/.exec(html)?.[0] ?? ''
    expect(numeric).toContain('aria-invalid="true"')
    const errorId = /aria-describedby="([^"]+)"/.exec(numeric)?.[1]
    expect(html).toContain(`id="${errorId}" class="field-error">The answer must be a number, for example 12 or 2.5.</p>`)
    expect(html).toMatch(/Question \d needs fixing: see the note under it\. No answer was saved\./)
    expect(html).not.toContain('Câu trả lời phải là một số')
    expect(await server.t.db.prisma.quizAnswer.count({ where: { attemptId: attempt.split('/').pop()! } })).toBe(0)
  })

  it('a lesson’s check-yourself: an empty answer is refused in English to an English reader, beside the question', async () => {
    const reader = new Browser(server.base)
    reader.cookies.set('lang', 'en')
    const response = await postPairs(reader, '/courses/khoa-thu/bai-hai', [['question', 'cau-mot']])
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Choose one answer.')
    expect(html).not.toContain('Hãy chọn một đáp án.')
    expect(html).toMatch(/<input type="radio" name="answer"[^>]*aria-invalid="true"/)
  })
})
