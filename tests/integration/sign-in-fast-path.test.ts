// POST /login answered before Remix when it signs someone in (app/server/fast-sign-in.ts,
// docs/decisions/029, amendment 2026-12-08) must be indistinguishable from the Remix path. Two
// servers on one database — the product and a reference with SIGN_IN_FAST_PATH=false — get the same
// sign-ins from the same starting state (the throttle's rows, the account's sessions and devices
// reset before each), and must answer with the same status, headers (in order, byte for byte but
// the date, the nonce and the tokens), cookies and page, and write the same rows: attempts, audit
// rows, sessions, trusted devices. The product must have answered every success itself.
import http from 'node:http'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fastSignIns } from '~/server/fast-sign-in'
import { listenProductionApp, startTestServer, type TestServer } from '../setup/test-server'

let product: TestServer
let reference: { server: Server; base: string }
// Behind a proxy that says the request came over HTTPS: the __Host- cookies.
let httpsProduct: { server: Server; base: string }
let httpsReference: { server: Server; base: string }

beforeAll(async () => {
  product = await startTestServer()
  reference = await listenProductionApp({ SIGN_IN_FAST_PATH: 'false' })
  httpsProduct = await listenProductionApp({ TRUST_PROXY: 'true' })
  httpsReference = await listenProductionApp({ TRUST_PROXY: 'true', SIGN_IN_FAST_PATH: 'false' })
})

afterAll(async () => {
  for (const s of [reference, httpsProduct, httpsReference]) {
    s?.server.closeAllConnections()
    await new Promise<void>((resolve) => (s ? s.server.close(() => resolve()) : resolve()))
  }
  await product?.close()
})

const db = () => product.t.db.prisma
const LEARNER = { identifier: 'hocvien@banso.example', password: 'HocVien@2026' }
const TEACHER = { identifier: 'giaovien@banso.example', password: 'GiaoVien@2026' }

interface Raw {
  status: number
  headers: [string, string][]
  body: string
}

/** A form post as a browser without JavaScript sends it, read raw: header names, order and values as sent. */
function post(base: string, path: string, fields: Record<string, string>, cookie?: string): Promise<Raw> {
  const body = new URLSearchParams(fields).toString()
  const url = new URL(path, base)
  const https = base === httpsProduct?.base || base === httpsReference?.base
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          Origin: https ? base.replace('http:', 'https:') : base,
          ...(https ? { 'X-Forwarded-Proto': 'https' } : {}),
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) ban-so-test',
          ...(cookie ? { Cookie: cookie } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (c: Buffer) => chunks.push(c))
        response.on('end', () => {
          const headers: [string, string][] = []
          for (let i = 0; i < response.rawHeaders.length; i += 2) headers.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!])
          resolve({ status: response.statusCode!, headers, body: Buffer.concat(chunks).toString('utf8') })
        })
        response.on('error', reject)
      }
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** The device cookie a first sign-in gives this browser (for the trusted-device cases). */
async function deviceTokenOf(base: string, who: { identifier: string; password: string }): Promise<string> {
  const response = await post(base, '/login', who)
  expect(response.status).toBe(303)
  const device = response.headers.find(([n, v]) => n.toLowerCase() === 'set-cookie' && /^(__Host-)?banso_device=/.test(v))
  return device![1].split(';')[0]!.split('=')[1]!
}

/** What may differ between two identical requests: the date, the CSP nonce, fresh tokens, a second of Max-Age. */
function normal(raw: Raw, sentDevice: string | null) {
  const nonce = /'nonce-([^']+)'/.exec(raw.headers.find(([n]) => n.toLowerCase() === 'content-security-policy')?.[1] ?? '')?.[1]
  const maxAges: number[] = []
  const headers = raw.headers.map(([name, value]): [string, string] => {
    const lower = name.toLowerCase()
    if (lower === 'date') return [name, '<date>']
    if (lower === 'content-security-policy' && nonce) return [name, value.replaceAll(nonce, '<nonce>')]
    if (lower === 'set-cookie') {
      const [pair, ...attributes] = value.split('; ')
      const [cookieName, cookieValue] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)]
      const shown = cookieName.endsWith('banso_device') && cookieValue === sentDevice ? '<the device cookie sent>' : cookieValue === '' ? '' : '<new token>'
      return [
        name,
        [
          `${cookieName}=${shown}`,
          ...attributes.map((a) => {
            const age = /^Max-Age=(\d+)$/.exec(a)
            if (!age) return a
            maxAges.push(Number(age[1]))
            return 'Max-Age=<n>'
          }),
        ].join('; '),
      ]
    }
    return [name, value]
  })
  return { status: raw.status, headers, body: nonce ? raw.body.replaceAll(nonce, '<nonce>') : raw.body, maxAges }
}

