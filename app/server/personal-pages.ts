// Signed-in pages from personal templates (docs/decisions/030-signed-in-pages-from-personal-templates.md).
//
// A lesson or course page differs between two signed-in people only in a few marked places (the
// name in the header, the manager's links, unread notifications, lessons done). So for a GET with a
// valid session, this middleware:
// 1. reads the person's facts in ONE SQL statement (app/modules/personal/facts.server.ts);
// 2. takes the page's template — the same Remix render with those places marked, kept per
//    (content version, language, origin, path) — or renders it once through Remix;
// 3. fills the marks, and answers with a private ETag (a repeat visit is a 304) and a gzip body.
// Remix and React are not on the path of a hit. Anything else goes to Remix unchanged: other
// methods, a query string, an unknown cookie, no or a bad session, a page that does not allow a
// template (it is remembered, so it is tried once per content version), any status but 200.
//
// What keeps it right:
// - The template is rendered by the route's own components (app/utils/personal-template.tsx), so a
//   filled page is the page Remix renders for that person; tests/integration/personal-pages.test.ts
//   compares the two for people in every state.
// - A template never holds a person's data: every value comes from this request's facts, and a
//   template with a mark this file cannot fill is never kept.
// - A template is never kept if it sets a cookie, carries the nonce it was rendered with, or has
//   any status but 200.
import { createHash, randomBytes } from 'node:crypto'
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { MyLearningBody } from '~/components/my-learning'
import { learningOverview, type LearningOverview } from '~/modules/learning/overview.server'
import type { NextFunction, Request, Response } from 'express'
import { cookieName, SESSION_COOKIE } from '~/modules/auth/session.server'
import { DEVICE_COOKIE } from '~/modules/auth/throttle.server'
import { contentVersion } from '~/modules/content/version.server'
import { WRITE_STAMP_COOKIE, type FactsCache } from '~/modules/personal/cache.server'
import { personalFacts, type CourseFacts, type FactsCacheUse, type PersonalFacts } from '~/modules/personal/facts.server'
import { format, formatDateTime, LOCALE_COOKIE, localeFromCookieHeader, messagesFor, type Locale } from '~/utils/i18n'
import { getEnv } from '~/utils/env.server'
import { MARK_CLOSE, MARK_OPEN, TEMPLATE_MARK } from '~/utils/personal-template'

/** Says where a personal page's facts came from (tests and benches read it). */
export const FACTS_HEADER = 'X-Banso-Facts'

/** Pages that may have a template; which of them do is the route's say (handle.personal). */
const CANDIDATE = /^\/(?:learning|courses\/([a-z0-9][a-z0-9-]*)(?:\/[a-z0-9][a-z0-9-]*)?)$/
const HARMLESS = new Set([LOCALE_COOKIE, DEVICE_COOKIE, `__Host-${DEVICE_COOKIE}`, WRITE_STAMP_COOKIE, `__Host-${WRITE_STAMP_COOKIE}`])
/** Headers of the rendered template that are not kept: set per response here or by other middleware. */
const NOT_KEPT = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'etag', 'set-cookie', 'cache-control', 'x-banso-page-cache'])

/** A piece of the page as it is sent: its bytes, and the same bytes as raw deflate ending on a byte boundary. */
interface Piece {
  raw: Buffer
  deflated: Buffer
}

type Token = { kind: 'text'; text: string; piece?: Piece } | { kind: 'value'; name: string } | { kind: 'html'; name: string } | { kind: 'if'; flag: string; not: boolean; end: number } | { kind: 'end' }

interface Template {
  tokens: Token[]
  headers: [string, string][]
  /** The course whose facts the marks need, if any. */
  course: string | null
  /** Whether a mark needs My learning's overview. */
  overview: boolean
  id: string
}

/** My learning's overview, and its list as rendered in each language (kept with it in the facts cache). */
interface Overview {
  data: LearningOverview
  html: Map<Locale, string>
}

/** The person's facts, and My learning's overview where the page has it. */
type Facts = PersonalFacts & { overview?: Overview }

