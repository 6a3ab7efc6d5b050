// Sign-up, sign-in, sign-out and the account pages through the real HTTP stack.
import { sha256 } from '@oslojs/crypto/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { argon2Pool } from '~/modules/auth/argon2-pool.server'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
let bacHaId: string

beforeAll(async () => {
  server = await startTestServer()
  bacHaId = (await server.t.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })).id
})
afterAll(async () => {
  await server.close()
})

const prisma = () => server.t.db.prisma
const userCount = () => prisma().user.count()

const validSignup = () => ({
  fullName: '  Hoàng   Văn Sáng ',
  identifier: '0912 345 678',
  password: 'Mùa mận Bắc Hà 2026',
  passwordConfirm: 'Mùa mận Bắc Hà 2026',
  kind: 'CIVIL_SERVANT',
  agencyId: bacHaId,
  jobTitle: 'Công chức Địa chính',
})

describe('sign-up → sign-in → sign-out', () => {
  it('signs up, shows the name, signs out, and the old cookie no longer works', async () => {
    const browser = new Browser(server.base)
    const signup = await browser.post('/signup', validSignup())
    expect(signup.status).toBe(303)
    expect(signup.headers.get('location')).toBe('/account')

    const user = await prisma().user.findUniqueOrThrow({ where: { phone: '+84912345678' } })
    expect(user.fullName).toBe('Hoàng Văn Sáng') // spaces cleaned, NFC
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(user.searchText).toContain('hoang van sang')

    // The cookie holds "<id>.<secret>"; the database holds the id and only the hash of the secret.
    const cookie = browser.cookies.get('banso_session')!
    const [id, secret] = cookie.split('.')
    expect(secret!.length).toBeGreaterThanOrEqual(26) // ≥ 128 bits of base32
    const stored = await prisma().session.findUniqueOrThrow({ where: { id: id! } })
    expect(Buffer.from(stored.secretHash).toString('hex')).toBe(Buffer.from(sha256(new TextEncoder().encode(secret!))).toString('hex'))
    const sessionsAsText = JSON.stringify(await prisma().session.findMany())
    expect(sessionsAsText).not.toContain(secret!)

    const account = await browser.get('/account')
    expect(account.status).toBe(200)
    expect(textOf(await account.text())).toContain('Hoàng Văn Sáng')

    const oldCookie = cookie
    const logout = await browser.post('/logout', {})
    expect(logout.status).toBe(303)
    expect(browser.cookies.has('banso_session')).toBe(false)
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0)

    const replay = new Browser(server.base)
    replay.cookies.set('banso_session', oldCookie)
    const afterLogout = await replay.get('/account')
    expect(afterLogout.status).toBe(302)
    expect(afterLogout.headers.get('location')).toBe('/login?redirectTo=%2Faccount')

    // Sign in again with the phone written another way.
    const again = await browser.signIn('+84 912-345-678', 'Mùa mận Bắc Hà 2026')
    expect(again.status).toBe(303)
    expect(textOf(await (await browser.get('/account')).text())).toContain('Hoàng Văn Sáng')
  })

  it('each sign-in gets a new session; a forged or tampered cookie is rejected', async () => {
    const a = new Browser(server.base)
    const b = new Browser(server.base)
    await a.signIn('hocvien@banso.example', 'HocVien@2026')
    await b.signIn('hocvien@banso.example', 'HocVien@2026')
    expect(a.cookies.get('banso_session')).not.toBe(b.cookies.get('banso_session'))
    const [id] = a.cookies.get('banso_session')!.split('.')
    const forged = new Browser(server.base)
    forged.cookies.set('banso_session', `${id}.${'a'.repeat(32)}`)
    expect((await forged.get('/account')).status).toBe(302)
  })
})

