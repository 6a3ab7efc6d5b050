// The course pages as the production build serves them: the real sample content plus the test
// fixture course (to see filters exclude something), compiled into a fresh cache. After warm-up no
// request compiles; lesson pages ship no script and no inline style, reveal a check-yourself answer
// only after a POST, and stay within the page-weight budget.
import fs from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileCount } from '~/modules/content/compile.server'
import { prepareContent, setContentStore, type ContentStore } from '~/modules/content/service.server'
import { BUDGET, measurePage, overBudget } from '../../bench/page-weight-lib'
import { FIXTURE_FILES, tempContentDir } from '../setup/content-fixture'
import { listenProductionApp } from '../setup/test-server'

let server: Server
let base = ''
let store: ContentStore
let coldCompiles = 0
let compilesAfterWarmUp = 0
const dirs: string[] = []

beforeAll(async () => {
  const contentDir = tempContentDir()
  const cacheDir = tempContentDir()
  dirs.push(contentDir, cacheDir)
  fs.cpSync('content', contentDir, { recursive: true })
  for (const [rel, text] of Object.entries(FIXTURE_FILES)) {
    if (rel === 'topics.yaml') continue
    fs.mkdirSync(path.dirname(path.join(contentDir, rel)), { recursive: true })
    fs.writeFileSync(path.join(contentDir, rel), text)
  }
  fs.appendFileSync(path.join(contentDir, 'topics.yaml'), FIXTURE_FILES['topics.yaml']!)
  process.env.CONTENT_CACHE_DIR = cacheDir // read by the /media static route
  const prepared = await prepareContent({ contentDir, cacheDir, mediaDir: path.join(cacheDir, 'media') })
  coldCompiles = prepared.stats.compiles
  store = prepared.store
  setContentStore(store)
  compilesAfterWarmUp = compileCount()
  const listening = await listenProductionApp()
  server = listening.server
  base = listening.base
})

