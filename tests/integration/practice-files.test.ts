// The practice files of "Tin học cơ bản" (.docx, .xlsx, .pptx) and the farm ledger of "Nông nghiệp số"
// (.xlsx): the committed files are exactly what
// content/sources/practice-files.ts generates (run as a separate process, into a temp folder), they
// are read back from their XML parts (JSZip, not the libraries that wrote them) with the Vietnamese
// text intact, and each lesson offers its file with <Download>.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COURSE_DIR, FIXED_DATE, PRACTICE_FILES } from '../../content/sources/practice-files'

const run = promisify(execFile)
type Kind = keyof typeof PRACTICE_FILES
const KINDS = Object.keys(PRACTICE_FILES) as Kind[]
const committed = (kind: Kind) => path.resolve(COURSE_DIR, PRACTICE_FILES[kind])

let tmp = ''
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-practice-'))
  // A fresh process, as `npm run content:practice-files` runs it, in another time zone for good measure.
  await run(path.resolve('node_modules/.bin/tsx'), ['content/sources/practice-files.ts', tmp], {
    env: { ...process.env, TZ: 'Pacific/Kiritimati' },
  })
})
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function xmlParts(kind: Kind): Promise<{ zip: JSZip; read: (name: string) => Promise<string> }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(committed(kind)))
  return {
    zip,
    read: async (name: string) => {
      const file = zip.file(name)
      if (!file) throw new Error(`${PRACTICE_FILES[kind]}: không có phần ${name}`)
      return file.async('string')
    },
  }
}

describe('practice files are reproducible', () => {
  it.each(KINDS)('the committed .%s is byte-identical to a fresh generation', (kind) => {
    const fresh = fs.readFileSync(path.join(tmp, PRACTICE_FILES[kind]))
    const saved = fs.readFileSync(committed(kind))
    expect(fresh.length).toBe(saved.length)
    expect(fresh.equals(saved)).toBe(true)
  })

  it.each(KINDS)('every zip entry and the document properties of the .%s carry the fixed date', async (kind) => {
    const { zip, read } = await xmlParts(kind)
    const entries = Object.values(zip.files).filter((f) => !f.dir)
    expect(entries.length).toBeGreaterThan(5)
    for (const entry of entries) expect(entry.date.getTime(), entry.name).toBe(FIXED_DATE.getTime())
    expect(Object.keys(zip.files)[0]).toBe('[Content_Types].xml')
    const core = await read('docProps/core.xml')
    expect(core).toContain('<dc:creator>Nhóm biên soạn Bản Số</dc:creator>')
    expect(core.match(/\d{4}-\d{2}-\d{2}T[\d:]+Z/g)).toEqual(['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'])
  })
})

