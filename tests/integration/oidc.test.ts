// OpenID Connect sign-in end to end (docs/decisions/028): the app's real HTTP stack, and a real
// provider (the oidc-provider package) in a child process on 127.0.0.1, driven over HTTP as a
// browser would: the button on /login, the provider's login and consent forms, the way back.
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forgetProviderConfiguration } from '~/modules/auth/oidc.server'
import { resetEnvCache } from '~/utils/env.server'
import { withFileEnv } from '../setup/env'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

// Ports of this file (3431–3435): one per database mode, as both modes may run at once.
const PROVIDER_PORT = process.env.DATABASE_URL?.trim() ? 3431 : 3432
const ISSUER = `http://127.0.0.1:${PROVIDER_PORT}`
const CLIENT_ID = 'ban-so-thu-nghiem'
const CLIENT_SECRET = 'bi-mat-cua-ung-dung-thu-nghiem-32-ky-tu'
const DISPLAY_NAME = 'VNeID (thử nghiệm)'
const OIDC_ENV = { OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_DISPLAY_NAME: DISPLAY_NAME }

withFileEnv(OIDC_ENV)

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const JWK = { ...privateKey.export({ format: 'jwk' }), kid: 'thu-nghiem-1', alg: 'RS256', use: 'sig' }

let server: TestServer
let provider: ChildProcess | null = null

/** Starts the provider (its clock set off by `clockOffsetSeconds`) and waits until it listens. */
async function startProvider(clockOffsetSeconds = 0): Promise<void> {
  await stopProvider()
  const settings = { port: PROVIDER_PORT, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${server.base}/auth/oidc/callback`, jwk: JWK, clockOffsetSeconds }
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/setup/oidc-provider-child.ts', JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the provider did not start in 120 s:\n${stderr}`)), 120_000)
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the provider exited (${code}):\n${stderr}`))
    })
  })
  provider = child
}

async function stopProvider(): Promise<void> {
  const child = provider
  provider = null
  if (!child || child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

beforeAll(async () => {
  // The HTTP layer reads its settings (the CSP's form-action) from what it is given.
  server = await startTestServer({ env: OIDC_ENV })
  await startProvider()
})
afterAll(async () => {
  await stopProvider()
  await server?.close()
})

const prisma = () => server.t.db.prisma

/** The provider's side of a browser: its own cookies, following redirects and filling its forms. */
class ProviderBrowser {
  private cookies = new Map<string, string>()

  private async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const eq = pair!.indexOf('=')
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim())
    }
    return response
  }

  /**
   * From the authorization URL to the address the provider sends the browser back to: the login
   * form (oidc-provider's development interactions take any password; the login name is the
   * account) and the consent form, as a person would submit them.
   */
  async signIn(authorizationUrl: string, account: string): Promise<string> {
    let response = await this.request(authorizationUrl)
    for (let step = 0; step < 12; step++) {
      const location = response.headers.get('location')
      if (location?.startsWith(server.base)) return location
      if (location) {
        response = await this.request(new URL(location, ISSUER).href)
        continue
      }
      const html = await response.text()
      const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1]
      if (response.status !== 200 || !action) throw new Error(`unexpected page at the provider (${response.status}): ${textOf(html).slice(0, 300)}`)
      const body = new URLSearchParams()
      for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
        const name = tag.match(/name="([^"]*)"/)?.[1]
        if (name) body.set(name, tag.match(/value="([^"]*)"/)?.[1] ?? '')
      }
      if (body.has('login')) {
        body.set('login', account)
        body.set('password', 'bất kỳ')
      }
      response = await this.request(new URL(action, ISSUER).href, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    }
    throw new Error('the provider never sent the browser back')
  }
}

/** The button on /login: returns the provider's authorization URL the app redirected to. */
async function pressButton(browser: Browser, redirectTo = ''): Promise<string> {
  const started = await browser.post('/auth/oidc', { redirectTo })
  expect(started.status).toBe(303)
  const location = started.headers.get('location')!
  expect(location.startsWith(`${ISSUER}/auth?`)).toBe(true)
  return location
}

/** The whole way to the callback address (not yet visited). */
async function throughProvider(browser: Browser, account: string, redirectTo = ''): Promise<string> {
  return new ProviderBrowser().signIn(await pressButton(browser, redirectTo), account)
}

const local = (absolute: string) => absolute.slice(server.base.length)

/** Visits the callback and follows the app's answer; returns where the app sent the browser. */
async function comeBack(browser: Browser, callback: string): Promise<string> {
  const response = await browser.get(local(callback))
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

async function signInAs(account: string, redirectTo = ''): Promise<{ browser: Browser; location: string }> {
  const browser = new Browser(server.base)
  const location = await comeBack(browser, await throughProvider(browser, account, redirectTo))
  return { browser, location }
}

async function loginPageText(browser: Browser, location: string): Promise<string> {
  const page = await browser.get(location)
  expect(page.status).toBe(200)
  return textOf(await page.text())
}

const counts = async () => ({
  users: await prisma().user.count(),
  sessions: await prisma().session.count(),
  identities: await prisma().userIdentity.count(),
})

describe('the button', () => {
  it('is on /login, posts without JavaScript, and the CSP lets its form reach the provider', async () => {
    const page = await new Browser(server.base).get('/login')
    const html = await page.text()
    expect(textOf(html)).toContain(`Đăng nhập bằng ${DISPLAY_NAME}`)
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/auth\/oidc"/)
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${ISSUER};`)
  })

  it('starts a sign-in with PKCE (S256), a nonce and a state kept for ten minutes, bound to a cookie', async () => {
    const browser = new Browser(server.base)
    const before = await prisma().oidcLoginState.count()
    const url = new URL(await pressButton(browser))
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(url.searchParams.get('nonce')).toBeTruthy()
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('redirect_uri')).toBe(`${server.base}/auth/oidc/callback`)
    expect(url.searchParams.get('scope')).toBe('openid profile email')
    expect(browser.cookies.get('banso_oidc')).toBe(url.searchParams.get('state'))
    expect(await prisma().oidcLoginState.count()).toBe(before + 1)
    const row = await prisma().oidcLoginState.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(10 * 60_000)
    // The state itself is not stored, only its hash.
    expect(JSON.stringify(await prisma().oidcLoginState.findMany())).not.toContain(url.searchParams.get('state')!)
  })

  it('GET /auth/oidc starts nothing', async () => {
    const response = await new Browser(server.base).get('/auth/oidc')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login')
  })
})

