// The Open edX export over HTTP, on the fixture course: the archive is read by the system's tar,
// EVERY .xml in it is parsed (saxes, strict), every url_name resolves to a file and every file is
// reached from course.xml, every /static/ file named by the HTML is in the archive, problems carry
// the right answers, the licence is there. Who may download: anyone (like SCORM: the public
// lessons and self-check practice questions); the graded bank (?bank=1) only an admin. Lesson pages
// still never send an answer. Bad input gets a 400 with a Vietnamese message.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setContentStore, startContent } from '~/modules/content/service.server'
import { tempContentDir, writePng } from '../setup/content-fixture'
import { writeLearningFixture } from '../setup/learning-fixture'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const dirs: string[] = []
let cacheDir = ''

const SELF_CHECK = `- id: so-do
  type: true-false
  prompt: Bài một có một sơ đồ màu xanh?
  answer: true
  explanation: GIAI-THICH-TU-KIEM-TRA sơ đồ là hình chữ nhật xanh.
- id: chon-hai
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

// More bank questions, so that every type the bank allows goes through the export.
const MORE_BANK = `- id: cau-nhieu
  type: multiple
  lesson: bai-mot
  prompt: Những gì giúp bảo vệ tài khoản?
  options:
    - text: Mật khẩu dài
      correct: true
    - text: Xác thực hai lớp
      correct: true
    - text: Chia sẻ mã OTP
  scoring: partial
  explanation: GIAI-THICH-NHIEU hai cách đầu.
- id: cau-cong-thuc
  type: short-text
  prompt: Công thức tính tổng các ô D2 đến D6?
  accept: ["=SUM(D2:D6)"]
  formula: true
  explanation: GIAI-THICH-CONG-THUC hàm SUM.
- id: cau-ghep
  type: matching
  prompt: Ghép phím Telex với dấu.
  pairs:
    - left: aa
      right: â
    - left: dd
      right: đ
  explanation: GIAI-THICH-GHEP gõ lặp chữ.
- id: cau-rut-so
  type: numeric-drawn
  prompt: Có {a} quả cam và {b} quả quýt. Tất cả bao nhiêu quả?
  variables:
    a: { min: 1, max: 5 }
    b: { min: 1, max: 5 }
  answer: a + b
  explanation: GIAI-THICH-RUT-SO cộng hai số.
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

const ROOT = 'khoa-thu-v1_0_0'
const BANK_MARKERS = ['Vì đó là đáp án đúng', 'GIAI-THICH-HAI', 'GIAI-THICH-BA', 'GIAI-THICH-BON', 'GIAI-THICH-NHIEU', 'GIAI-THICH-CONG-THUC', 'GIAI-THICH-GHEP']

beforeAll(async () => {
  server = await startTestServer({ demo: true })
  const contentDir = writeLearningFixture({
    'courses/khoa-thu/01-bai-mot/index.mdx': LESSON_ONE,
    'courses/khoa-thu/01-bai-mot/self-check.yaml': SELF_CHECK,
    'courses/khoa-thu/01-bai-mot/phieu.txt': 'Phiếu bài tập: ghi tên ba loại cây trồng.\n',
    'courses/khoa-thu/questions/them.yaml': MORE_BANK,
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

interface XmlElement {
  name: string
  attributes: Record<string, string>
  /** The text inside, all descendants' text joined. */
  text: string
  children: XmlElement[]
}

/** Parses one XML document strictly (an error throws); the root element, and the comments. */
function parseXml(xml: string, file: string): { root: XmlElement; comments: string[] } {
  const parser = new SaxesParser({ xmlns: false })
  const stack: XmlElement[] = []
  const comments: string[] = []
  let root: XmlElement | undefined
  parser.on('error', (error) => {
    throw new Error(`${file}: ${error.message}`)
  })
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] }
    stack.at(-1)?.children.push(element)
    stack.push(element)
    root ??= element
  })
  parser.on('text', (text) => {
    for (const e of stack) e.text += text
  })
  parser.on('comment', (text) => comments.push(text))
  parser.on('closetag', () => void stack.pop())
  parser.write(xml).close()
  if (!root) throw new Error(`${file}: no root element`)
  return { root, comments }
}

function walk(e: XmlElement, visit: (e: XmlElement) => void) {
  visit(e)
  for (const c of e.children) walk(c, visit)
}

interface Archive {
  dir: string
  files: string[]
  read: (name: string) => string
  xml: Map<string, { root: XmlElement; comments: string[] }>
}

