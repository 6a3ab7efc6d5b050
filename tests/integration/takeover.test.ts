// Issue 24: a roster import could move any account (an admin's included) into the importer's
// subtree, and a reset link then handed it over. Here the exact takeover is tried over HTTP and
// refused at every step, then every action that targets a person is swept as a manager of another
// subtree, a manager acting on an admin or a manager, and a teacher acting on another teacher
// (docs/decisions/013). A real SMTP server on 127.0.0.1 receives the notices.
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../setup/smtp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let received: ReceivedMail[] = []
let smtp: TestSmtp
let server: TestServer
const db = () => server.t.db.prisma
const PASSWORD = 'Một mật khẩu đủ dài'
const ids: Record<string, string> = {}
const agency: Record<string, string> = {}

async function person(key: string, fullName: string, email: string, agencyCode: string, role?: 'TEACHER' | 'AGENCY_MANAGER' | 'ADMIN') {
  const user = await db().user.create({
    data: { fullName, email, kind: 'CIVIL_SERVANT', agencyId: agency[agencyCode] ?? null, passwordHash: await hashPassword(PASSWORD), ...userKeys({ fullName, email }) },
  })
  if (role) await db().roleGrant.create({ data: { userId: user.id, role, agencyId: role === 'ADMIN' ? null : agency[agencyCode]! } })
  ids[key] = user.id
  return user
}

async function signedIn(identifier: string, password = PASSWORD) {
  const browser = new Browser(server.base)
  const r = await browser.signIn(identifier, password)
  if (r.status !== 303) throw new Error(`sign-in of ${identifier} failed: ${r.status}`)
  return browser
}

async function importRoster(browser: Browser, lines: string[]) {
  const csv = ['Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ', ...lines].join('\n')
  const uploaded = await browser.upload('/staff/import', { file: { name: 'ds.csv', bytes: new TextEncoder().encode(csv), type: 'text/csv' } })
  expect(uploaded.status).toBe(303)
  const path = uploaded.headers.get('location')!
  expect((await browser.post(path, { intent: 'confirm' })).status).toBe(303)
  const id = path.split('/').pop()!
  // The import runs in the background: wait for it (no fixed sleep).
  for (let i = 0; i < 600; i++) {
    const job = await db().rosterImport.findUniqueOrThrow({ where: { id } })
    if (job.status === 'DONE' || job.status === 'FAILED') return job
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('import did not finish')
}

const resetLinkOf = (html: string) => /data-testid="reset-link">([^<]+)</.exec(html)?.[1] ?? null
const mailsTo = (email: string) => received.filter((m) => m.to.includes(email)).map((m) => m.body.replace(/=\r?\n/g, ''))

beforeAll(async () => {
  smtp = await startSmtpServer()
  received = smtp.received
  process.env.SMTP_URL = smtp.url
  process.env.SMTP_FROM = 'Bản Số <no-reply@banso.example>'
  server = await startTestServer()
  for (const a of await db().agency.findMany({ where: { code: { in: ['LC-X-BACHA', 'LC-P-SAPA', 'LC-SNV', 'MAU-THCS-BACHA'] } } })) agency[a.code] = a.id
  ids.admin = (await db().user.findUniqueOrThrow({ where: { email: 'quantri@banso.example' } })).id
  ids.teacher = (await db().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })).id
  ids.learner = (await db().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })).id
  // Outside the Bắc Hà manager's subtree: a Sa Pa officer and a Sa Pa manager.
  await person('saPa', 'Vàng Thị Dung', 'dung.sapa@banso.example', 'LC-P-SAPA')
  await person('saPaManager', 'Giàng A Páo', 'pao.sapa@banso.example', 'LC-P-SAPA', 'AGENCY_MANAGER')
  // Inside it, but above what a manager may touch: an admin and a second manager of Bắc Hà.
  await person('adminInScope', 'Lý Thị Mai', 'mai.admin@banso.example', 'LC-X-BACHA', 'ADMIN')
  await person('peerManager', 'Hoàng Văn Tú', 'tu.bacha@banso.example', 'LC-X-BACHA', 'AGENCY_MANAGER')
  // A second teacher with a class, whose PIN student is no one else's business.
  await person('teacher2', 'Sùng Thị Hoa', 'hoa.gv@banso.example', 'MAU-THCS-BACHA', 'TEACHER')
})

afterAll(async () => {
  await server.close()
  await smtp.close()
  delete process.env.SMTP_URL
})