/** The rows a sign-in writes, after `since` (ids), without ids, times and tokens. */
async function writtenSince(since: { audit: bigint; attempt: bigint }, userIds: string[]) {
  const audit = await db().auditLog.findMany({ where: { id: { gt: since.audit } }, orderBy: { id: 'asc' }, select: { action: true, actorId: true, targetType: true, targetId: true, ip: true, details: true } })
  const attempts = await db().loginAttempt.findMany({ where: { id: { gt: since.attempt } }, orderBy: { id: 'asc' }, select: { identifier: true, ip: true, success: true } })
  const sessions = await db().session.findMany({ where: { userId: { in: userIds } }, select: { userId: true, ip: true, userAgent: true, createdAt: true, expiresAt: true } })
  const devices = await db().trustedDevice.findMany({ where: { userId: { in: userIds } }, select: { userId: true } })
  return {
    audit,
    attempts,
    sessions: sessions.map((s) => ({ userId: s.userId, ip: s.ip, userAgent: s.userAgent, lifetimeS: Math.round((s.expiresAt.getTime() - s.createdAt.getTime()) / 1000) })),
    devices: devices.length,
  }
}

async function marks() {
  const audit = await db().auditLog.aggregate({ _max: { id: true } })
  const attempt = await db().loginAttempt.aggregate({ _max: { id: true } })
  return { audit: audit._max.id ?? 0n, attempt: attempt._max.id ?? 0n }
}

const userIdOf = async (email: string) => (await db().user.findFirstOrThrow({ where: { email }, select: { id: true } })).id

interface Case {
  name: string
  fields: Record<string, string>
  /** The state both servers start from (after the reset); returns the Cookie header to send. */
  setup?: (base: string) => Promise<string | undefined>
  status: number
  /** Whether the product answers it itself (a success) or hands it to Remix. */
  fast: boolean
  /** Something the answer must say (a location, a message). */
  says: (raw: Raw) => void
}

const location = (raw: Raw) => raw.headers.find(([n]) => n.toLowerCase() === 'location')?.[1]

async function failures(identifier: string, count: number, secondsAgo = 0) {
  const at = new Date(Date.now() - secondsAgo * 1000)
  await db().loginAttempt.createMany({ data: Array.from({ length: count }, () => ({ identifier, ip: '203.0.113.9', success: false, at })) })
}

const CASES: Case[] = [
  { name: 'a sign-in', fields: { ...LEARNER, redirectTo: '' }, status: 303, fast: true, says: (r) => expect(location(r)).toBe('/account') },
  { name: 'a sign-in to a page of the site', fields: { ...LEARNER, redirectTo: '/courses?x=1' }, status: 303, fast: true, says: (r) => expect(location(r)).toBe('/courses?x=1') },
  { name: 'a sign-in asked to go to another site', fields: { ...LEARNER, redirectTo: '//evil.example/x' }, status: 303, fast: true, says: (r) => expect(location(r)).toBe('/account') },
  { name: 'a sign-in asked to go to an absolute address', fields: { ...LEARNER, redirectTo: 'https://evil.example/' }, status: 303, fast: true, says: (r) => expect(location(r)).toBe('/account') },
  { name: 'a sign-in asked to go to /\\evil', fields: { ...LEARNER, redirectTo: '/\\evil.example' }, status: 303, fast: true, says: (r) => expect(location(r)).toBe('/account') },
  {
    name: 'a sign-in from a trusted device (its cookie refreshed, not replaced)',
    fields: LEARNER,
    setup: async (base) => `banso_device=${await deviceTokenOf(base, LEARNER)}`,
    status: 303,
    fast: true,
    says: (r) => expect(r.headers.filter(([n]) => n.toLowerCase() === 'set-cookie')).toHaveLength(2),
  },
  {
    name: 'a sign-in in English',
    fields: { identifier: ' HocVien@BanSo.example ', password: LEARNER.password },
    setup: async () => 'lang=en',
    status: 303,
    fast: true,
    says: (r) => expect(location(r)).toBe('/account'),
  },
  { name: 'a wrong password', fields: { ...LEARNER, password: 'Sai-mật-khẩu-1' }, status: 400, fast: false, says: (r) => expect(r.body).toContain('Email/số điện thoại hoặc mật khẩu không đúng.') },
  {
    name: 'a wrong password in English',
    fields: { ...LEARNER, password: 'wrong-password-1' },
    setup: async () => 'lang=en',
    status: 400,
    fast: false,
    says: (r) => expect(r.body).toContain('Wrong email/phone number or password.'),
  },
  { name: 'an unknown account', fields: { identifier: 'khong-co@banso.example', password: 'Mật-khẩu-2026' }, status: 400, fast: false, says: (r) => expect(r.body).toContain('không đúng') },
  { name: 'an empty form', fields: { identifier: '', password: '' }, status: 400, fast: false, says: (r) => expect(r.body).toContain('Vui lòng nhập email hoặc số điện thoại.') },
  {
    name: 'a throttled account (the growing delay), right password',
    fields: LEARNER,
    setup: async () => (await failures(LEARNER.identifier, 8), undefined),
    status: 429,
    fast: false,
    says: (r) => expect(r.body).toMatch(/Vui lòng đợi \d+ giây rồi thử lại/),
  },
  {
    name: 'an account over its cap, from a new device',
    fields: LEARNER,
    setup: async () => (await failures(LEARNER.identifier, 100, 120), undefined),
    status: 429,
    fast: false,
    says: (r) => expect(r.body).toContain('chỉ đăng nhập được từ thiết bị đã dùng trước đây'),
  },
  {
    name: 'an account over its cap, from its trusted device',
    fields: LEARNER,
    setup: async (base) => {
      const token = await deviceTokenOf(base, LEARNER)
      await failures(LEARNER.identifier, 100, 120)
      return `banso_device=${token}`
    },
    status: 303,
    fast: true,
    says: (r) => expect(location(r)).toBe('/account'),
  },
  {
    name: 'a deactivated account with its right password',
    fields: TEACHER,
    setup: async () => {
      await db().user.updateMany({ where: { email: TEACHER.identifier }, data: { deactivatedAt: new Date() } })
      return undefined
    },
    status: 400,
    fast: false,
    says: (r) => expect(r.body).toContain('Tài khoản này đã bị khoá.'),
  },
  {
    name: 'someone signed in already (the session cookie: Remix decides)',
    fields: LEARNER,
    setup: async (base) => {
      const response = await post(base, '/login', LEARNER)
      return response.headers
        .filter(([n]) => n.toLowerCase() === 'set-cookie')
        .map(([, v]) => v.split(';')[0])
        .join('; ')
    },
    status: 302,
    fast: false,
    says: (r) => expect(location(r)).toBe('/account'),
  },
]