describe('bad input on every account form: a Vietnamese message per field, nothing written', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['empty name', { fullName: '   ' }, 'fullName', 'Vui lòng nhập họ và tên.'],
    ['bad identifier', { identifier: 'không phải email' }, 'identifier', 'Đây không phải email hay số điện thoại di động Việt Nam hợp lệ.'],
    ['landline number', { identifier: '0214 3840 123' }, 'identifier', 'Đây không phải email hay số điện thoại di động Việt Nam hợp lệ.'],
    ['short password', { password: 'ngắn', passwordConfirm: 'ngắn' }, 'password', 'Mật khẩu cần ít nhất 8 ký tự.'],
    ['common password', { password: 'matkhau123', passwordConfirm: 'matkhau123' }, 'password', 'Mật khẩu này quá phổ biến'],
    ['leaked password', { password: 'iloveyou', passwordConfirm: 'iloveyou' }, 'password', 'Mật khẩu này quá phổ biến'],
    ['different confirmation', { passwordConfirm: 'Mùa mận Bắc Hà 2025' }, 'passwordConfirm', 'Hai mật khẩu không giống nhau.'],
    ['no kind', { kind: '' }, 'kind', 'Vui lòng chọn bạn là ai.'],
    ['unknown kind', { kind: 'ADMIN' }, 'kind', 'Vui lòng chọn bạn là ai.'],
    ['civil servant without agency', { agencyId: '' }, 'agencyId', 'Cán bộ và giáo viên cần chọn đơn vị công tác.'],
    ['unknown agency', { agencyId: '00000000-0000-0000-0000-000000000000' }, 'agencyId', 'Đơn vị đã chọn không có trong danh sách.'],
    ['malformed agency', { agencyId: "x' OR 1=1 --" }, 'agencyId', 'Đơn vị đã chọn không có trong danh sách.'],
    ['taken email', { identifier: 'HocVien@BanSo.example' }, 'identifier', 'Email hoặc số điện thoại này đã có tài khoản.'],
  ]
  for (const [name, change, field, message] of cases) {
    it(`sign-up: ${name}`, async () => {
      const before = await userCount()
      const browser = new Browser(server.base)
      const response = await browser.post('/signup', { ...validSignup(), identifier: `sang.${Math.random()}@banso.example`, ...change })
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(html).toContain(`id="field-${field}-error"`)
      expect(textOf(html)).toContain(message)
      expect(textOf(html)).toContain('Biểu mẫu còn lỗi')
      // What was typed is kept (but never the password).
      expect(html).toContain('value="Công chức Địa chính"')
      expect(html).not.toContain('Mùa mận Bắc Hà 2026')
      expect(await userCount()).toBe(before)
      expect(browser.cookies.has('banso_session')).toBe(false)
    })
  }

  it('sign-up: a citizen needs no agency', async () => {
    const browser = new Browser(server.base)
    const response = await browser.post('/signup', { ...validSignup(), identifier: 'nongdan.bacha@banso.example', kind: 'CITIZEN', agencyId: '' })
    expect(response.status).toBe(303)
  })

  it('sign-up: finding an agency filters the list accent-insensitively, keeps the fields, writes nothing', async () => {
    const before = await userCount()
    const response = await new Browser(server.base).post('/signup', { ...validSignup(), agencyQuery: 'bac ha', intent: 'search' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(textOf(html)).toContain('khớp với "bac ha"')
    expect(html).toContain('>Xã Bắc Hà</option>')
    expect(html).toContain('>Trường THCS mẫu Bắc Hà (dữ liệu mẫu)</option>')
    expect(html).not.toContain('>Phường Sa Pa</option>')
    expect(html).toContain('value="Công chức Địa chính"')
    expect(await userCount()).toBe(before)
    const laoCai = await (await new Browser(server.base).post('/signup', { agencyQuery: 'lao cai', intent: 'search' })).text()
    expect(laoCai).toContain('>Phường Lào Cai</option>')
  })

  it('sign-in: missing fields', async () => {
    const response = await new Browser(server.base).post('/login', { identifier: '', password: '' })
    expect(response.status).toBe(400)
    const text = textOf(await response.text())
    expect(text).toContain('Vui lòng nhập email hoặc số điện thoại.')
    expect(text).toContain('Vui lòng nhập mật khẩu.')
  })

  it('profile: an empty name is refused and nothing changes', async () => {
    const browser = new Browser(server.base)
    await browser.signIn('hocvien@banso.example', 'HocVien@2026')
    const response = await browser.post('/account', { fullName: '', jobTitle: 'x'.repeat(121) })
    expect(response.status).toBe(400)
    const text = textOf(await response.text())
    expect(text).toContain('Vui lòng nhập họ và tên.')
    expect(text).toContain('Chức vụ dài quá 120 ký tự.')
    expect((await prisma().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).fullName).toBe('Nguyễn Thị Hương')
  })

  it('change password: wrong current password, mismatch, common password', async () => {
    const browser = new Browser(server.base)
    await browser.signIn('giaovien@banso.example', 'GiaoVien@2026')
    const hashBefore = (await prisma().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })).passwordHash
    const wrong = await browser.post('/account/password', { currentPassword: 'sai rồi nhé', password: 'Một mật khẩu mới dài', passwordConfirm: 'Một mật khẩu mới dài' })
    expect(wrong.status).toBe(400)
    expect(textOf(await wrong.text())).toContain('Mật khẩu hiện tại không đúng.')
    const mismatch = await browser.post('/account/password', { currentPassword: 'GiaoVien@2026', password: 'Một mật khẩu mới dài', passwordConfirm: 'khác' })
    expect(textOf(await mismatch.text())).toContain('Hai mật khẩu không giống nhau.')
    const common = await browser.post('/account/password', { currentPassword: 'GiaoVien@2026', password: 'password123', passwordConfirm: 'password123' })
    expect(textOf(await common.text())).toContain('Mật khẩu này quá phổ biến')
    expect((await prisma().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })).passwordHash).toBe(hashBefore)
  })
})