afterAll(() => {
  server?.close()
  setContentStore(undefined)
  delete process.env.CONTENT_CACHE_DIR
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const LESSON = '/courses/lam-quen-ban-so/mat-khau-manh'
const get = async (p: string) => {
  const response = await fetch(base + p)
  return { status: response.status, html: await response.text(), headers: response.headers }
}
const post = (p: string, fields: [string, string][], origin = base) =>
  fetch(base + p, { method: 'POST', body: new URLSearchParams(fields), headers: { Origin: origin }, redirect: 'manual' })

function expectLightPage(html: string) {
  expect(html).not.toContain('\0') // React 18's streaming bug (see entry.server.tsx)
  expect(html).not.toMatch(/<script/)
  expect(html).not.toMatch(/\sstyle="/) // the CSP forbids inline styles
}

describe('the catalogue', () => {
  it('lists the courses, filters by audience and topic, and searches without accents', async () => {
    const all = await get('/courses')
    expect(all.status).toBe(200)
    expectLightPage(all.html)
    expect(all.html).toContain('Làm quen với Bản Số')
    expect(all.html).toContain('Khoá thử nghiệm')

    const teachers = await get('/courses?audience=teachers')
    expect(teachers.html).toContain('Làm quen với Bản Số')
    expect(teachers.html).not.toContain('Khoá thử nghiệm') // for civil servants only

    const topic = await get('/courses?topic=thu-nghiem')
    expect(topic.html).toContain('Khoá thử nghiệm')
    expect(topic.html).not.toContain('Làm quen với Bản Số')

    const search = await get('/courses?q=dich+vu+cong')
    const hits = /data-testid="search-hits">([\s\S]*?)<\/ul>/.exec(search.html)?.[1] ?? ''
    expect(hits).toContain('Gõ tiếng Việt có dấu với Telex') // "hồ sơ dịch vụ công" in its text
    expect(hits).toContain('Khoá thử nghiệm') // "dịch vụ công" in its introduction
    expect(hits).not.toContain('Đặt mật khẩu mạnh')

    const nothing = await get('/courses?q=xyzxyz')
    expect(nothing.html).toContain('Không tìm thấy bài học hay khoá học nào có “xyzxyz”')
    expect((await get('/courses?audience=nobody&topic=../../x')).status).toBe(200) // bad filters are ignored
  })
})

describe('the course page', () => {
  it('shows the summary, syllabus with minutes, standard codes, licence, authors and version', async () => {
    const { status, html } = await get('/courses/lam-quen-ban-so')
    expect(status).toBe(200)
    expectLightPage(html)
    const course = store.courses.find((c) => c.detail.slug === 'lam-quen-ban-so')!.detail
    for (const lesson of course.lessons) {
      expect(html).toContain(`href="/courses/lam-quen-ban-so/${lesson.slug}"`)
      expect(html).toContain(`(${lesson.minutes} phút)`)
    }
    expect(html).toContain('IU01, IU02, IU06')
    expect(html).toContain('CC BY 4.0')
    expect(html).toContain('Nhóm biên soạn Bản Số')
    expect(html).toContain('1.0.0')
  })

  it('an unknown course is the Vietnamese 404 page', async () => {
    const { status, html } = await get('/courses/khong-co-khoa-nay')
    expect(status).toBe(404)
    expect(html).toContain('Không tìm thấy trang')
  })
})

describe('the lesson page', () => {
  it('lists a lesson’s sub-sections under their section, numbering only the sections', async () => {
    const { status, html } = await get('/courses/dich-vu-cong-truc-tuyen/thanh-toan-theo-doi-nhan-ket-qua')
    expect(status).toBe(200)
    const toc = html.slice(html.indexOf('class="toc"'), html.indexOf('</nav>', html.indexOf('class="toc"')))
    // "Khi được yêu cầu bổ sung" (###) is inside the item of "Theo dõi hồ sơ" (##), not an item of its own.
    expect(toc).toMatch(/<li><a href="#theo-doi-ho-so">Theo dõi hồ sơ<\/a><ul class="toc-sub"><li><a href="#khi-duoc-yeu-cau-bo-sung">Khi được yêu cầu bổ sung<\/a><\/li><\/ul><\/li><li><a href="#nhan-ket-qua">/)
  })

  it('renders the lesson with its table of contents, pictures, download, neighbours and licence', async () => {
    const { status, html } = await get(LESSON)
    expect(status).toBe(200)
    expectLightPage(html)
    expect(html).toContain('<h1>Đặt mật khẩu mạnh</h1>')
    expect(html).toContain('class="toc"')
    expect(html).toContain('href="#xac-thuc-hai-lop"')
    expect(html).toMatch(/<h2 id="xac-thuc-hai-lop"><a href="#xac-thuc-hai-lop" class="heading-link">Xác thực hai lớp<\/a><\/h2>/)
    expect(html).toMatch(/<source type="image\/webp" srcSet="\/media\/[0-9a-f]{16}\/do-manh-mat-khau-480\.webp 480w, [^"]+960w, [^"]+1440w"/)
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{16}\/do-manh-mat-khau-1440\.png" alt="[^"]+" width="1440" height="\d+" loading="lazy"/)
    expect(html).toMatch(/href="\/media\/[0-9a-f]{16}\/phieu-bai-tap-mat-khau\.txt" download="phieu-bai-tap-mat-khau.txt"/)
    expect(html).toMatch(/\(2 KB, tệp TXT\)/)
    expect(html).toContain('rel="prev"')
    expect(html).toContain('rel="next"')
    expect(html).toContain('Phát hành theo giấy phép')
  })

  it('serves the lesson images and files from hashed, long-cached URLs', async () => {
    const { html } = await get(LESSON)
    const url = /srcSet="(\/media\/[^ ]+\.webp)/.exec(html)![1]!
    const response = await fetch(base + url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/webp')
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`${base}/media/0000000000000000/khong-co.webp`)).status).toBe(404)
  })

  it('reveals a check-yourself answer only after the learner posts one', async () => {
    const explanation = 'Mật khẩu mạnh dài, có chữ hoa'
    const before = await get(LESSON)
    expect(before.html).not.toContain(explanation)
    expect(before.html).not.toContain('Chính xác!')
    expect(await (await fetch(`${base}${LESSON}.data`)).text()).not.toContain(explanation) // nor in the route's data

    const right = await post(LESSON, [['question', 'mat-khau-manh-nhat'], ['answer', 'd']])
    expect(right.status).toBe(200)
    const rightHtml = await right.text()
    expectLightPage(rightHtml)
    expect(rightHtml).toContain('Chính xác!')
    expect(rightHtml).toContain(explanation)
    expect(rightHtml).toMatch(/<input type="radio" name="answer" checked="" value="d"\/>/) // the learner's choice stays selected

    const wrong = await (await post(LESSON, [['question', 'mat-khau-manh-nhat'], ['answer', 'a']])).text()
    expect(wrong).toContain('Chưa đúng.')
    expect(wrong).toContain('Ngựa-Đỏ-Leo-Dốc-47</strong>')
  })

  it('answers a bad check-yourself post with 400 and a Vietnamese message, never a 500', async () => {
    const empty = await post(LESSON, [['question', 'mat-khau-manh-nhat']])
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Hãy chọn một đáp án.')
    const unknownOption = await post(LESSON, [['question', 'mat-khau-manh-nhat'], ['answer', 'z']])
    expect(unknownOption.status).toBe(400)
    const otherLesson = await post(LESSON, [['question', 'telex-go-tu'], ['answer', 'đường']])
    expect(otherLesson.status).toBe(400)
    expect(await otherLesson.text()).toContain('Câu hỏi này không có trong bài học.')
    const notANumber = await post(LESSON, [['question', 'vneid-do-dai-toi-thieu'], ['answer', 'tám']])
    expect(notANumber.status).toBe(400)
    expect(await notANumber.text()).toContain('Câu trả lời phải là một số')
  })

  it('refuses a check-yourself post from another site', async () => {
    const response = await post(LESSON, [['question', 'mat-khau-manh-nhat'], ['answer', 'd']], 'https://evil.example')
    expect(response.status).toBe(403)
  })

  it('an unknown lesson is the Vietnamese 404 page', async () => {
    const { status, html } = await get('/courses/lam-quen-ban-so/khong-co-bai-nay')
    expect(status).toBe(404)
    expect(html).toContain('Không tìm thấy trang')
  })
})

describe('after warm-up', () => {
  it('compiled every MDX file once, cold, and no request compiled anything', async () => {
    expect(coldCompiles).toBe(store.courses.reduce((n, c) => n + 1 + c.lessons.length, 0))
    for (const course of store.courses) {
      await get(`/courses/${course.detail.slug}`)
      for (const lesson of course.lessons) await get(`/courses/${course.detail.slug}/${lesson.slug}`)
    }
    expect(compileCount()).toBe(compilesAfterWarmUp)
  })
})

describe('page-weight budget', () => {
  it(`every lesson page: HTML ≤ ${BUDGET.htmlGzip} B and HTML+CSS+JS ≤ ${BUDGET.pageGzip} B compressed, no script`, async () => {
    const lessons = store.courses.flatMap((c) => c.lessons.map((l) => `/courses/${c.detail.slug}/${l.slug}`))
    expect(lessons.length).toBeGreaterThanOrEqual(5)
    for (const page of lessons) {
      const weight = await measurePage(base, page)
      expect(weight.status, page).toBe(200)
      expect(weight.htmlGzip, page).toBeGreaterThan(1000) // really compressed HTML, not an empty answer
      expect(weight.cssGzip, page).toBeGreaterThan(0)
      expect(weight.scripts, page).toBe(0)
      expect(overBudget(weight)).toEqual([])
    }
  })

  it('fails a page that breaks the budget', () => {
    const heavy = { path: '/x', status: 200, htmlBytes: 90_000, htmlGzip: 15_000, cssGzip: 16_000, jsGzip: 0, pageGzip: 31_000, scripts: 0 }
    expect(overBudget(heavy)).toHaveLength(2)
  })
})