describe('signing in through the provider', () => {
  it('a first sign-in creates the account from the ID token and signs in with a session', async () => {
    const before = await counts()
    const { browser, location } = await signInAs('vneid-001', '/learning')
    expect(location).toBe('/learning')
    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'lo.thi.hoa@dichvucong.example' }, include: { identities: true } })
    expect(user.fullName).toBe('Lò Thị Hoa')
    expect(user.passwordHash).toBeNull()
    expect(user.kind).toBe('CITIZEN')
    expect(user.searchText).toContain('lo thi hoa')
    expect(user.identities).toMatchObject([{ issuer: ISSUER, subject: 'vneid-001', linkedBy: 'created' }])
    expect(await counts()).toEqual({ users: before.users + 1, sessions: before.sessions + 1, identities: before.identities + 1 })
    // The same session a password sign-in makes: the cookie, the account page, the trusted device.
    expect(browser.cookies.has('banso_session')).toBe(true)
    expect(browser.cookies.has('banso_device')).toBe(true)
    expect(browser.cookies.has('banso_oidc')).toBe(false)
    const account = await browser.get('/account')
    expect(account.status).toBe(200)
    expect(textOf(await account.text())).toContain('Lò Thị Hoa')
    const audit = await prisma().auditLog.findMany({ where: { targetId: user.id }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['auth.signup', 'auth.signin.success'])
    expect(audit[0]!.details).toMatchObject({ method: 'oidc', issuer: ISSUER, subject: 'vneid-001' })
  })

  it('a second sign-in uses the link: no new account', async () => {
    const before = await counts()
    const { browser, location } = await signInAs('vneid-001')
    expect(location).toBe('/account')
    expect(await counts()).toEqual({ ...before, sessions: before.sessions + 1 })
    expect(textOf(await (await browser.get('/account')).text())).toContain('Lò Thị Hoa')
    const identity = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-001' } } })
    expect(identity.lastSignInAt!.getTime()).toBeGreaterThan(identity.createdAt.getTime())
  })

  it('a verified email links to the existing password account, which keeps its password', async () => {
    const learner = await prisma().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const before = await counts()
    const { browser } = await signInAs('vneid-002')
    expect(await counts()).toEqual({ users: before.users, sessions: before.sessions + 1, identities: before.identities + 1 })
    expect(await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-002' } } })).toMatchObject({
      userId: learner.id,
      linkedBy: 'email',
    })
    expect(textOf(await (await browser.get('/account')).text())).toContain('Nguyễn Thị Hương')
    expect(await prisma().auditLog.count({ where: { action: 'auth.oidc.link', targetId: learner.id } })).toBe(1)
    expect((await new Browser(server.base).signIn('hocvien@banso.example', 'HocVien@2026')).status).toBe(303)
  })

  it('an unverified email does not link: a separate account without that email', async () => {
    const teacher = await prisma().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' }, include: { identities: true } })
    const teacherSessions = await prisma().session.count({ where: { userId: teacher.id } })
    const { browser } = await signInAs('vneid-003')
    const identity = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-003' } }, include: { user: true } })
    expect(identity.userId).not.toBe(teacher.id)
    expect(identity.user).toMatchObject({ fullName: 'Kẻ Mạo Danh', email: null })
    expect(identity.email).toBe('giaovien@banso.example') // kept on the link, for the admin
    expect(teacher.identities).toEqual([])
    expect(await prisma().userIdentity.count({ where: { userId: teacher.id } })).toBe(0)
    expect(await prisma().session.count({ where: { userId: teacher.id } })).toBe(teacherSessions)
    expect(textOf(await (await browser.get('/account')).text())).toContain('Kẻ Mạo Danh')
    const signup = await prisma().auditLog.findFirstOrThrow({ where: { action: 'auth.signup', targetId: identity.userId } })
    expect(signup.details).toMatchObject({ unverifiedEmail: 'giaovien@banso.example' })
  })

  it('a name given in parts is written family name first', async () => {
    await signInAs('vneid-004')
    const identity = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-004' } }, include: { user: true } })
    expect(identity.user.fullName).toBe('Giàng A Páo')
  })

  it('a deactivated account does not sign in through the provider either', async () => {
    const hoa = await prisma().user.findUniqueOrThrow({ where: { email: 'lo.thi.hoa@dichvucong.example' } })
    await prisma().user.update({ where: { id: hoa.id }, data: { deactivatedAt: new Date() } })
    try {
      const before = await counts()
      const { browser, location } = await signInAs('vneid-001')
      expect(location).toBe('/login?oidcError=accountDeactivated')
      expect(await loginPageText(browser, location)).toContain('Tài khoản này đã bị khoá.')
      expect(await counts()).toEqual(before)
    } finally {
      await prisma().user.update({ where: { id: hoa.id }, data: { deactivatedAt: null } })
    }
  })
})

