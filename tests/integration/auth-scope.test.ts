// Roles and scope: a manager sees and manages their own agency's subtree only; only admins
// change roles; every change is audit-logged; reset links work once, for 24 hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
let saPaUserId: string
let schoolTeacherId: string
let learnerId: string

beforeAll(async () => {
  server = await startTestServer()
  const prisma = server.t.db.prisma
  const saPa = await prisma.agency.findUniqueOrThrow({ where: { code: 'LC-P-SAPA' } })
  const passwordHash = await hashPassword('Một mật khẩu đủ dài')
  saPaUserId = (
    await prisma.user.create({
      data: { fullName: 'Vàng Thị Dung', email: 'dung.sapa@banso.example', kind: 'CIVIL_SERVANT', agencyId: saPa.id, passwordHash, ...userKeys({ fullName: 'Vàng Thị Dung', email: 'dung.sapa@banso.example' }) },
    })
  ).id
  schoolTeacherId = (await prisma.user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })).id
  learnerId = (await prisma.user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
})
afterAll(async () => {
  await server.close()
})

async function signedIn(identifier: string, password: string) {
  const browser = new Browser(server.base)
  const r = await browser.signIn(identifier, password)
  if (r.status !== 303) throw new Error(`sign-in of ${identifier} failed: ${r.status}`)
  return browser
}

describe('an agency manager', () => {
  it("sees the people of the agency and of its sub-agencies, not a sibling's", async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const list = textOf(await (await manager.get('/admin/users')).text())
    expect(list).toContain('Nguyễn Thị Hương') // Xã Bắc Hà
    expect(list).toContain('Lò Văn Minh') // the sample school under Xã Bắc Hà
    expect(list).not.toContain('Vàng Thị Dung') // Phường Sa Pa, a sibling
    expect(list).not.toContain('Trần Quốc Bảo') // Sở Nội vụ
    expect(list).toContain('3 người')

    expect((await manager.get(`/admin/users/${schoolTeacherId}`)).status).toBe(200)
    expect((await manager.get(`/admin/users/${saPaUserId}`)).status).toBe(404)
    expect((await manager.get('/admin/users/not-a-uuid')).status).toBe(404)
    // Acting on an outsider is refused the same way, and writes nothing.
    const reset = await manager.post(`/admin/users/${saPaUserId}`, { intent: 'reset' })
    expect(reset.status).toBe(404)
    expect(await server.t.db.prisma.passwordResetToken.count({ where: { userId: saPaUserId } })).toBe(0)
  })

  it('searches accent-insensitively within the scope', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    expect(textOf(await (await manager.get('/admin/users?q=nguyen+huong')).text())).toContain('Nguyễn Thị Hương')
    const outsider = textOf(await (await manager.get('/admin/users?q=dung')).text())
    expect(outsider).not.toContain('Vàng Thị Dung')
    expect(outsider).toContain('0 người')
  })

  it('cannot grant or revoke roles', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const response = await manager.post(`/admin/users/${learnerId}`, { intent: 'grant', role: 'ADMIN', agencyId: '' })
    expect(response.status).toBe(403)
    expect(await server.t.db.prisma.roleGrant.count({ where: { userId: learnerId } })).toBe(0)
  })

  it('creates a one-time reset link for a person in scope; it works once, and ends their sessions', async () => {
    const learnerDevice = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const page = await (await manager.post(`/admin/users/${learnerId}`, { intent: 'reset' })).text()
    const link = /data-testid="reset-link">([^<]+)</.exec(page)![1]!
    const path = new URL(link).pathname
    expect(path).toMatch(/^\/reset-password\/[a-z2-7]{32}$/)
    // Only the hash is stored.
    const stored = await server.t.db.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: learnerId } })
    expect(Buffer.from(stored.tokenHash).toString('utf8')).not.toContain(path.split('/').pop())
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(24 * 3_600_000)

    const holder = new Browser(server.base)
    expect(textOf(await (await holder.get(path)).text())).toContain('Nguyễn Thị Hương')
    const bad = await holder.post(path, { password: 'ngắn', passwordConfirm: 'ngắn' })
    expect(bad.status).toBe(400)
    const done = await holder.post(path, { password: 'Ruộng bậc thang Mù Cang Chải', passwordConfirm: 'Ruộng bậc thang Mù Cang Chải' })
    expect(done.status).toBe(303)
    expect((await holder.get('/account')).status).toBe(200)
    expect((await learnerDevice.get('/account')).status).toBe(302) // old session ended
    // Single use.
    expect((await new Browser(server.base).get(path)).status).toBe(404)
    const reuse = await new Browser(server.base).post(path, { password: 'Một mật khẩu khác hẳn', passwordConfirm: 'Một mật khẩu khác hẳn' })
    expect(reuse.status).toBe(400)
    expect((await new Browser(server.base).signIn('hocvien@banso.example', 'Ruộng bậc thang Mù Cang Chải')).status).toBe(303)
    const actions = (await server.t.db.prisma.auditLog.findMany({ where: { targetId: learnerId } })).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['auth.password.reset.create', 'auth.password.reset.use']))
  })

  it('an expired reset link does not work', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const page = await (await manager.post(`/admin/users/${schoolTeacherId}`, { intent: 'reset' })).text()
    const path = new URL(/data-testid="reset-link">([^<]+)</.exec(page)![1]!).pathname
    // Made 25 hours ago, so it ran out an hour ago.
    await server.t.db.prisma.passwordResetToken.updateMany({
      where: { userId: schoolTeacherId },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000), expiresAt: new Date(Date.now() - 3_600_000) },
    })
    expect((await new Browser(server.base).get(path)).status).toBe(404)
  })
})

