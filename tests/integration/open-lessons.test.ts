// Open lessons: readable without signing in, with the licence and a ready-to-copy attribution line;
// the MDX source as UTF-8 text; the classroom view, one section per screen with plain links.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore } from '~/modules/content/service.server'
import { startLearningContent } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
let contentDir = ''
const dirs: string[] = []

export const THREE_SECTIONS = `---
title: Bài ba có ba phần
summary: Bài học có phần mở đầu và ba mục để thử chế độ trình chiếu.
minutes: 8
standards: [IU01]
---

Mở đầu của bài ba: hôm nay học về Lào Cai.

## Phần một

Nội dung phần một, có **chữ đậm**.

## Phần hai

Nội dung phần hai.

## Phần ba

Nội dung phần ba, cuối bài.
`

beforeAll(async () => {
  server = await startTestServer({ demo: false })
  const started = await startLearningContent(server.t.db.prisma, { 'courses/khoa-thu/03-bai-ba/index.mdx': THREE_SECTIONS })
  contentDir = started.contentDir
  dirs.push(started.contentDir, started.cacheDir)
})

afterAll(async () => {
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('open lessons', () => {
  it('are readable without signing in, with the licence and an attribution line to copy', async () => {
    const response = await new Browser(server.base).get('/courses/khoa-thu/bai-ba')
    expect(response.status).toBe(200)
    const html = await response.text()
    // Without APP_ORIGIN the cached anonymous page never carries a host taken from the request (issue 14 point 4).
    const line = /<textarea[^>]*data-testid="attribution"[^>]*>([^<]*)<\/textarea>/.exec(html)![1]!
    expect(textOf(line)).toBe(
      `“Bài ba có ba phần” trong khoá “Khoá thử nghiệm” (1.0.0), Nhóm kiểm thử, Bản Số — /courses/khoa-thu/bai-ba — giấy phép CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.vi)`,
    )
    expect(html).toContain('href="/courses/khoa-thu/bai-ba/source"')
    expect(html).toContain('href="/courses/khoa-thu/bai-ba/classroom"')
    expect(html).toContain('rel="license noopener noreferrer"')
  })

  it('show their MDX source as UTF-8 text', async () => {
    const response = await new Browser(server.base).get('/courses/khoa-thu/bai-ba/source')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe(fs.readFileSync(path.join(contentDir, 'courses/khoa-thu/03-bai-ba/index.mdx'), 'utf8'))
    expect((await new Browser(server.base).get('/courses/khoa-thu/khong-co/source')).status).toBe(404)
    expect((await new Browser(server.base).get('/courses/khong-co/bai-ba/source')).status).toBe(404)
  })
})

describe('the classroom view', () => {
  const section = (html: string) => textOf(/data-testid="classroom-section"[^>]*>([\s\S]*?)<\/div><nav/.exec(html)![1]!).trim()

  it('shows one section per screen, with plain links forward and back', async () => {
    const browser = new Browser(server.base)
    const parts: string[] = []
    for (let s = 1; s <= 4; s++) {
      const response = await browser.get(`/courses/khoa-thu/bai-ba/classroom?s=${s}`)
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(textOf(html)).toContain(`Phần ${s}/4`)
      parts.push(section(html))
      expect(html.includes('rel="prev"')).toBe(s > 1)
      // The last part of the last lesson leads nowhere further.
      expect(html.includes('rel="next"')).toBe(s < 4)
      // Only the key-handling script, with this response's CSP nonce; no Remix scripts.
      const scripts = html.match(/<script[^>]*>/g) ?? []
      expect(scripts).toHaveLength(1)
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!)![1]
      expect(scripts[0]).toContain(`nonce="${nonce}"`)
    }
    expect(parts[0]).toBe('Mở đầu của bài ba: hôm nay học về Lào Cai.')
    expect(parts[1]).toBe('Phần một Nội dung phần một, có chữ đậm .')
    expect(parts[3]).toBe('Phần ba Nội dung phần ba, cuối bài.')
    expect(parts[2]).toBe('Phần hai Nội dung phần hai.')
  })

  it('keeps s in range, and links the last part of a lesson to the next lesson', async () => {
    const browser = new Browser(server.base)
    expect(textOf(await (await browser.get('/courses/khoa-thu/bai-ba/classroom?s=99')).text())).toContain('Phần 4/4')
    expect(textOf(await (await browser.get('/courses/khoa-thu/bai-ba/classroom?s=abc')).text())).toContain('Phần 1/4')
    const lastOfFirst = await (await browser.get('/courses/khoa-thu/bai-mot/classroom?s=1')).text()
    expect(lastOfFirst).toMatch(/<a[^>]+href="\/courses\/khoa-thu\/bai-hai\/classroom"[^>]*rel="next"|<a[^>]+rel="next"[^>]+href="\/courses\/khoa-thu\/bai-hai\/classroom"/)
    expect((await browser.get('/courses/khoa-thu/khong-co/classroom')).status).toBe(404)
  })
})