describe('a way back that is not right: the login page says why, nothing is written', () => {
  it('a wrong state: refused, and the sign-in it belonged to is spent', async () => {
    const browser = new Browser(server.base)
    const callback = new URL(await throughProvider(browser, 'vneid-001'))
    const right = callback.href
    callback.searchParams.set('state', 'khong-phai-cua-trinh-duyet-nay')
    const before = await counts()
    const location = await comeBack(browser, callback.href)
    expect(location).toBe('/login?oidcError=oidcState')
    expect(browser.cookies.has('banso_session')).toBe(false)
    expect(browser.cookies.has('banso_oidc')).toBe(false)
    expect(await loginPageText(browser, location)).toContain(`Lượt đăng nhập qua ${DISPLAY_NAME} không hợp lệ, đã được dùng hoặc đã quá 10 phút.`)
    // The right address does not work afterwards: its state was used by the wrong one.
    const again = new Browser(server.base)
    again.cookies.set('banso_oidc', new URL(right).searchParams.get('state')!)
    expect(await comeBack(again, right)).toBe('/login?oidcError=oidcState')
    expect(await counts()).toEqual(before)
    expect(await prisma().auditLog.count({ where: { action: 'auth.signin.failure', details: { path: ['reason'], equals: 'oidcState' } } })).toBeGreaterThanOrEqual(2)
  })

  it('the way back in another browser (no state cookie) is refused: nobody is signed in to someone else’s account', async () => {
    const callback = await throughProvider(new Browser(server.base), 'vneid-001')
    const victim = new Browser(server.base)
    const before = await counts()
    expect(await comeBack(victim, callback)).toBe('/login?oidcError=oidcState')
    expect(victim.cookies.has('banso_session')).toBe(false)
    expect(await counts()).toEqual(before)
  })

  it('a replayed code: the same way back twice signs in once, and the code does not work for another sign-in', async () => {
    const first = new Browser(server.base)
    const callback = await throughProvider(first, 'vneid-001')
    const state = first.cookies.get('banso_oidc')!
    expect(await comeBack(first, callback)).toBe('/account')
    const before = await counts()
    // The same address again, with the same state cookie (copied by whoever saw them).
    const replay = new Browser(server.base)
    replay.cookies.set('banso_oidc', state)
    expect(await comeBack(replay, callback)).toBe('/login?oidcError=oidcState')
    // The code in a sign-in of its own (a fresh state): the provider refuses a code used before.
    const other = new Browser(server.base)
    const fresh = new URL(await throughProvider(other, 'vneid-004'))
    fresh.searchParams.set('code', new URL(callback).searchParams.get('code')!)
    const location = await comeBack(other, fresh.href)
    expect(location).toBe('/login?oidcError=oidcRejected')
    expect(await loginPageText(other, location)).toContain(`${DISPLAY_NAME} không xác nhận lượt đăng nhập này`)
    expect(other.cookies.has('banso_session')).toBe(false)
    expect(await counts()).toEqual(before)
  })

  it('a state older than ten minutes is refused', async () => {
    const browser = new Browser(server.base)
    const callback = await throughProvider(browser, 'vneid-001')
    await prisma().oidcLoginState.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } })
    const before = await counts()
    expect(await comeBack(browser, callback)).toBe('/login?oidcError=oidcState')
    expect(await counts()).toEqual(before)
  })

  it('the provider down: at the start, and between its login page and the way back', async () => {
    // At the start, with nothing discovered yet (as after a restart of the app).
    await stopProvider()
    forgetProviderConfiguration()
    const before = await counts()
    const browser = new Browser(server.base)
    const started = await browser.post('/auth/oidc', {})
    expect(started.status).toBe(303)
    expect(started.headers.get('location')).toBe('/login?oidcError=oidcUnavailable')
    expect(await loginPageText(browser, '/login?oidcError=oidcUnavailable')).toContain(`Hiện không kết nối được tới ${DISPLAY_NAME}.`)
    // Up again: discovery is tried again, the sign-in works.
    await startProvider()
    const late = new Browser(server.base)
    const callback = await throughProvider(late, 'vneid-001')
    // Down when the browser comes back: the code cannot be exchanged.
    await stopProvider()
    const location = await comeBack(late, callback)
    expect(location).toBe('/login?oidcError=oidcUnavailable')
    expect(late.cookies.has('banso_session')).toBe(false)
    expect(await counts()).toEqual(before)
    await startProvider()
    expect((await signInAs('vneid-001')).location).toBe('/account')
  })

  it('an expired ID token (the provider’s clock two hours behind) is refused', async () => {
    await startProvider(-2 * 3600)
    try {
      const before = await counts()
      const browser = new Browser(server.base)
      const location = await comeBack(browser, await throughProvider(browser, 'vneid-001'))
      expect(location).toBe('/login?oidcError=oidcExpired')
      expect(await loginPageText(browser, location)).toContain(`Thẻ định danh do ${DISPLAY_NAME} gửi về đã hết hạn.`)
      expect(browser.cookies.has('banso_session')).toBe(false)
      expect(await counts()).toEqual(before)
    } finally {
      await startProvider()
    }
  })

  it('a sign-in cancelled at the provider', async () => {
    const browser = new Browser(server.base)
    const authorization = new URL(await pressButton(browser))
    // What the provider sends back when the person presses "cancel" (RFC 6749 §4.1.2.1).
    const back = new URL(`${server.base}/auth/oidc/callback`)
    back.searchParams.set('error', 'access_denied')
    back.searchParams.set('state', authorization.searchParams.get('state')!)
    back.searchParams.set('iss', ISSUER)
    const before = await counts()
    const location = await comeBack(browser, back.href)
    expect(location).toBe('/login?oidcError=oidcDenied')
    expect(await loginPageText(browser, location)).toContain(`Bạn đã huỷ đăng nhập tại ${DISPLAY_NAME}.`)
    expect(await counts()).toEqual(before)
  })

  it('an unknown message key on /login shows nothing', async () => {
    const text = await loginPageText(new Browser(server.base), '/login?oidcError=%3Cscript%3E')
    expect(text).not.toContain('script')
    expect(text).not.toContain('oidc')
  })
})