describe('password change and signing out everywhere', () => {
  it('changing the password keeps this session and ends the others', async () => {
    const here = new Browser(server.base)
    const elsewhere = new Browser(server.base)
    await here.signIn('quantri@banso.example', 'QuanTri@2026')
    await elsewhere.signIn('quantri@banso.example', 'QuanTri@2026')
    const ok = await here.post('/account/password', { currentPassword: 'QuanTri@2026', password: 'Trà Shan tuyết Suối Giàng', passwordConfirm: 'Trà Shan tuyết Suối Giàng' })
    expect(ok.status).toBe(200)
    expect(textOf(await ok.text())).toContain('Đã đổi mật khẩu.')
    expect((await here.get('/account')).status).toBe(200)
    expect((await elsewhere.get('/account')).status).toBe(302)
    expect((await new Browser(server.base).signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(400)
    expect((await new Browser(server.base).signIn('quantri@banso.example', 'Trà Shan tuyết Suối Giàng')).status).toBe(303)
    const audit = await prisma().auditLog.findMany({ where: { action: 'auth.password.change' } })
    expect(audit).toHaveLength(1)
  })

  it('"sign out everywhere" ends every session of the person', async () => {
    const a = new Browser(server.base)
    const b = new Browser(server.base)
    await a.signIn('hocvien@banso.example', 'HocVien@2026')
    await b.signIn('hocvien@banso.example', 'HocVien@2026')
    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const response = await a.post('/account/sessions', {})
    expect(response.status).toBe(303)
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0)
    expect((await b.get('/account')).status).toBe(302)
    expect(await prisma().auditLog.count({ where: { action: 'auth.signout.everywhere', actorId: user.id } })).toBe(1)
  })
})

describe('sign-in answers', () => {
  it('unknown email and wrong password get the same answer', async () => {
    const unknown = await new Browser(server.base).signIn('khongai@banso.example', 'mật khẩu bất kỳ')
    const wrong = await new Browser(server.base).signIn('giaovien@banso.example', 'mật khẩu bất kỳ')
    expect(unknown.status).toBe(wrong.status)
    const message = (r: string) => /role="alert">([^<]*)</.exec(r)?.[1]
    const [u, w] = [await unknown.text(), await wrong.text()]
    expect(message(u)).toBe('Email/số điện thoại hoặc mật khẩu không đúng.')
    expect(message(w)).toBe(message(u))
  })

  it('an unknown email costs an Argon2 verification too (no fast "no such user" answer)', async () => {
    // Counted, not timed (a timing ratio is noise on a loaded machine): the process's one Argon2
    // pool (a globalThis singleton, shared with the server's build) sees every verification.
    const pool = argon2Pool()
    const run = pool.run
    const ops: string[] = []
    pool.run = <T,>(task: Parameters<typeof run>[0]) => {
      ops.push(task.op)
      return run.call(pool, task) as Promise<T>
    }
    try {
      const count = async (identifier: string) => {
        ops.length = 0
        await new Browser(server.base).signIn(identifier, 'mật khẩu bất kỳ khác')
        return ops.filter((op) => op === 'verify').length
      }
      expect(await count('giaovien@banso.example')).toBe(1)
      expect(await count('khongai@banso.example')).toBe(1)
      expect(await count('0987000000')).toBe(1)
    } finally {
      pool.run = run
    }
  })

  it('a POST from another site, or with no Origin or Referer, is refused with 403 and changes nothing', async () => {
    const before = await prisma().session.count()
    const browser = new Browser(server.base)
    expect((await browser.post('/login', { identifier: 'hocvien@banso.example', password: 'HocVien@2026' }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await browser.post('/login', { identifier: 'hocvien@banso.example', password: 'HocVien@2026' }, { origin: null })).status).toBe(403)
    expect((await browser.post('/signup', validSignup(), { origin: 'https://evil.example' })).status).toBe(403)
    expect(await prisma().session.count()).toBe(before)
  })
})