/** Blocks a template may leave to the fill, rendered by the same plain component as the page's. */
function resolveHtml(name: string, facts: Facts, locale: Locale): string | undefined {
  const overview = facts.overview
  if (name !== 'myLearning' || !overview) return undefined
  let html = overview.html.get(locale)
  if (html === undefined) overview.html.set(locale, (html = renderToStaticMarkup(createElement(MyLearningBody, { overview: overview.data, m: messagesFor(locale), locale }))))
  return html
}

/**
 * My learning's overview, from the facts cache when it is kept for this write stamp. It changes
 * with time only where a certificate's expiry passes: the entry ends there.
 */
async function overviewOf(userId: string, kept: FactsCacheUse | undefined, now = Date.now()): Promise<Overview> {
  const key = `overview\n${userId}`
  const cached = kept?.cache.get<Overview>(key, kept.stamp, now)
  if (cached) return cached
  if (kept) kept.hit = false
  const ticket = kept?.cache.ticket() ?? 0
  const data = await learningOverview({ userId, now: new Date(now) })
  const overview: Overview = { data, html: new Map() }
  const nextExpiry = Math.min(...data.renewals.map((r) => r.expiresAt.getTime()).filter((t) => t > now))
  kept?.cache.set(key, { userId, stamp: kept.stamp, value: overview, untilMs: nextExpiry }, ticket, now)
  return overview
}
const KNOWN_HTML = new Set(['myLearning'])

/** The flags and values a template may mark, and how each is read off the facts. */
function resolveFlag(flag: string, facts: Facts): boolean | undefined {
  switch (flag) {
    case 'managesPeople':
      return facts.managesPeople
    case 'admin':
      return facts.admin
    case 'unread':
      return facts.unread > 0
  }
  const [kind, ref] = splitName(flag)
  if (!ref) return undefined
  const course = facts.courses.get(ref.course)
  if (!course) return undefined
  switch (kind) {
    case 'enrolled':
      return course.enrolled
    case 'completed':
      return course.completedAt !== null
    case 'hasLessons':
      return course.lessonsTotal > 0
    case 'done':
      return ref.lesson !== null && course.lessonsDone.includes(ref.lesson)
  }
  return undefined
}

function resolveValue(name: string, facts: Facts, locale: Locale): string | undefined {
  const m = messagesFor(locale)
  switch (name) {
    case 'fullName':
      return facts.fullName
    case 'unreadLabel':
      return facts.unread ? format(m.reminders.navUnreadLabel, { count: facts.unread }, locale) : ''
    case 'unreadText':
      return facts.unread ? format(m.reminders.navUnread, { count: facts.unread }, locale) : ''
  }
  const [kind, ref] = splitName(name)
  if (!ref) return undefined
  const course: CourseFacts | undefined = facts.courses.get(ref.course)
  if (!course) return undefined
  switch (kind) {
    case 'total':
      return String(course.lessonsTotal)
    case 'doneCount':
      return String(course.lessonsDone.length)
    case 'progressText':
      return format(m.learning.course.progress, { done: course.lessonsDone.length, total: course.lessonsTotal }, locale)
    case 'completedText':
      return course.completedAt ? format(m.learning.course.completed, { date: formatDateTime(course.completedAt, locale, 'short') }) : ''
  }
  return undefined
}

const KNOWN_FLAGS = new Set(['managesPeople', 'admin', 'unread', 'enrolled', 'completed', 'hasLessons', 'done'])
const KNOWN_VALUES = new Set(['fullName', 'unreadLabel', 'unreadText', 'total', 'doneCount', 'progressText', 'completedText'])
const COURSE_KINDS = new Set(['enrolled', 'completed', 'hasLessons', 'done', 'total', 'doneCount', 'progressText', 'completedText'])

/** "done:course/lesson" → ["done", { course, lesson }]; a plain name → [name, null]. */
function splitName(name: string): [string, { course: string; lesson: string | null } | null] {
  const colon = name.indexOf(':')
  if (colon < 0) return [name, null]
  const [course, lesson] = name.slice(colon + 1).split('/')
  return [name.slice(0, colon), { course: course!, lesson: lesson ?? null }]
}

