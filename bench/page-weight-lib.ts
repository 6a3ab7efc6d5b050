// Page weight as a learner on a slow link pays it: the bytes that cross the wire (gzip, as the
// server sends them) for the HTML, and for the HTML with its CSS and JavaScript (images excluded).
// Over plain HTTP (measurePage: the budget test, no browser needed) and in Chromium
// (measurePageInBrowser: `npm run bench:page-weight` and the page-weight scenario of `npm run bench`).
import { statSync } from 'node:fs'
import http from 'node:http'
import type { Browser as ChromiumBrowser, Response as BrowserResponse } from 'playwright-core'
import { gunzipSync } from 'node:zlib'

/** One TCP first round trip (~14 KB) for the HTML; 30 KB for the whole page without images. */
export const BUDGET = { htmlGzip: 14 * 1024, pageGzip: 30 * 1024 } as const

export interface PageWeight {
  path: string
  status: number
  htmlBytes: number
  htmlGzip: number
  cssGzip: number
  jsGzip: number
  pageGzip: number
  scripts: number
}

function get(url: string): Promise<{ status: number; wire: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, wire: Buffer.concat(chunks), encoding: res.headers['content-encoding'] }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

const assetCache = new Map<string, number>()
async function wireSize(url: string): Promise<number> {
  const known = assetCache.get(url)
  if (known !== undefined) return known
  const { wire } = await get(url)
  assetCache.set(url, wire.length)
  return wire.length
}

export async function measurePage(base: string, path: string): Promise<PageWeight> {
  const { status, wire, encoding } = await get(base + path)
  const html = (encoding === 'gzip' ? gunzipSync(wire) : wire).toString('utf8')
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1]
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*>/g)].map((m) => attr(m[0], 'href')).filter(Boolean) as string[]
  const scriptTags = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0])
  const scripts = scriptTags.map((t) => attr(t, 'src')).filter(Boolean) as string[]
  const modulePreloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*>/g)].map((m) => attr(m[0], 'href')).filter(Boolean) as string[]
  let cssGzip = 0
  for (const href of styles) cssGzip += await wireSize(new URL(href, base).href)
  let jsGzip = 0
  for (const src of new Set([...scripts, ...modulePreloads])) jsGzip += await wireSize(new URL(src, base).href)
  return {
    path,
    status,
    htmlBytes: Buffer.byteLength(html),
    htmlGzip: wire.length,
    cssGzip,
    jsGzip,
    pageGzip: wire.length + cssGzip + jsGzip,
    scripts: scriptTags.length,
  }
}

export function overBudget(w: PageWeight): string[] {
  const problems: string[] = []
  if (w.htmlGzip > BUDGET.htmlGzip) problems.push(`${w.path}: HTML ${w.htmlGzip} B nén > ${BUDGET.htmlGzip} B`)
  if (w.pageGzip > BUDGET.pageGzip) problems.push(`${w.path}: cả trang ${w.pageGzip} B nén > ${BUDGET.pageGzip} B`)
  return problems
}

// ─── In Chromium (`npm run bench:page-weight`, and the page-weight scenario of `npm run bench`) ───
// What a first visit really costs: every response the browser receives for the page, by type,
// with its body size as it crossed the wire (encoded, i.e. gzip), from Chromium's own accounting.

export interface BrowserPageWeight extends PageWeight {
  type: string
  imageBytes: number
}

export function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  return fsExists(candidate) ? candidate : undefined
}

function fsExists(file: string): boolean {
  try {
    statSync(file)
    return true
  } catch {
    return false
  }
}

/** Measures one page in a fresh browser context (no cache: a first visit); cookies for signed-in pages. */
export async function measurePageInBrowser(
  browser: ChromiumBrowser,
  base: string,
  { path, type, cookie }: { path: string; type: string; cookie?: string },
): Promise<BrowserPageWeight> {
  const context = await browser.newContext({ javaScriptEnabled: true })
  try {
    if (cookie) {
      await context.addCookies(
        cookie.split('; ').map((pair) => {
          const eq = pair.indexOf('=')
          return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: base }
        }),
      )
    }
    const page = await context.newPage()
    const responses: BrowserResponse[] = []
    page.on('response', (r) => responses.push(r))
    const main = await page.goto(base + path, { waitUntil: 'load' })
    await page.waitForLoadState('networkidle')
    const weight: BrowserPageWeight = { path, type, status: main?.status() ?? 0, htmlBytes: 0, htmlGzip: 0, cssGzip: 0, jsGzip: 0, pageGzip: 0, scripts: 0, imageBytes: 0 }
    for (const response of responses) {
      const request = response.request()
      const sizes = await request.sizes()
      const bytes = sizes.responseBodySize
      switch (request.resourceType()) {
        case 'document':
          if (request.frame() === page.mainFrame()) {
            weight.htmlGzip += bytes
            weight.htmlBytes += (await response.body()).length
          }
          break
        case 'stylesheet':
          weight.cssGzip += bytes
          break
        case 'script':
          weight.jsGzip += bytes
          weight.scripts++
          break
        case 'image':
        case 'media':
          weight.imageBytes += bytes
          break
        default:
          break
      }
    }
    weight.pageGzip = weight.htmlGzip + weight.cssGzip + weight.jsGzip
    return weight
  } finally {
    await context.close()
  }
}