describe('the takeover of issue 24', () => {
  it('import → link → reset → sign in as the victim is refused at every step', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    // 1. The manager imports rows carrying the emails of the province admin and of a Sa Pa officer.
    const job = await importRoster(manager, ['TK-1;Nguyễn Quản Trị;quantri@banso.example;LC-X-BACHA;Chuyên viên', 'TK-2;Vàng Thị Dung;dung.sapa@banso.example;LC-X-BACHA;Văn thư'])
    expect(job.status).toBe('DONE')
    // 2. Nothing is linked and no account moved: only proposals exist.
    expect(await db().staffRecord.findMany({ where: { staffCode: { in: ['TK-1', 'TK-2'] } }, select: { userId: true } })).toEqual([{ userId: null }, { userId: null }])
    expect((await db().user.findUniqueOrThrow({ where: { id: ids.admin } })).agencyId).toBe(agency['LC-SNV'])
    expect((await db().user.findUniqueOrThrow({ where: { id: ids.saPa } })).agencyId).toBe(agency['LC-P-SAPA'])
    const proposals = await db().staffLinkProposal.findMany({ where: { staff: { staffCode: { in: ['TK-1', 'TK-2'] } } } })
    expect(proposals.map((p) => p.status)).toEqual(['PENDING', 'PENDING'])
    // The importer cannot confirm a proposal for the person, from /account or the admin page.
    const adminProposal = proposals.find((p) => p.userId === ids.admin)!
    expect((await manager.post('/account', { intent: 'link', proposalId: adminProposal.id, decision: 'confirm' })).status).toBe(404)
    expect((await manager.post(`/admin/users/${ids.admin}`, { intent: 'link', proposalId: adminProposal.id, decision: 'confirm' })).status).toBe(404)
    expect((await db().staffLinkProposal.findUniqueOrThrow({ where: { id: adminProposal.id } })).status).toBe('PENDING')
    // 3. The accounts are not in the manager's scope: no page, no reset link.
    for (const victim of [ids.admin, ids.saPa]) {
      expect((await manager.get(`/admin/users/${victim}`)).status).toBe(404)
      expect((await manager.post(`/admin/users/${victim}`, { intent: 'reset' })).status).toBe(404)
    }
    expect(await db().passwordResetToken.count({ where: { userId: { in: [ids.admin!, ids.saPa!] } } })).toBe(0)
    // 4. So there is nothing to sign in with; the victims' passwords still work.
    expect((await new Browser(server.base).signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(303)
    expect((await db().auditLog.findFirstOrThrow({ where: { action: 'roster.import', actorId: (await db().user.findUniqueOrThrow({ where: { email: 'quanly@banso.example' } })).id }, orderBy: { id: 'desc' } })).details).toMatchObject({ proposed: 2 })
  })

  it('the person decides: a notice on /account; declining keeps the account and is not asked again; confirming links it', async () => {
    const dung = await signedIn('dung.sapa@banso.example')
    const page = textOf(await (await dung.get('/account')).text())
    expect(page).toContain('Đề nghị liên kết hồ sơ cán bộ')
    expect(page).toContain('Xã Bắc Hà — hồ sơ TK-2: Vàng Thị Dung')
    const proposal = await db().staffLinkProposal.findFirstOrThrow({ where: { userId: ids.saPa } })
    // Someone else's proposal id is 404 even to a signed-in person.
    const other = await db().staffLinkProposal.findFirstOrThrow({ where: { userId: ids.admin } })
    expect((await dung.post('/account', { intent: 'link', proposalId: other.id, decision: 'decline' })).status).toBe(404)
    expect((await dung.post('/account', { intent: 'link', proposalId: 'x', decision: 'confirm' })).status).toBe(400)

    const declined = await dung.post('/account', { intent: 'link', proposalId: proposal.id, decision: 'decline' })
    expect(declined.status).toBe(200)
    expect(textOf(await declined.text())).toContain('Đã từ chối đề nghị liên kết. Tài khoản của bạn giữ nguyên.')
    expect((await db().user.findUniqueOrThrow({ where: { id: ids.saPa } })).agencyId).toBe(agency['LC-P-SAPA'])
    expect(textOf(await (await dung.get('/account')).text())).not.toContain('TK-2')
    // Deciding twice is a clear conflict, not a second write.
    expect((await dung.post('/account', { intent: 'link', proposalId: proposal.id, decision: 'confirm' })).status).toBe(409)
    // Re-importing the same file does not ask again.
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    await importRoster(manager, ['TK-2;Vàng Thị Dung;dung.sapa@banso.example;LC-X-BACHA;Văn thư', 'TK-3;Lò Thị Nga;nga.moi@banso.example;LC-X-BACHA;Văn thư'])
    expect(await db().staffLinkProposal.findMany({ where: { userId: ids.saPa }, select: { status: true } })).toEqual([{ status: 'DECLINED' }])

    // A person who confirms is linked and moves into the record's agency (their own act)…
    const nga = await person('nga', 'Lò Thị Nga', 'nga.moi@banso.example', 'LC-P-SAPA')
    await importRoster(manager, ['TK-3;Lò Thị Nga;nga.moi@banso.example;LC-X-BACHA;Văn thư'])
    const ngaBrowser = await signedIn('nga.moi@banso.example')
    const ngaProposal = await db().staffLinkProposal.findFirstOrThrow({ where: { userId: nga.id } })
    const confirmed = await ngaBrowser.post('/account', { intent: 'link', proposalId: ngaProposal.id, decision: 'confirm' })
    expect(textOf(await confirmed.text())).toContain('Đã liên kết hồ sơ cán bộ với tài khoản của bạn.')
    expect((await db().staffRecord.findUniqueOrThrow({ where: { staffCode: 'TK-3' } })).userId).toBe(nga.id)
    expect((await db().user.findUniqueOrThrow({ where: { id: nga.id } })).agencyId).toBe(agency['LC-X-BACHA'])
    expect(await db().auditLog.count({ where: { action: 'roster.link.confirm', actorId: nga.id, targetId: nga.id } })).toBe(1)
    // …and only then is in the manager's scope.
    expect((await manager.get(`/admin/users/${nga.id}`)).status).toBe(200)
  })

  it('an admin may confirm a proposal for the person; the person is told by mail', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const victim = await person('late', 'Đinh Văn Lâm', 'lam.muon@banso.example', 'LC-SNV')
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    await importRoster(manager, ['TK-4;Đinh Văn Lâm;lam.muon@banso.example;LC-X-BACHA;Văn thư'])
    const page = textOf(await (await admin.get(`/admin/users/${victim.id}`)).text())
    expect(page).toContain('Đề nghị liên kết hồ sơ cán bộ chờ xác nhận')
    const proposal = await db().staffLinkProposal.findFirstOrThrow({ where: { userId: victim.id } })
    // Not through another person's page.
    expect((await admin.post(`/admin/users/${ids.saPa}`, { intent: 'link', proposalId: proposal.id, decision: 'confirm' })).status).toBe(409)
    const done = await admin.post(`/admin/users/${victim.id}`, { intent: 'link', proposalId: proposal.id, decision: 'confirm' })
    expect(textOf(await done.text())).toContain('Đã liên kết hồ sơ cán bộ với tài khoản này.')
    expect((await db().user.findUniqueOrThrow({ where: { id: victim.id } })).agencyId).toBe(agency['LC-X-BACHA'])
    expect(mailsTo('lam.muon@banso.example')).toHaveLength(1)
  })

  it('sign-up with a roster staff code and the same name still links the person themself', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    await importRoster(manager, ['TK-5;Phàn Thị Hạnh;;LC-X-BACHA;Kế toán'])
    const browser = new Browser(server.base)
    const r = await browser.post('/signup', {
      fullName: 'Phàn Thị Hạnh',
      identifier: 'hanh.tk5@banso.example',
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      kind: 'CIVIL_SERVANT',
      agencyId: agency['LC-SNV']!,
      staffCode: 'TK-5',
    })
    expect(r.status).toBe(303)
    const user = await db().user.findUniqueOrThrow({ where: { email: 'hanh.tk5@banso.example' } })
    expect(user.agencyId).toBe(agency['LC-X-BACHA'])
    expect((await db().staffRecord.findUniqueOrThrow({ where: { staffCode: 'TK-5' } })).userId).toBe(user.id)
  })
})