const MARK = new RegExp(`${MARK_OPEN}([?/=@#])(!?)([^${MARK_CLOSE}]*)${MARK_CLOSE}`, 'g')

/** The rendered template as tokens, or null if it is not one this file can fill. */
export function parseTemplate(html: string): Omit<Template, 'headers' | 'id' | 'overview'> | null {
  if (!html.includes(TEMPLATE_MARK)) return null
  const tokens: Token[] = []
  const open: number[] = []
  let course: string | null = null
  let last = 0
  for (const match of html.matchAll(MARK)) {
    const [whole, sigil, not, name] = match as unknown as [string, string, string, string]
    if (match.index! > last) tokens.push({ kind: 'text', text: html.slice(last, match.index) })
    last = match.index! + whole.length
    if (sigil === '@') {
      if (name !== 'personal') return null
      continue
    }
    const [kind, ref] = splitName(name)
    if (ref) {
      if (!COURSE_KINDS.has(kind) || (course !== null && course !== ref.course)) return null
      course = ref.course
    }
    if (sigil === '=') {
      if (!KNOWN_VALUES.has(kind)) return null
      tokens.push({ kind: 'value', name })
    } else if (sigil === '#') {
      if (!KNOWN_HTML.has(name)) return null
      tokens.push({ kind: 'html', name })
    } else if (sigil === '?') {
      if (!KNOWN_FLAGS.has(kind)) return null
      open.push(tokens.length)
      tokens.push({ kind: 'if', flag: name, not: not === '!', end: -1 })
    } else {
      const start = open.pop()
      const opener = start === undefined ? undefined : tokens[start]
      if (!opener || opener.kind !== 'if' || opener.flag !== name || opener.not !== (not === '!')) return null
      opener.end = tokens.length
      tokens.push({ kind: 'end' })
    }
  }
  if (open.length) return null
  if (last < html.length) tokens.push({ kind: 'text', text: html.slice(last) })
  // Nothing of a mark may be left over (a stray marker character would be one).
  if (tokens.some((t) => t.kind === 'text' && (t.text.includes(MARK_OPEN) || t.text.includes(MARK_CLOSE)))) return null
  return { tokens, course }
}

/** React's escaping of text and attribute values, so a filled value reads as React would write it. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#x27;'))
}

/** The page for this person, or null if a mark cannot be filled from these facts. */
export function fillTemplate(template: Pick<Template, 'tokens'>, facts: Facts, locale: Locale): string | null {
  const filled = fillPieces(template, facts, locale)
  return filled && filled.parts.map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : part.raw.toString('utf8'))).join('')
}

/**
 * The page as pieces: the template's own (kept with their deflated bytes) and the person's values
 * (short, sent as stored deflate blocks). `decisions` names every choice made, for the ETag.
 */
function fillPieces(template: Pick<Template, 'tokens'>, facts: Facts, locale: Locale): { parts: (Piece | Buffer)[]; decisions: string } | null {
  const parts: (Piece | Buffer)[] = []
  const decisions: string[] = []
  const { tokens } = template
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'text') parts.push((token.piece ??= pieceOf(token.text)))
    else if (token.kind === 'value') {
      const value = resolveValue(token.name, facts, locale)
      if (value === undefined) return null
      decisions.push(value)
      parts.push(Buffer.from(escapeHtml(value), 'utf8'))
    } else if (token.kind === 'html') {
      const html = resolveHtml(token.name, facts, locale)
      if (html === undefined) return null
      decisions.push(html)
      parts.push(Buffer.from(html, 'utf8'))
    } else if (token.kind === 'if') {
      const flag = resolveFlag(token.flag, facts)
      if (flag === undefined) return null
      decisions.push(flag ? '1' : '0')
      if (flag === token.not) i = token.end
    }
  }
  return { parts, decisions: decisions.join('\u0000') }
}

export function pieceOf(text: string): Piece {
  const raw = Buffer.from(text, 'utf8')
  // A sync flush ends the deflate stream on a byte boundary without ending it: pieces then join.
  return { raw, deflated: deflateRawSync(raw, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH }) }
}