async function download(browser: Browser, url: string): Promise<{ response: Response; archive: Archive }> {
  const response = await browser.get(url)
  expect(response.status, url).toBe(200)
  const bytes = new Uint8Array(await response.arrayBuffer())
  expect(bytes.length).toBe(Number(response.headers.get('content-length')))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-olx-'))
  dirs.push(dir)
  fs.writeFileSync(path.join(dir, 'course.tar.gz'), bytes)
  const out = path.join(dir, 'out')
  fs.mkdirSync(out)
  // The system's tar, not the app's code, reads the archive.
  const files = execFileSync('tar', ['-tzf', path.join(dir, 'course.tar.gz')], { encoding: 'utf8' }).trim().split('\n').sort()
  execFileSync('tar', ['-xzf', path.join(dir, 'course.tar.gz'), '-C', out])
  const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8')
  const xml = new Map<string, { root: XmlElement; comments: string[] }>()
  for (const f of files.filter((n) => n.endsWith('.xml'))) xml.set(f, parseXml(read(f), f))
  return { response, archive: { dir: out, files, read, xml } }
}

/**
 * The OLX tree from course.xml: every url_name names a file of its kind, every html component its
 * .html file; returns the files reached. Fails on a reference that does not resolve.
 */
function resolveTree(a: Archive): Set<string> {
  const reached = new Set<string>()
  const pointer = a.xml.get(`${ROOT}/course.xml`)!.root
  expect(pointer.name).toBe('course')
  expect(pointer.attributes.org).toBe('BanSo')
  expect(pointer.attributes.course).toBe('khoa-thu')
  const visit = (kind: string, urlName: string) => {
    const file = `${ROOT}/${kind}/${urlName}.xml`
    expect(a.files, `${kind} url_name="${urlName}"`).toContain(file)
    reached.add(file)
    const { root } = a.xml.get(file)!
    expect(root.name).toBe(kind)
    if (kind === 'html') {
      const html = `${ROOT}/html/${root.attributes.filename}.html`
      expect(a.files, html).toContain(html)
      reached.add(html)
    }
    for (const child of root.children) if (child.attributes.url_name) visit(child.name, child.attributes.url_name)
  }
  reached.add(`${ROOT}/course.xml`)
  visit('course', pointer.attributes.url_name!)
  return reached
}

function staticRefs(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/static\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!))
}

