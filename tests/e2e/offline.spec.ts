// Offline packs and SCORM in Chromium. The pack of the sample course is downloaded, unzipped and
// opened from file://: every link and every image of every page works, and the self-check
// questions answer. The SCORM package runs inside a host page whose window.API is scorm-again's
// SCORM 1.2 run-time: finishing a lesson is recorded as completed.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { unzipSync } from 'fflate'
import { parse } from 'yaml'
import { expectNoSeriousA11yViolations } from './axe'

const COURSE = 'lam-quen-ban-so'

function unzipTo(bytes: Buffer, dir: string) {
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(bytes)))) {
    const file = path.join(dir, name)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    if (!name.endsWith('/')) fs.writeFileSync(file, data)
  }
}

interface SelfCheck {
  id: string
  type: 'single' | 'multiple' | 'true-false'
  prompt: string
  options?: { text: string; correct?: boolean }[]
  answer?: boolean
}

test('the offline pack opens from file:// with every link and image working, and its self-check answers', async ({ page }) => {
  test.slow()
  await page.goto(`/courses/${COURSE}/offline`)
  await expectNoSeriousA11yViolations(page)
  await expect(page.getByTestId('pack-size')).toContainText(/Gói gồm 3 bài, dung lượng [\d,]+ (KB|MB)\./)
  const link = page.getByRole('link', { name: /^Tải gói ZIP/ })
  const expected = Number(await link.getAttribute('data-bytes'))
  const response = await page.request.get((await link.getAttribute('href'))!)
  const bytes = await response.body()
  expect(bytes.length).toBe(expected)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-pack-'))
  try {
    unzipTo(bytes, dir)
    const root = path.join(dir, COURSE)
    const start = pathToFileURL(path.join(root, 'index.html')).href
    // Walk every page reachable from the index by local links.
    const seen = new Set<string>()
    const queue = [start]
    let images = 0
    while (queue.length) {
      const url = queue.shift()!
      if (seen.has(url)) continue
      seen.add(url)
      await page.goto(url)
      const found = await page.evaluate(() => {
        for (const img of Array.from(document.images)) img.loading = 'eager'
        return {
          links: Array.from(document.querySelectorAll('a[href]')).map((a) => (a as HTMLAnchorElement).href),
          sources: Array.from(document.querySelectorAll('source[srcset]')).flatMap((s) => (s as HTMLSourceElement).srcset.split(',').map((p) => new URL(p.trim().split(' ')[0]!, location.href).href)),
          stylesheets: Array.from(document.styleSheets).map((s) => s.href).filter(Boolean),
        }
      })
      expect(found.stylesheets.length, `${url}: style.css`).toBe(1)
      await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete))
      const broken = await page.evaluate(() => Array.from(document.images).filter((img) => img.naturalWidth === 0).map((img) => img.src))
      expect(broken, `broken images on ${url}`).toEqual([])
      images += await page.evaluate(() => document.images.length)
      for (const source of found.sources) expect(fs.existsSync(new URL(source)), source).toBe(true)
      for (const href of found.links) {
        if (href.startsWith('file:')) {
          const target = new URL(href)
          const file = decodeURIComponent(target.pathname)
          expect(fs.existsSync(file), `${url} → ${href}`).toBe(true)
          if (file.endsWith('.html')) {
            target.hash = ''
            queue.push(target.href)
          }
        } else {
          expect(href, `${url}: a link out of the pack goes to the site or the licence`).toMatch(/^https?:\/\//)
        }
      }
    }
    expect(seen.size).toBe(5) // index, three lessons, licence
    expect(images).toBeGreaterThan(0)

    // Self-check: the practice questions grade in the page, right and wrong.
    const lesson = 'mat-khau-manh'
    const questions = parse(fs.readFileSync(`content/courses/${COURSE}/02-${lesson}/self-check.yaml`, 'utf8')) as SelfCheck[]
    await page.goto(pathToFileURL(path.join(root, `${lesson}.html`)).href)
    for (const q of questions) {
      const form = page.locator('form.self-check').filter({ hasText: q.prompt })
      const answer = async (right: boolean) => {
        if (q.type === 'true-false') await form.getByLabel((q.answer === true) === right ? 'Đúng' : 'Sai', { exact: true }).check()
        else for (const o of q.options!.filter((o) => Boolean(o.correct) === right).slice(0, q.type === 'single' ? 1 : undefined)) await form.getByLabel(o.text, { exact: true }).check()
        await form.getByRole('button', { name: 'Kiểm tra đáp án' }).click()
      }
      await answer(false)
      await expect(form.getByRole('status')).toContainText('Chưa đúng.')
      if (q.type === 'multiple') for (const box of await form.getByRole('checkbox').all()) await box.uncheck()
      await answer(true)
      await expect(form.getByRole('status')).toContainText('Đúng rồi!')
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

/** Serves the unzipped package and a host page (an LMS stand-in with scorm-again) on a made-up origin. */
async function hostScorm(page: Page, dir: string, sco: string) {
  const runtime = fs.readFileSync(path.resolve('node_modules/scorm-again/dist/scorm12.js'), 'utf8')
  const host = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>LMS</title><script src="/scorm12.js"></script>
<script>window.API = new Scorm12API({ autocommit: false, logLevel: 5 }); window.calls = [];
['LMSInitialize','LMSSetValue','LMSCommit','LMSFinish'].forEach(function (n) { var f = window.API[n].bind(window.API); window.API[n] = function () { window.calls.push([n].concat([].slice.call(arguments))); return f.apply(null, arguments); }; });</script>
</head><body><iframe id="sco" title="SCO" src="/pkg/${sco}" style="width:100%;height:90vh"></iframe></body></html>`
  await page.route('http://lms.test/**', async (route) => {
    const url = new URL(route.request().url())
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html; charset=utf-8', body: host })
    if (url.pathname === '/scorm12.js') return route.fulfill({ contentType: 'text/javascript', body: runtime })
    const file = path.join(dir, decodeURIComponent(url.pathname.replace(/^\/pkg\//, '')))
    if (!url.pathname.startsWith('/pkg/') || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' })
    const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : undefined
    return route.fulfill({ body: fs.readFileSync(file), contentType: type })
  })
  await page.goto('http://lms.test/')
  return page.frameLocator('#sco')
}

test('the SCORM 1.2 package reports completion to a SCORM 1.2 run-time (scorm-again)', async ({ page }) => {
  await page.goto(`/courses/${COURSE}/offline`)
  const href = await page.getByTestId('scorm-link').getAttribute('href')
  const bytes = await (await page.request.get(href!)).body()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-scorm-'))
  try {
    unzipTo(bytes, dir)
    const manifest = fs.readFileSync(path.join(dir, 'imsmanifest.xml'), 'utf8')
    const first = /adlcp:scormtype="sco" href="([^"]+)"/.exec(manifest)![1]!
    const sco = await hostScorm(page, dir, first)
    await expect(sco.getByRole('button', { name: 'Tôi đã học xong bài này' })).toBeVisible()
    await expect.poll(() => page.evaluate(() => (window as unknown as { API: { cmi: { core: { lesson_status: string } } } }).API.cmi.core.lesson_status)).toBe('incomplete')
    await sco.getByRole('button', { name: 'Tôi đã học xong bài này' }).click()
    await expect(sco.getByText('Đã ghi nhận: bạn đã học xong bài này.')).toBeVisible()
    const status = await page.evaluate(() => (window as unknown as { API: { cmi: { core: { lesson_status: string } } } }).API.cmi.core.lesson_status)
    expect(status).toBe('completed')
    const calls = await page.evaluate(() => (window as unknown as { calls: string[][] }).calls)
    expect(calls[0]).toEqual(['LMSInitialize', ''])
    expect(calls).toContainEqual(['LMSSetValue', 'cmi.core.lesson_status', 'completed'])
    expect(calls.findIndex((c) => c[0] === 'LMSCommit')).toBeGreaterThan(0)
    // Leaving the SCO ends the session with LMSFinish.
    await page.evaluate(() => (document.getElementById('sco') as HTMLIFrameElement).setAttribute('src', 'about:blank'))
    await expect.poll(() => page.evaluate(() => (window as unknown as { calls: string[][] }).calls.some((c) => c[0] === 'LMSFinish'))).toBe(true)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the service worker: a saved lesson reads with no signal, "done" marked offline is stored once when back online', async ({ page, context }) => {
  test.slow()
  await page.goto('/signup')
  await page.getByLabel('Họ và tên').fill('Lý Thị Sao')
  await page.getByLabel('Email hoặc số điện thoại di động').fill(`offline.${Date.now()}.${Math.floor(Math.random() * 1e6)}@banso.example`)
  await page.getByLabel('Mật khẩu (bắt buộc)', { exact: true }).fill('Thác Bạc Sa Pa mùa mưa')
  await page.getByLabel('Nhập lại mật khẩu').fill('Thác Bạc Sa Pa mùa mưa')
  await page.getByLabel('Người dân, nông dân').check()
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click()
  await expect(page).toHaveURL(/\/account$/)
  await page.goto(`/courses/${COURSE}`)
  await page.getByRole('button', { name: 'Đăng ký học khoá này' }).click()

  const lesson = `/courses/${COURSE}/go-tieng-viet`
  await page.goto(lesson)
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
  await page.getByRole('button', { name: 'Lưu khoá này để học khi không có mạng' }).click()
  await expect(page.locator('#offline-status')).toHaveText('Đã lưu 4 trang: bạn có thể đọc khoá này khi không có mạng.')
  // Reload once online so this page is controlled by the worker.
  await page.reload()
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)

  await context.setOffline(true)
  const offline = await page.reload()
  expect(offline?.headers()['x-banso-offline-copy']).toBe('1') // the saved copy, not the network
  await expect(page.getByRole('heading', { level: 1, name: 'Gõ tiếng Việt có dấu với Telex' })).toBeVisible()
  await expect(page.locator('#offline-status')).toHaveText('Bạn đang không có mạng. Trang này là bản đã lưu.')
  // Another saved page of the course reads offline too, with its stylesheet.
  await page.goto(`/courses/${COURSE}/mat-khau-manh`)
  await expect(page.getByRole('heading', { level: 1, name: 'Đặt mật khẩu mạnh' })).toBeVisible()
  expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0)
  await page.goto(lesson)

  await page.getByRole('button', { name: 'Đánh dấu đã học xong bài này' }).click()
  await expect(page.locator('#offline-status')).toHaveText('Đã ghi nhận “học xong” trên máy. Tiến độ sẽ được gửi khi có mạng trở lại.')
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('banso-offline-progress') ?? '[]') as { id: string; lesson: string }[])
  expect(queued).toHaveLength(1)
  expect(queued[0]!.lesson).toBe('go-tieng-viet')

  await context.setOffline(false)
  await expect(page.locator('#offline-status')).toHaveText('Đã gửi tiến độ học lúc không có mạng.')
  expect(await page.evaluate(() => localStorage.getItem('banso-offline-progress'))).toBe('[]')
  await page.reload()
  await expect(page.getByText('Bạn đã học xong bài này.')).toBeVisible()

  // The same mark sent again (a retried sync) changes nothing; the lesson is counted once.
  const again = await page.request.post('/api/offline-progress', { data: { ...queued[0], course: COURSE, doneAt: new Date().toISOString() }, headers: { Origin: new URL(page.url()).origin } })
  expect(await again.json()).toEqual({ ok: true, recorded: false })
  await page.goto('/learning')
  await expect(page.getByTestId('my-courses')).toContainText('Đã học 1/3 bài')
})