/** Raw bytes as stored (uncompressed) deflate blocks: no compressor on the request's path. */
function storedBlocks(raw: Buffer): Buffer[] {
  const blocks: Buffer[] = []
  for (let at = 0; at < raw.length; at += 0xffff) {
    const chunk = raw.subarray(at, Math.min(raw.length, at + 0xffff))
    const header = Buffer.alloc(5)
    header[0] = 0 // not final, stored, then padding to the byte
    header.writeUInt16LE(chunk.length, 1)
    header.writeUInt16LE(~chunk.length & 0xffff, 3)
    blocks.push(header, chunk)
  }
  return blocks
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
/** A final, empty block of fixed codes: the end of the deflate stream. */
const DEFLATE_END = Buffer.from([3, 0])

/** One gzip member from the pieces: their deflated bytes joined, the CRC and length of all. */
export function gzipOf(parts: (Piece | Buffer)[]): Buffer {
  const out: Buffer[] = [GZIP_HEADER]
  let crc = 0
  let size = 0
  for (const part of parts) {
    const raw = Buffer.isBuffer(part) ? part : part.raw
    if (!raw.length) continue
    crc = crc32(raw, crc)
    size += raw.length
    if (Buffer.isBuffer(part)) out.push(...storedBlocks(part))
    else out.push(part.deflated)
  }
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc >>> 0, 0)
  trailer.writeUInt32LE(size >>> 0, 4)
  out.push(DEFLATE_END, trailer)
  return Buffer.concat(out)
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    const name = (eq >= 0 ? part.slice(0, eq) : part).trim()
    if (name) cookies.set(name, eq >= 0 ? part.slice(eq + 1).trim() : '')
  }
  return cookies
}

export interface PersonalPages {
  middleware: (req: Request, res: Response, next: NextFunction) => void
  size(): number
  clear(): void
}

/**
 * `facts`: the personal facts cache (app/modules/personal/cache.server.ts); without it, or while it
 * is off, every page reads the person's facts from the database.
 */