describe('roles', () => {
  it('a learner may not open the people pages', async () => {
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    expect((await teacher.get('/admin/users')).status).toBe(403)
    expect((await teacher.get(`/admin/users/${learnerId}`)).status).toBe(403)
    expect((await teacher.get('/admin/audit')).status).toBe(403)
    expect((await new Browser(server.base).get('/admin/users')).status).toBe(302) // signed out: to the login page
  })

  it('an admin grants a role: audit-logged, and the person must sign in again', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const target = await signedIn('dung.sapa@banso.example', 'Một mật khẩu đủ dài')
    const saPa = await server.t.db.prisma.agency.findUniqueOrThrow({ where: { code: 'LC-P-SAPA' } })
    const missingAgency = await admin.post(`/admin/users/${saPaUserId}`, { intent: 'grant', role: 'AGENCY_MANAGER', agencyId: '' })
    expect(missingAgency.status).toBe(400)
    expect(textOf(await missingAgency.text())).toContain('Vai trò hoặc đơn vị không hợp lệ.')
    const ok = await admin.post(`/admin/users/${saPaUserId}`, { intent: 'grant', role: 'AGENCY_MANAGER', agencyId: saPa.id })
    expect(ok.status).toBe(200)
    expect(textOf(await ok.text())).toContain('Đã cấp vai trò.')
    expect((await target.get('/account')).status).toBe(302)
    const entry = await server.t.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'auth.role.grant', targetId: saPaUserId } })
    expect(entry.details).toMatchObject({ role: 'AGENCY_MANAGER', agencyId: saPa.id })
    const adminId = (await server.t.db.prisma.user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })).id
    expect(entry.actorId).toBe(adminId)

    // The new manager now sees Sa Pa's people.
    const newManager = await signedIn('dung.sapa@banso.example', 'Một mật khẩu đủ dài')
    expect(textOf(await (await newManager.get('/admin/users')).text())).toContain('Vàng Thị Dung')

    const grant = await server.t.db.prisma.roleGrant.findFirstOrThrow({ where: { userId: saPaUserId } })
    const revoked = await admin.post(`/admin/users/${saPaUserId}`, { intent: 'revoke', grantId: grant.id })
    expect(revoked.status).toBe(200)
    expect(await server.t.db.prisma.roleGrant.count({ where: { userId: saPaUserId } })).toBe(0)
    expect(await server.t.db.prisma.auditLog.count({ where: { action: 'auth.role.revoke', targetId: saPaUserId } })).toBe(1)
    const audit = textOf(await (await admin.get('/admin/audit')).text())
    expect(audit).toContain('Thu hồi vai trò')
    expect(audit).toContain('Cấp vai trò')
  })

  it('bad role forms are refused and change nothing', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const before = await server.t.db.prisma.roleGrant.count()
    const forms: Record<string, string>[] = [
      { intent: 'grant', role: 'SUPERUSER', agencyId: '' },
      { intent: 'grant', role: 'ADMIN', agencyId: '00000000-0000-0000-0000-000000000000' },
      { intent: 'revoke', grantId: 'nope' },
      { intent: 'revoke', grantId: '00000000-0000-0000-0000-000000000000' },
      { intent: 'explode' },
    ]
    for (const form of forms) {
      const r = await admin.post(`/admin/users/${learnerId}`, form)
      expect(r.status, JSON.stringify(form)).toBe(400)
    }
    expect(await server.t.db.prisma.roleGrant.count()).toBe(before)
  })
})