describe('practice files read back from their XML parts', () => {
  /** Text of an XML part with the tags removed, as one NFC string (runs may split words across tags). */
  const textOf = (xml: string) => xml.replace(/<[^>]+>/g, '')

  it('the .docx notice has its tasks and the Vietnamese text of the notice', async () => {
    const { read } = await xmlParts('docx')
    const types = await read('[Content_Types].xml')
    expect(types).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml')
    const xml = await read('word/document.xml')
    expect(xml).toBe(xml.normalize('NFC'))
    const text = textOf(xml)
    for (const expected of [
      'YÊU CẦU THỰC HÀNH',
      'UỶ BAN NHÂN DÂN XÃ HOA MAI',
      'Số: 05/TB-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'THÔNG BÁO',
      'Về việc mở lớp tập huấn kỹ năng số cho cán bộ thôn, bản',
      'Tổ công nghệ số cộng đồng',
      'Nguyễn Văn An',
    ]) {
      expect(text).toContain(expected)
    }
    expect(text.match(/\d\. /g)?.length).toBeGreaterThanOrEqual(6 + 3 + 5) // 6 + 3 tasks, 5 numbered points of the notice
    expect(await read('word/styles.xml')).toContain('w:val="vi-VN"')
    // Lesson 6 asks for the margins of Decree 30/2020 (left 30–35 mm, right 15–20 mm): the file must start
    // with other margins (2.54 cm = 1440 twips all round), or the task would already be done.
    expect(text).toContain('trái 3 cm, phải 1,5 cm')
    const margin = /<w:pgMar [^>]*\/>/.exec(xml)?.[0] ?? ''
    for (const side of ['top', 'bottom', 'left', 'right']) expect(margin).toContain(`w:${side}="1440"`)
  })

  it('the .xlsx has the two sheets, the products and the numbers to compute with', async () => {
    const { read } = await xmlParts('xlsx')
    const types = await read('[Content_Types].xml')
    expect(types).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml')
    const workbook = await read('xl/workbook.xml')
    expect(workbook).toContain('name="Yêu cầu"')
    expect(workbook).toContain('name="Bán hàng"')
    const strings = await read('xl/sharedStrings.xml')
    expect(strings).toBe(strings.normalize('NFC'))
    for (const expected of ['Sản phẩm', 'Thành tiền (đồng)', 'Mận tam hoa', 'Gạo Séng Cù', 'Tương ớt', 'Quế khô', 'Cá hồi', 'Tổng cộng', '=SUM(F2:F6)', '24.300.000']) {
      expect(strings).toContain(expected)
    }
    // The sales sheet holds numbers (not text) for quantities and prices, and no answers: column F is empty.
    const sales = await read('xl/worksheets/sheet2.xml')
    for (const n of [120, 200, 150, 80, 40, 25000, 22000, 30000, 250000]) expect(sales).toMatch(new RegExp(`<v>${n}</v>`))
    expect(sales).not.toMatch(/<c r="F[2-9]"[^>]*>/)
    expect(sales).not.toContain('<f>')
    // The sort task must not pull the total rows into the data: row 7 is empty, so the data region that a
    // sort selects from any data cell ends at row 6, and the totals start at row 8.
    expect(sales).not.toMatch(/<c r="[A-F]7"/)
    const sharedStrings = [...strings.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]!))
    const totalIndex = sharedStrings.indexOf('Tổng cộng')
    expect(totalIndex).toBeGreaterThanOrEqual(0)
    expect(sales).toMatch(new RegExp(`<c r="B8"[^>]*t="s"[^>]*><v>${totalIndex}</v>`))
    const guide = await read('xl/worksheets/sheet1.xml')
    expect(guide).toContain('<row') // the task list sheet is there
    expect(strings).toContain('KHÔNG chọn các hàng Tổng cộng')
  })

  it('the farm ledger .xlsx has real numbers, the sums as formulas and no regional-settings dependence', async () => {
    const { read } = await xmlParts('ledger')
    const workbook = await read('xl/workbook.xml')
    expect(workbook).toContain('name="Sổ thu chi"')
    expect(workbook).toContain('name="Hướng dẫn"')
    const strings = await read('xl/sharedStrings.xml')
    expect(strings).toBe(strings.normalize('NFC'))
    for (const expected of ['Ngày', 'Nội dung', 'Thu (đồng)', 'Chi (đồng)', 'Ghi chú', 'Mua phân bón', 'CỘNG', 'LÃI (THU − CHI)']) {
      expect(strings).toContain(expected)
    }
    const ledger = await read('xl/worksheets/sheet1.xml')
    // Amounts are numbers in their own cells (a .csv read with the wrong list separator would put a whole
    // line in column A); the totals are formulas over the entry rows, with the example results cached.
    expect(ledger).toMatch(/<c r="D2"[^>]*><v>1200000<\/v>/)
    expect(ledger).toMatch(/<c r="C4"[^>]*><v>3500000<\/v>/)
    expect(ledger).toMatch(/<c r="C41"[^>]*><f>SUM\(C2:C40\)<\/f><v>5000000<\/v>/)
    expect(ledger).toMatch(/<c r="D41"[^>]*><f>SUM\(D2:D40\)<\/f><v>2400000<\/v>/)
    expect(ledger).toMatch(/<c r="C42"[^>]*><f>C41-D41<\/f><v>2600000<\/v>/)
    // Thousands separators come from a number format, so each reader sees their own (1.200.000 in Vietnamese).
    expect(await read('xl/styles.xml')).toMatch(/<xf numFmtId="3"[^>]*applyNumberFormat="1"/) // built-in 3 = "#,##0"
  })

  it('the .pptx has four slides with Vietnamese text and the tasks in the notes of slide 1', async () => {
    const { zip, read } = await xmlParts('pptx')
    const types = await read('[Content_Types].xml')
    expect(types).toContain('application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml')
    const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    expect(slides).toHaveLength(4)
    const slide1 = await read('ppt/slides/slide1.xml')
    expect(slide1).toBe(slide1.normalize('NFC'))
    expect(textOf(slide1)).toContain('Lớp tập huấn kỹ năng số cho bà con thôn, bản')
    expect(slide1).toContain('lang="vi-VN"')
    expect(textOf(await read('ppt/slides/slide2.xml'))).toContain('Vì sao cần kỹ năng số?')
    expect(textOf(await read('ppt/slides/slide3.xml'))).toContain('Tự bảo vệ mình trên không gian mạng')
    expect(textOf(await read('ppt/slides/slide4.xml'))).toContain('Thời gian, địa điểm, đăng ký')
    const notes = textOf(await read('ppt/notesSlides/notesSlide1.xml'))
    expect(notes).toContain('YÊU CẦU THỰC HÀNH')
    expect(notes).toContain('Chọn một mẫu thiết kế')
  })
})

describe('the lessons offer the practice files', () => {
  it.each(KINDS)('the lesson of the .%s links it with <Download>', (kind) => {
    const [course, lessonDir, file] = PRACTICE_FILES[kind].split('/') as [string, string, string]
    const mdx = fs.readFileSync(path.resolve(COURSE_DIR, course, lessonDir, 'index.mdx'), 'utf8')
    expect(mdx).toMatch(new RegExp(`<Download file="\\./${file.replace('.', '\\.')}" title="[^"]+">`))
  })
})