describe('admins link and unlink', () => {
  it('links a provider account to a person, who then signs in with it; unlinking asks for confirmation', async () => {
    const admin = new Browser(server.base)
    expect((await admin.signIn('quantri@banso.example', 'QuanTri@2026')).status).toBe(303)
    const teacher = await prisma().user.findUniqueOrThrow({ where: { email: 'giaovien@banso.example' } })
    const page = `/admin/users/${teacher.id}`
    expect(textOf(await (await admin.get(page)).text())).toContain(`Đăng nhập qua ${DISPLAY_NAME}`)

    // A subject linked to someone else already.
    const taken = await admin.post(page, { intent: 'identityLink', subject: 'vneid-003' })
    expect(taken.status).toBe(409)
    expect(textOf(await taken.text())).toContain('Tài khoản định danh này đã được liên kết với một người dùng khác.')
    expect((await admin.post(page, { intent: 'identityLink', subject: '   ' })).status).toBe(400)

    const linked = await admin.post(page, { intent: 'identityLink', subject: 'vneid-005' })
    expect(linked.status).toBe(200)
    expect(textOf(await linked.text())).toContain('Đã liên kết tài khoản định danh.')
    const identity = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-005' } } })
    expect(identity).toMatchObject({ userId: teacher.id, linkedBy: 'admin' })

    const { browser } = await signInAs('vneid-005')
    expect(textOf(await (await browser.get('/account')).text())).toContain(teacher.fullName)

    const unconfirmed = await admin.post(page, { intent: 'identityUnlink', identityId: identity.id })
    expect(unconfirmed.status).toBe(400)
    expect(textOf(await unconfirmed.text())).toContain('Hãy đánh dấu ô xác nhận trước khi gỡ liên kết.')
    expect(await prisma().userIdentity.count({ where: { id: identity.id } })).toBe(1)

    const unlinked = await admin.post(page, { intent: 'identityUnlink', identityId: identity.id, confirm: 'yes' })
    expect(unlinked.status).toBe(200)
    expect(await prisma().userIdentity.count({ where: { id: identity.id } })).toBe(0)
    const actions = (await prisma().auditLog.findMany({ where: { targetId: teacher.id, action: { startsWith: 'auth.oidc' } }, orderBy: { id: 'asc' } })).map((a) => a.action)
    expect(actions).toEqual(['auth.oidc.link', 'auth.oidc.unlink'])

    // Unlinked: the provider account no longer reaches the teacher (it has no email: a new account).
    const after = await signInAs('vneid-005')
    const now = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-005' } } })
    expect(now.userId).not.toBe(teacher.id)
    expect(after.location).toBe('/account')
  })

  it('the only way an account without email or phone signs in is not removed', async () => {
    const admin = new Browser(server.base)
    await admin.signIn('quantri@banso.example', 'QuanTri@2026')
    const identity = await prisma().userIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer: ISSUER, subject: 'vneid-004' } } })
    const response = await admin.post(`/admin/users/${identity.userId}`, { intent: 'identityUnlink', identityId: identity.id, confirm: 'yes' })
    expect(response.status).toBe(409)
    expect(textOf(await response.text())).toContain('Đây là cách đăng nhập duy nhất của người này')
    expect(await prisma().userIdentity.count({ where: { id: identity.id } })).toBe(1)
  })

  it('someone who is not an admin cannot link', async () => {
    const manager = new Browser(server.base)
    await manager.signIn('quanly@banso.example', 'QuanLy@2026')
    const learner = await prisma().user.findUniqueOrThrow({ where: { email: 'hocvien@banso.example' } })
    const response = await manager.post(`/admin/users/${learner.id}`, { intent: 'identityLink', subject: 'vneid-999' })
    expect([403, 404]).toContain(response.status)
    expect(await prisma().userIdentity.count({ where: { subject: 'vneid-999' } })).toBe(0)
  })
})

describe('switched off', () => {
  it('without OIDC_ISSUER and OIDC_CLIENT_ID there is no button and no route', async () => {
    const saved = { issuer: process.env.OIDC_ISSUER, client: process.env.OIDC_CLIENT_ID }
    delete process.env.OIDC_ISSUER
    delete process.env.OIDC_CLIENT_ID
    resetEnvCache()
    try {
      const browser = new Browser(server.base)
      expect(textOf(await (await browser.get('/login')).text())).not.toContain('Đăng nhập bằng')
      expect((await browser.post('/auth/oidc', {})).status).toBe(404)
      expect((await browser.get('/auth/oidc/callback?code=x&state=y')).status).toBe(404)
    } finally {
      process.env.OIDC_ISSUER = saved.issuer
      process.env.OIDC_CLIENT_ID = saved.client
      resetEnvCache()
    }
  })
})