describe('the Open edX export', () => {
  it('is an OLX course whose every XML file parses, every reference resolves and every component is reached', async () => {
    const { response, archive } = await download(new Browser(server.base), '/courses/khoa-thu/olx.tar.gz')
    expect(response.headers.get('content-type')).toBe('application/gzip')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="khoa-thu-olx.tar.gz"')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    // One folder, course.xml in it (what Studio's import expects).
    expect(archive.files.every((f) => f.startsWith(`${ROOT}/`))).toBe(true)
    expect(archive.xml.size).toBeGreaterThan(10)
    const reached = resolveTree(archive)
    // No component left over that the tree does not reach.
    const components = archive.files.filter((f) => /\/(chapter|sequential|vertical|html|problem)\//.test(f))
    expect(components.filter((f) => !reached.has(f))).toEqual([])

    const run = archive.xml.get(`${ROOT}/course/v1_0_0.xml`)!.root
    expect(run.attributes.display_name).toBe('Khoá thử nghiệm')
    expect(run.attributes.language).toBe('vi')
    expect(run.attributes.license).toBe('creative-commons: ver=4.0 BY')
    expect(run.children.map((c) => c.attributes.url_name)).toEqual(['bai-mot', 'bai-hai', 'giay-phep'])
    expect(archive.xml.get(`${ROOT}/chapter/bai-mot.xml`)!.root.attributes.display_name).toBe('Bài 1. Bài một')
    const policy = JSON.parse(archive.read(`${ROOT}/policies/v1_0_0/policy.json`))
    expect(policy['course/v1_0_0']).toMatchObject({ display_name: 'Khoá thử nghiệm', license: 'creative-commons: ver=4.0 BY' })
    expect(JSON.parse(archive.read(`${ROOT}/policies/v1_0_0/grading_policy.json`)).GRADE_CUTOFFS).toEqual({ Pass: 0.7 })
  })

  it('holds the lesson HTML with its pictures and files as static assets, links to the site, and the licence', async () => {
    const { archive } = await download(new Browser(server.base), '/courses/khoa-thu/olx.tar.gz')
    const one = archive.read(`${ROOT}/html/bai-mot.html`)
    expect(one).toContain('Nội dung bài một')
    const refs = staticRefs(one)
    expect(refs.some((r) => r.endsWith('so-do.svg'))).toBe(true)
    expect(refs.some((r) => /ruong-\d+\.png$/.test(r))).toBe(true)
    expect(refs.some((r) => r.endsWith('phieu.txt'))).toBe(true)
    // Every static file the HTML names is in static/, and static/ holds nothing else.
    const statics = archive.files.filter((f) => f.startsWith(`${ROOT}/static/`)).map((f) => f.slice(`${ROOT}/static/`.length))
    const allRefs = archive.files.filter((f) => f.endsWith('.html')).flatMap((f) => staticRefs(archive.read(f)))
    for (const ref of allRefs) expect(statics, ref).toContain(ref)
    expect([...new Set(allRefs)].sort()).toEqual(statics.sort())
    expect(fs.readFileSync(path.join(archive.dir, ROOT, 'static', refs.find((r) => r.endsWith('.png'))!)).subarray(1, 4).toString()).toBe('PNG')
    // Studio rewrites "/static/…" in src and href, not srcset entries: no srcset, no site-root media.
    expect(one).not.toMatch(/srcset|<source|\/media\//i)
    expect(one).toContain(`href="${server.base}/courses/khoa-thu/bai-hai"`)
    expect(one).toContain(`href="${server.base}/courses"`)
    expect(one).toContain('href="#phan-dau"')
    expect(one).toContain(`“Bài một” trong khoá “Khoá thử nghiệm” (1.0.0), Nhóm kiểm thử, Bản Số — ${server.base}/courses/khoa-thu/bai-mot`)
    const licence = archive.read(`${ROOT}/html/giay-phep.html`)
    expect(licence).toContain('https://creativecommons.org/licenses/by/4.0/deed.vi')
    expect(licence).toContain('CC BY 4.0')
    expect(archive.read(`${ROOT}/about/overview.html`)).toContain('Khoá học nhỏ dùng trong kiểm thử tự động.')
  })

  it('turns the self-check questions into problems with their answers, and leaves the graded bank out', async () => {
    const { archive } = await download(new Browser(server.base), '/courses/khoa-thu/olx.tar.gz')
    const unit = archive.xml.get(`${ROOT}/vertical/bai-mot-tu-kiem-tra.xml`)!.root
    expect(unit.attributes.display_name).toBe('Tự kiểm tra')
    expect(unit.children.map((c) => c.attributes.url_name)).toEqual(['tu-kiem-tra-so-do', 'tu-kiem-tra-chon-hai'])
    const trueFalse = archive.xml.get(`${ROOT}/problem/tu-kiem-tra-so-do.xml`)!.root
    const mc = trueFalse.children.find((c) => c.name === 'multiplechoiceresponse')!
    const choices: XmlElement[] = []
    walk(mc, (e) => e.name === 'choice' && choices.push(e))
    expect(choices.map((c) => [c.text, c.attributes.correct])).toEqual([['Đúng', 'true'], ['Sai', 'false']])
    expect(mc.text).toContain('GIAI-THICH-TU-KIEM-TRA')
    const multiple = archive.xml.get(`${ROOT}/problem/tu-kiem-tra-chon-hai.xml`)!.root
    const boxes: XmlElement[] = []
    walk(multiple, (e) => e.name === 'choice' && boxes.push(e))
    expect(multiple.children[0]!.name).toBe('choiceresponse')
    expect(boxes.map((c) => [c.text, c.attributes.correct])).toEqual([['A', 'true'], ['B', 'true'], ['Z', 'false']])
    // Nothing of the bank: no bank section, none of its questions or explanations anywhere.
    expect(archive.files.some((f) => f.includes('ngan-hang'))).toBe(false)
    const everything = archive.files.filter((f) => /\.(xml|html|json)$/.test(f)).map(archive.read).join('\n')
    for (const marker of [...BANK_MARKERS, 'Câu hỏi thử?']) expect(everything, marker).not.toContain(marker)
  })

  it('adds the graded bank as problems for an admin only; numeric-drawn is left out with a comment', async () => {
    const anonymous = await new Browser(server.base).get('/courses/khoa-thu/olx.tar.gz?bank=1')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toContain('/login')
    const learner = new Browser(server.base)
    await learner.signIn('hocvien@banso.example', 'HocVien@2026')
    const refused = await learner.get('/courses/khoa-thu/olx.tar.gz?bank=1')
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('Chỉ quản trị viên mới tải được ngân hàng câu hỏi kèm đáp án')
    const manager = new Browser(server.base)
    await manager.signIn('quanly@banso.example', 'QuanLy@2026')
    expect((await manager.get('/courses/khoa-thu/olx.tar.gz?bank=1')).status).toBe(403)

    const admin = new Browser(server.base)
    await admin.signIn('quantri@banso.example', 'QuanTri@2026')
    const { response, archive } = await download(admin, '/courses/khoa-thu/olx.tar.gz?bank=1')
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="khoa-thu-ngan-hang-olx.tar.gz"')
    const reached = resolveTree(archive)
    expect(archive.files.filter((f) => /\/(chapter|sequential|vertical|html|problem)\//.test(f) && !reached.has(f))).toEqual([])
    const run = archive.xml.get(`${ROOT}/course/v1_0_0.xml`)!.root
    expect(run.children.map((c) => c.attributes.url_name)).toEqual(['bai-mot', 'bai-hai', 'ngan-hang-cau-hoi', 'giay-phep'])
    const problem = (id: string) => archive.xml.get(`${ROOT}/problem/ngan-hang-${id}.xml`)!.root
    const choicesOf = (e: XmlElement) => {
      const out: [string, string][] = []
      walk(e, (c) => (c.name === 'choice' || c.name === 'option') && out.push([c.text, c.attributes.correct!]))
      return out
    }
    // single (cau-mot: option b is right), true-false, numeric, short-text without accents.
    expect(problem('cau-mot').children[0]!.name).toBe('multiplechoiceresponse')
    expect(choicesOf(problem('cau-mot')).filter(([, c]) => c === 'true')).toHaveLength(1)
    expect(problem('cau-mot').text).toContain('Vì đó là đáp án đúng')
    expect(choicesOf(problem('cau-hai'))).toEqual([['Đúng', 'true'], ['Sai', 'false']])
    const numeric = problem('cau-ba').children[0]!
    expect(numeric.name).toBe('numericalresponse')
    expect(numeric.attributes.answer).toBe('1024')
    expect(numeric.children.find((c) => c.name === 'responseparam')!.attributes).toMatchObject({ type: 'tolerance', default: '0' })
    expect(numeric.text).toContain('Đơn vị: MB')
    const text = problem('cau-bon').children[0]!
    expect(text.name).toBe('stringresponse')
    expect([text.attributes.answer, ...text.children.filter((c) => c.name === 'additional_answer').map((c) => c.attributes.answer)]).toEqual(['mật khẩu', 'mat khau'])
    expect(text.attributes.type).toBe('ci')
    // multiple with partial credit, a formula as a regular expression, matching as dropdowns.
    expect(problem('cau-nhieu').children[0]!.attributes.partial_credit).toBe('EDC')
    expect(choicesOf(problem('cau-nhieu'))).toEqual([['Mật khẩu dài', 'true'], ['Xác thực hai lớp', 'true'], ['Chia sẻ mã OTP', 'false']])
    const formula = problem('cau-cong-thuc').children[0]!
    expect(formula.attributes.type).toBe('ci regexp')
    const regex = new RegExp(`^(?:${formula.attributes.answer})$`, 'i')
    for (const typed of ['=SUM(D2:D6)', 'sum(d2:d6)', '= SUM( D2 : D6 )']) expect(typed).toMatch(regex)
    for (const typed of ['=SUM(D2:D7)', '=AVERAGE(D2:D6)']) expect(typed).not.toMatch(regex)
    const dropdowns = problem('cau-ghep').children.filter((c) => c.name === 'optionresponse')
    expect(dropdowns.map((d) => [d.children[0]!.text, choicesOf(d).find(([, c]) => c === 'True')![0]])).toEqual([['aa', 'â'], ['dd', 'đ']])
    // numeric-drawn: no problem file, a comment in its unit that says why.
    expect(archive.files.some((f) => f.includes('cau-rut-so'))).toBe(false)
    const general = archive.xml.get(`${ROOT}/vertical/ngan-hang-chung.xml`)!
    expect(general.comments.join(' ')).toContain('cau-rut-so (numeric-drawn): không đưa vào vì Open edX không có dạng câu hỏi rút số')
    // Bank questions sit in the unit of their lesson.
    expect(archive.xml.get(`${ROOT}/vertical/ngan-hang-bai-hai.xml`)!.root.children.map((c) => c.attributes.url_name)).toContain('ngan-hang-cau-mot')
    expect(archive.xml.get(`${ROOT}/vertical/ngan-hang-bai-mot.xml`)!.root.children.map((c) => c.attributes.url_name)).toEqual(['ngan-hang-cau-nhieu'])
  })

  it('never sends an answer on the lesson pages themselves', async () => {
    const admin = new Browser(server.base)
    await admin.signIn('quantri@banso.example', 'QuanTri@2026')
    for (const browser of [new Browser(server.base), admin]) {
      for (const lesson of ['bai-mot', 'bai-hai']) {
        const page = await (await browser.get(`/courses/khoa-thu/${lesson}`)).text()
        for (const marker of [...BANK_MARKERS, 'GIAI-THICH-TU-KIEM-TRA']) expect(page, `${lesson}: ${marker}`).not.toContain(marker)
      }
    }
    expect(await (await new Browser(server.base).get('/courses/khoa-thu/bai-hai')).text()).toContain('Câu hỏi thử?')
  })

  it('can hold chosen lessons; bad or unknown lessons and a bad bank value get a 400 in Vietnamese', async () => {
    const browser = new Browser(server.base)
    const { response, archive } = await download(browser, '/courses/khoa-thu/olx.tar.gz?lessons=bai-hai')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="khoa-thu-1-bai-olx.tar.gz"')
    resolveTree(archive)
    expect(archive.xml.get(`${ROOT}/course/v1_0_0.xml`)!.root.children.map((c) => c.attributes.url_name)).toEqual(['bai-hai', 'giay-phep'])
    expect(archive.files.some((f) => f.includes('bai-mot'))).toBe(false)
    expect(archive.files.some((f) => f.startsWith(`${ROOT}/static/`))).toBe(false)
    const both = await download(browser, '/courses/khoa-thu/olx.tar.gz?lessons=bai-hai,bai-mot')
    expect(both.archive.xml.get(`${ROOT}/course/v1_0_0.xml`)!.root.children.map((c) => c.attributes.url_name)).toEqual(['bai-mot', 'bai-hai', 'giay-phep'])

    const bad = async (query: string, message: string) => {
      const r = await browser.get(`/courses/khoa-thu/olx.tar.gz?${query}`)
      expect(r.status, query).toBe(400)
      expect(textOf(await r.text()), query).toContain(message)
    }
    await bad('lessons=khong-co', 'Không có bài học "khong-co" trong khoá "khoa-thu".')
    await bad('lessons=B%C3%A0i%20M%E1%BB%99t', 'Danh sách bài học (lessons) không hợp lệ')
    await bad('lessons=bai-mot,../etc', 'Danh sách bài học (lessons) không hợp lệ')
    await bad(`lessons=${'a'.repeat(121)}`, 'Danh sách bài học (lessons) không hợp lệ')
    await bad(`lessons=${Array.from({ length: 201 }, (_, i) => `bai-${i}`).join(',')}`, 'Danh sách bài học (lessons) không hợp lệ')
    await bad('bank=yes', 'Tham số bank chỉ nhận giá trị 1')
    await bad('bank=1&bank=0', 'Tham số bank chỉ nhận giá trị 1')
    expect((await browser.get('/courses/khong-co/olx.tar.gz')).status).toBe(404)
  })

  it('is offered on the offline page for the chosen lessons, with the size of the file', async () => {
    const browser = new Browser(server.base)
    const page = await (await browser.get('/courses/khoa-thu/offline?lessons=bai-hai&show=1')).text()
    expect(textOf(page)).toContain('Khoá học cho Open edX (OLX)')
    const link = /href="(\/courses\/khoa-thu\/olx\.tar\.gz[^"]*)"[^>]*data-bytes="(\d+)"/.exec(page)!
    expect(link[1]).toBe('/courses/khoa-thu/olx.tar.gz?lessons=bai-hai')
    const { response } = await download(browser, link[1]!)
    expect(response.headers.get('content-length')).toBe(link[2])
  })

  it('is built once and then served from the disk cache', async () => {
    const packs = path.join(cacheDir, 'packs')
    const olx = () => fs.readdirSync(packs).filter((f) => f.includes('-olx-')).map((f) => [f, fs.statSync(path.join(packs, f)).mtimeMs] as const)
    const before = olx()
    expect(before.length).toBeGreaterThan(0)
    await download(new Browser(server.base), '/courses/khoa-thu/olx.tar.gz')
    expect(olx()).toEqual(before)
  })
})