export function createPersonalPages({ build, maxEntries = 500, facts: factsCache }: { build: () => ServerBuild | null; maxEntries?: number; facts?: FactsCache }): PersonalPages {
  let version = contentVersion()
  const templates = new Map<string, Template>()
  /** Pages tried once that have no template (another route, a 404…), until the content changes. */
  const without = new Set<string>()
  let handler: ReturnType<typeof createRequestHandler> | null = null

  /** The page's template; null if it has none; 'retry' after a server error (not remembered). */
  async function renderTemplate(req: Request, key: string): Promise<Template | null | 'retry'> {
    const serverBuild = build()
    if (!serverBuild) return 'retry'
    handler ??= createRequestHandler(serverBuild, 'production')
    const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value)
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    }
    headers.delete('if-none-match')
    const nonce = randomBytes(16).toString('base64')
    const response = await handler(new Request(url, { method: 'GET', headers }), {
      cspNonce: nonce,
      clientIp: req.ip ?? 'unknown',
      personalTemplate: true,
    })
    const html = await response.text()
    const type = response.headers.get('content-type') ?? ''
    if (response.status >= 500) return 'retry'
    if (response.status !== 200 || response.headers.has('set-cookie') || !type.startsWith('text/html') || html.includes(nonce)) return null
    const parsed = parseTemplate(html)
    if (!parsed) return null
    for (const token of parsed.tokens) if (token.kind === 'text') token.piece = pieceOf(token.text)
    const kept: [string, string][] = []
    response.headers.forEach((value, name) => {
      if (!NOT_KEPT.has(name.toLowerCase())) kept.push([name, value])
    })
    return { ...parsed, overview: parsed.tokens.some((t) => t.kind === 'html' && t.name === 'myLearning'), headers: kept, id: createHash('sha256').update(key).update(html).digest('base64url').slice(0, 16) }
  }

  async function handle(req: Request, res: Response, next: NextFunction) {
    if (req.method !== 'GET' || req.originalUrl.includes('?')) return next()
    const match = CANDIDATE.exec(req.path)
    if (!match) return next()
    const cookies = parseCookies(req.get('cookie'))
    const secure = req.protocol === 'https'
    const sessionName = cookieName(SESSION_COOKIE, secure)
    const token = cookies.get(sessionName)
    if (!token) return next()
    for (const name of cookies.keys()) if (name !== sessionName && !HARMLESS.has(name)) return next()

    const current = contentVersion()
    if (current !== version) {
      templates.clear()
      without.clear()
      version = current
    }
    const locale = localeFromCookieHeader(req.get('cookie') ?? null)
    // The origin is in the key: without APP_ORIGIN a signed-in page names the address it was asked at.
    const origin = getEnv().APP_ORIGIN || `${req.protocol}://${req.get('host') ?? ''}`
    const key = `${current}\n${locale}\n${origin}\n${req.path}`
    if (without.has(key)) return next()

    const kept: FactsCacheUse | undefined = factsCache?.enabled() ? { cache: factsCache, stamp: cookies.get(cookieName(WRITE_STAMP_COOKIE, secure)) ?? '' } : undefined
    const person = await personalFacts(token, match[1] ?? null, new Date(), kept)
    if (!person) return next()
    const known = templates.get(key)
    const facts: Facts = known?.overview || (!known && !match[1]) ? { ...person, overview: await overviewOf(person.userId, kept) } : person
    let template = known
    if (!template) {
      const rendered = await renderTemplate(req, key)
      if (rendered === 'retry') return next()
      if (!rendered) {
        if (without.size >= maxEntries) without.clear()
        without.add(key)
        return next()
      }
      template = rendered
      if (templates.size >= maxEntries) templates.delete(templates.keys().next().value!)
      templates.set(key, template)
    }
    const filled = fillPieces(template, facts, locale)
    if (filled === null) return next()
    // Where the facts came from: the cache, the database, or the database with the cache off.
    res.setHeader(FACTS_HEADER, kept ? (kept.hit ? 'hit' : 'read') : 'off')
    send(req, res, template, filled)
  }

  function send(req: Request, res: Response, template: Template, filled: { parts: (Piece | Buffer)[]; decisions: string }) {
    for (const [name, value] of template.headers) res.setHeader(name, value)
    res.setHeader('Vary', 'Accept-Encoding, Cookie')
    // The person's own copy: the browser may keep it, but asks every time (a 304 when unchanged).
    res.setHeader('Cache-Control', 'private, no-cache')
    // The page is the template and the choices made in it: their hash names it exactly.
    const etag = `"p-${createHash('sha256').update(template.id).update('\u0000').update(filled.decisions).digest('base64url').slice(0, 27)}"`
    res.setHeader('ETag', etag)
    if (req.get('if-none-match') === etag) {
      res.status(304).end()
      return
    }
    res.status(200)
    let body: Buffer
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      // compression() leaves a body alone that already has a Content-Encoding.
      body = gzipOf(filled.parts)
      res.setHeader('Content-Encoding', 'gzip')
    } else body = Buffer.concat(filled.parts.map((part) => (Buffer.isBuffer(part) ? part : part.raw)))
    res.setHeader('Content-Length', body.length)
    res.end(body)
  }

  return {
    middleware: (req, res, next) => {
      handle(req, res, next).catch((error: unknown) => {
        // Remix then answers as it would have (the database down, say, gets its own page).
        console.warn('[personal-pages] trang mẫu cá nhân không dùng được, chuyển cho Remix:', error instanceof Error ? error.message : error)
        if (!res.headersSent) next()
      })
    },
    size: () => templates.size,
    clear: () => {
      templates.clear()
      without.clear()
    },
  }
}

/**
 * A new write stamp on every request but GET and HEAD that carries a session (docs/decisions/030,
 * amendment 2026-12-08): the person's next page is filled from facts read after their write,
 * whichever process serves it, without waiting for the database's notification.
 */
export function writeStamp() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const secure = req.protocol === 'https'
      if (parseCookies(req.get('cookie')).has(cookieName(SESSION_COOKIE, secure))) {
        res.append('Set-Cookie', `${cookieName(WRITE_STAMP_COOKIE, secure)}=${randomBytes(12).toString('base64url')}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`)
      }
    }
    next()
  }
}