describe('acting on a person: the hierarchy, swept over every action', () => {
  const personActions: Record<string, string>[] = [
    { intent: 'reset' },
    { intent: 'deactivate' },
    { intent: 'reactivate' },
    { intent: 'grant', role: 'ADMIN', agencyId: '' },
    { intent: 'revoke', grantId: '00000000-0000-4000-8000-000000000000' },
  ]

  it('a manager of another subtree: 404 for every action, nothing written', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    for (const target of [ids.saPa!, ids.saPaManager!]) {
      for (const fields of personActions) expect((await manager.post(`/admin/users/${target}`, fields)).status, `${fields.intent} on ${target}`).toBe(404)
    }
    const paoManager = await signedIn('pao.sapa@banso.example')
    for (const fields of personActions) expect((await paoManager.post(`/admin/users/${ids.learner}`, fields)).status).toBe(404)
    expect(await db().passwordResetToken.count({ where: { userId: { in: [ids.saPa!, ids.saPaManager!, ids.learner!] } } })).toBe(0)
    expect(await db().user.count({ where: { id: { in: [ids.saPa!, ids.saPaManager!, ids.learner!] }, deactivatedAt: { not: null } } })).toBe(0)
  })

  it('a manager acting on an admin or another manager inside the subtree: 403 for every action', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    for (const target of [ids.adminInScope!, ids.peerManager!]) {
      const page = textOf(await (await manager.get(`/admin/users/${target}`)).text())
      expect(page).toContain('chỉ quản trị viên mới đặt lại mật khẩu hay khoá được tài khoản này')
      expect(page).not.toContain('Tạo liên kết đặt lại mật khẩu')
      for (const fields of personActions) expect((await manager.post(`/admin/users/${target}`, fields)).status, `${fields.intent} on ${target}`).toBe(403)
    }
    expect(await db().passwordResetToken.count({ where: { userId: { in: [ids.adminInScope!, ids.peerManager!] } } })).toBe(0)
    expect(await db().user.count({ where: { id: { in: [ids.adminInScope!, ids.peerManager!] }, deactivatedAt: { not: null } } })).toBe(0)
    expect(await db().roleGrant.count({ where: { userId: { in: [ids.adminInScope!, ids.peerManager!] } } })).toBe(2)
  })

  it('a merge inside the subtree carries an admin along, and the admin stays out of reach', async () => {
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    const child = await db().agency.create({ data: { code: 'TK-THON', name: 'Thôn Thử', type: 'UNIT', parentId: agency['LC-X-BACHA']! } })
    const carried = await person('carried', 'Vương Văn Chính', 'chinh.admin@banso.example', 'LC-P-SAPA', 'ADMIN')
    await db().user.update({ where: { id: carried.id }, data: { agencyId: child.id } })
    // A merge of an agency outside the subtree is refused and moves no one.
    expect((await manager.post(`/admin/agencies/${agency['LC-P-SAPA']}`, { intent: 'merge', targetId: agency['LC-X-BACHA']!, confirm: 'yes' })).status).toBe(404)
    expect((await db().user.findUniqueOrThrow({ where: { id: ids.saPa } })).agencyId).toBe(agency['LC-P-SAPA'])
    expect((await manager.post(`/admin/agencies/${child.id}`, { intent: 'merge', targetId: agency['LC-X-BACHA']!, confirm: 'yes' })).status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: carried.id } })).agencyId).toBe(agency['LC-X-BACHA'])
    expect((await manager.post(`/admin/users/${carried.id}`, { intent: 'reset' })).status).toBe(403)
    expect((await manager.post(`/admin/users/${carried.id}`, { intent: 'deactivate' })).status).toBe(403)
  })

  it('a teacher: no people pages, no PIN reset in another teacher’s class nor for a member with a role', async () => {
    const teacher = await signedIn('giaovien@banso.example', 'GiaoVien@2026')
    for (const fields of personActions) expect((await teacher.post(`/admin/users/${ids.teacher2}`, fields)).status).toBe(403)
    const pinHash = await hashPassword('123456')
    const otherClass = await db().class.create({ data: { name: 'Lớp 6B', schoolId: agency['MAU-THCS-BACHA']!, teacherId: ids.teacher2!, joinCode: 'TKHB22' } })
    const student = await db().user.create({ data: { fullName: 'Hầu Thị Lan', kind: 'STUDENT', agencyId: agency['MAU-THCS-BACHA']!, ...userKeys({ fullName: 'Hầu Thị Lan' }) } })
    await db().classMember.create({ data: { classId: otherClass.id, userId: student.id, pinHash } })
    expect((await teacher.post(`/classes/${otherClass.id}`, { intent: 'reset-pin', user: student.id })).status).toBe(404)
    // In their own class, a member who holds a role (another teacher) is refused too.
    const ownClass = await db().class.create({ data: { name: 'Lớp 6A', schoolId: agency['MAU-THCS-BACHA']!, teacherId: ids.teacher!, joinCode: 'TKHA33' } })
    await db().classMember.create({ data: { classId: ownClass.id, userId: ids.teacher2!, pinHash } })
    expect((await teacher.post(`/classes/${ownClass.id}`, { intent: 'reset-pin', user: ids.teacher2! })).status).toBe(404)
    expect((await db().classMember.findUniqueOrThrow({ where: { classId_userId: { classId: ownClass.id, userId: ids.teacher2! } } })).pinHash).toBe(pinHash)
    expect((await db().classMember.findUniqueOrThrow({ where: { classId_userId: { classId: otherClass.id, userId: student.id } } })).pinHash).toBe(pinHash)
    // An own PIN student is still the teacher's to help.
    await db().classMember.create({ data: { classId: ownClass.id, userId: student.id, pinHash } })
    expect((await teacher.post(`/classes/${ownClass.id}`, { intent: 'reset-pin', user: student.id })).status).toBe(200)
  })

  it('a reset link for a manager needs an admin; the admin may make one', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    const page = await (await admin.post(`/admin/users/${ids.peerManager}`, { intent: 'reset' })).text()
    expect(resetLinkOf(page)).toMatch(/\/reset-password\/[a-z2-7]{32}$/)
  })
})

