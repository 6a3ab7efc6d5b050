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
import { gzipSync } from 'node:zlib'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import type { NextFunction, Request, Response } from 'express'
import { cookieName, SESSION_COOKIE } from '~/modules/auth/session.server'
import { DEVICE_COOKIE } from '~/modules/auth/throttle.server'
import { contentVersion } from '~/modules/content/version.server'
import { personalFacts, type CourseFacts, type PersonalFacts } from '~/modules/personal/facts.server'
import { format, formatDateTime, LOCALE_COOKIE, localeFromCookieHeader, messagesFor, type Locale } from '~/utils/i18n'
import { getEnv } from '~/utils/env.server'
import { MARK_CLOSE, MARK_OPEN, TEMPLATE_MARK } from '~/utils/personal-template'

/** Pages that may have a template; which of them do is the route's say (handle.personal). */
const CANDIDATE = /^\/courses\/([a-z0-9][a-z0-9-]*)(?:\/([a-z0-9][a-z0-9-]*))?$/
const HARMLESS = new Set([LOCALE_COOKIE, DEVICE_COOKIE, `__Host-${DEVICE_COOKIE}`])
/** Headers of the rendered template that are not kept: set per response here or by other middleware. */
const NOT_KEPT = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'etag', 'set-cookie', 'cache-control', 'x-banso-page-cache'])

type Token = { kind: 'text'; text: string } | { kind: 'value'; name: string } | { kind: 'if'; flag: string; not: boolean; end: number } | { kind: 'end' }

interface Template {
  tokens: Token[]
  headers: [string, string][]
  /** The course whose facts the marks need, if any. */
  course: string | null
  id: string
}

type Facts = PersonalFacts

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

const MARK = new RegExp(`${MARK_OPEN}([?/=@])(!?)([^${MARK_CLOSE}]*)${MARK_CLOSE}`, 'g')

/** The rendered template as tokens, or null if it is not one this file can fill. */
export function parseTemplate(html: string): Omit<Template, 'headers' | 'id'> | null {
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
  const out: string[] = []
  const { tokens } = template
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'text') out.push(token.text)
    else if (token.kind === 'value') {
      const value = resolveValue(token.name, facts, locale)
      if (value === undefined) return null
      out.push(escapeHtml(value))
    } else if (token.kind === 'if') {
      const flag = resolveFlag(token.flag, facts)
      if (flag === undefined) return null
      if (flag === token.not) i = token.end
    }
  }
  return out.join('')
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

export function createPersonalPages({ build, maxEntries = 500 }: { build: () => ServerBuild | null; maxEntries?: number }): PersonalPages {
  let version = contentVersion()
  const templates = new Map<string, Template>()
  /** Pages tried once that have no template (another route, a 404…), until the content changes. */
  const without = new Set<string>()
  let handler: ReturnType<typeof createRequestHandler> | null = null

  async function renderTemplate(req: Request, key: string): Promise<Template | null> {
    const serverBuild = build()
    if (!serverBuild) return null
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
    if (response.status !== 200 || response.headers.has('set-cookie') || !type.startsWith('text/html') || html.includes(nonce)) return null
    const parsed = parseTemplate(html)
    if (!parsed) return null
    const kept: [string, string][] = []
    response.headers.forEach((value, name) => {
      if (!NOT_KEPT.has(name.toLowerCase())) kept.push([name, value])
    })
    return { ...parsed, headers: kept, id: createHash('sha256').update(key).update(html).digest('base64url').slice(0, 16) }
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

    const facts = await personalFacts(token, match[1]!)
    if (!facts) return next()
    let template = templates.get(key)
    if (!template) {
      const rendered = await renderTemplate(req, key)
      if (!rendered) {
        if (without.size >= maxEntries) without.clear()
        without.add(key)
        return next()
      }
      template = rendered
      if (templates.size >= maxEntries) templates.delete(templates.keys().next().value!)
      templates.set(key, template)
    }
    const html = fillTemplate(template, facts, locale)
    if (html === null) return next()
    send(req, res, template, html)
  }

  function send(req: Request, res: Response, template: Template, html: string) {
    for (const [name, value] of template.headers) res.setHeader(name, value)
    res.setHeader('Vary', 'Accept-Encoding, Cookie')
    // The person's own copy: the browser may keep it, but asks every time (a 304 when unchanged).
    res.setHeader('Cache-Control', 'private, no-cache')
    const body = Buffer.from(html, 'utf8')
    const etag = `"p-${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
    res.setHeader('ETag', etag)
    if (req.get('if-none-match') === etag) {
      res.status(304).end()
      return
    }
    res.status(200)
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      const gzip = gzipSync(body, { level: 6 })
      res.setHeader('Content-Encoding', 'gzip')
      res.setHeader('Content-Length', gzip.length)
      res.end(gzip)
    } else {
      res.setHeader('Content-Length', body.length)
      res.end(body)
    }
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