async function reset() {
  await db().loginAttempt.deleteMany({})
  await db().session.deleteMany({})
  await db().trustedDevice.deleteMany({})
  await db().user.updateMany({ where: { email: TEACHER.identifier }, data: { deactivatedAt: null } })
}

async function run(base: string, c: Case) {
  await reset()
  const cookie = await c.setup?.(base)
  const since = await marks()
  const sentDevice = /(?:__Host-)?banso_device=([^;]+)/.exec(cookie ?? '')?.[1] ?? null
  const before = fastSignIns()
  const raw = await post(base, '/login', c.fields, cookie)
  return { raw, answeredHere: fastSignIns() - before, seen: normal(raw, sentDevice), written: await writtenSince(since, [await userIdOf(LEARNER.identifier), await userIdOf(TEACHER.identifier)]) }
}

async function same(c: Case, fastBase: string, remixBase: string) {
  const fast = await run(fastBase, c)
  const remix = await run(remixBase, c)
  expect(remix.answeredHere).toBe(0)
  expect(fast.answeredHere).toBe(c.fast ? 1 : 0)
  expect(fast.raw.status).toBe(c.status)
  c.says(fast.raw)
  expect({ ...fast.seen, maxAges: undefined }).toEqual({ ...remix.seen, maxAges: undefined })
  // Max-Age counts from the moment of the answer: a second apart at most.
  expect(fast.seen.maxAges).toHaveLength(remix.seen.maxAges.length)
  fast.seen.maxAges.forEach((age, i) => expect(Math.abs(age - remix.seen.maxAges[i]!)).toBeLessThanOrEqual(2))
  expect(fast.written).toEqual(remix.written)
}

describe('POST /login with the fast path and through Remix', () => {
  for (const c of CASES) it(`answers ${c.name} the same`, () => same(c, product.base, reference.base))
})

const HTTPS_CASES: Case[] = [
  {
    name: 'a sign-in over HTTPS (the __Host- cookies)',
    fields: LEARNER,
    status: 303,
    fast: true,
    says: (r) => expect(r.headers.filter(([n, v]) => n.toLowerCase() === 'set-cookie' && v.startsWith('__Host-') && v.endsWith('; Secure'))).toHaveLength(2),
  },
  {
    name: 'a sign-in over HTTPS from a trusted device',
    fields: LEARNER,
    setup: async (base) => `__Host-banso_device=${await deviceTokenOf(base, LEARNER)}`,
    status: 303,
    fast: true,
    says: (r) => expect(location(r)).toBe('/account'),
  },
  {
    name: 'someone signed in already over HTTPS',
    fields: LEARNER,
    setup: async (base) => {
      const response = await post(base, '/login', LEARNER)
      return response.headers
        .filter(([n]) => n.toLowerCase() === 'set-cookie')
        .map(([, v]) => v.split(';')[0])
        .join('; ')
    },
    status: 302,
    fast: false,
    says: (r) => expect(location(r)).toBe('/account'),
  },
]

describe('POST /login over HTTPS behind a proxy, with the fast path and through Remix', () => {
  for (const c of HTTPS_CASES) it(`answers ${c.name} the same`, () => same(c, httpsProduct.base, httpsReference.base))
})