describe('deactivation', () => {
  it('a manager deactivates a person in scope: sessions end, every sign-in is refused, the person is told; reactivation restores', async () => {
    const learnerDevice = await signedIn('hocvien@banso.example', 'HocVien@2026')
    const manager = await signedIn('quanly@banso.example', 'QuanLy@2026')
    // A reset link made before the deactivation dies with it.
    const link = resetLinkOf(await (await manager.post(`/admin/users/${ids.learner}`, { intent: 'reset' })).text())!
    const done = await manager.post(`/admin/users/${ids.learner}`, { intent: 'deactivate' })
    expect(done.status).toBe(200)
    const text = textOf(await done.text())
    expect(text).toContain('Đã khoá tài khoản và đăng xuất người này khỏi mọi thiết bị.')
    expect(text).toContain('Đã gửi thư báo cho hocvien@banso.example.')
    expect(mailsTo('hocvien@banso.example')).toHaveLength(2) // the reset link, then the notice
    expect((await learnerDevice.get('/account')).status).toBe(302)
    const refused = await new Browser(server.base).signIn('hocvien@banso.example', 'HocVien@2026')
    expect(refused.status).toBe(400)
    expect(textOf(await refused.text())).toContain('Tài khoản này đã bị khoá.')
    const path = new URL(link).pathname
    expect((await new Browser(server.base).get(path)).status).toBe(404)
    expect((await new Browser(server.base).post(path, { password: 'Ruộng bậc thang Mù Cang Chải', passwordConfirm: 'Ruộng bậc thang Mù Cang Chải' })).status).toBe(400)
    // No new link while deactivated.
    expect((await manager.post(`/admin/users/${ids.learner}`, { intent: 'reset' })).status).toBe(409)
    // A session that slipped in (e.g. a sign-in racing the deactivation) is not accepted either.
    expect(await db().session.count({ where: { userId: ids.learner } })).toBe(0)
    const actions = (await db().auditLog.findMany({ where: { targetId: ids.learner, action: { startsWith: 'auth.user' } } })).map((a) => a.action)
    expect(actions).toEqual(['auth.user.deactivate'])

    expect((await manager.post(`/admin/users/${ids.learner}`, { intent: 'reactivate' })).status).toBe(200)
    expect((await new Browser(server.base).signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
  })

  it('a deactivated PIN student cannot sign in with the PIN; no one deactivates themself', async () => {
    const admin = await signedIn('quantri@banso.example', 'QuanTri@2026')
    expect((await admin.post(`/admin/users/${ids.admin}`, { intent: 'deactivate' })).status).toBe(400)
    const student = await db().user.findFirstOrThrow({ where: { fullName: 'Hầu Thị Lan' } })
    const join = { intent: 'signin-pin', code: 'TKHB22', fullName: 'Hầu Thị Lan', pin: '123456' }
    expect((await new Browser(server.base).post('/join', join)).status).toBe(303)
    expect((await admin.post(`/admin/users/${student.id}`, { intent: 'deactivate' })).status).toBe(200)
    expect((await new Browser(server.base).post('/join', join)).status).toBe(400)
  })
})
