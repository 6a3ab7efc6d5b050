// Practice files of the course "Tin học cơ bản" (IU03–IU05): a notice to format (.docx), a sales table
// to sum, sort and chart (.xlsx) and a 4-slide outline to finish (.pptx). Generated, never edited by
// hand, and reproducible: every date in the document properties and in the zip entries is fixed, and
// the zip is rewritten in a fixed order, so two runs give byte-identical files.
//
//   npm run content:practice-files            writes into the lesson folders of the course
//   npx tsx content/sources/practice-files.ts DIR   writes into DIR/<lesson folder>/ instead (tests)
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, ShadingType, TextRun } from 'docx'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import PptxGenJS from 'pptxgenjs'

/** The one date written into every file: document properties and zip entries. */
export const FIXED_DATE = new Date('2026-01-01T00:00:00Z')
const AUTHOR = 'Nhóm biên soạn Bản Số'
const LICENCE = 'Bản Số — CC BY 4.0'

export const COURSE_DIR = 'content/courses/tin-hoc-co-ban'
export const PRACTICE_FILES = {
  docx: '05-soan-thao-van-ban/thong-bao-thuc-hanh.docx',
  xlsx: '08-cong-thuc-ham-va-bieu-do/bang-ban-hang-thuc-hanh.xlsx',
  pptx: '09-tao-bai-trinh-chieu/dan-y-trinh-chieu-thuc-hanh.pptx',
} as const

// ─── Reproducibility: one zip layout, one date ───

/**
 * Rewrites an Office file (a zip) so that it depends only on its content: the creation and
 * modification dates in docProps/core.xml become FIXED_DATE, every zip entry gets FIXED_DATE, and
 * the entries are stored in a fixed order ([Content_Types].xml first, as Office expects).
 */
export async function normalizeOfficeZip(input: Buffer | Uint8Array): Promise<Buffer> {
  const source = await JSZip.loadAsync(input)
  const iso = FIXED_DATE.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const names = Object.keys(source.files)
    .filter((name) => !source.files[name]!.dir)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  const out = new JSZip()
  for (const name of names) {
    let data: Uint8Array | string = await source.files[name]!.async('uint8array')
    if (name === 'docProps/core.xml') {
      data = Buffer.from(data)
        .toString('utf8')
        .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
        .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`)
    }
    out.file(name, data, { date: FIXED_DATE, createFolders: false })
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'DOS' })
}

function rank(name: string): number {
  if (name === '[Content_Types].xml') return 0
  if (name === '_rels/.rels') return 1
  return 2
}

// ─── IU03: a notice of the (imaginary) commune of Hoa Mai, to format ───

const NOTICE_TASKS = [
  'Chọn cả văn bản (Ctrl + A), đổi phông chữ thành Times New Roman, cỡ chữ 14.',
  'Căn giữa và in đậm ba dòng: tên Ủy ban, quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM” và chữ “THÔNG BÁO”.',
  'Căn giữa dòng “Độc lập - Tự do - Hạnh phúc” và dòng trích yếu “Về việc…” ngay dưới chữ THÔNG BÁO.',
  'In nghiêng và căn phải dòng địa danh, ngày tháng.',
  'Căn đều hai bên (Ctrl + J) các đoạn nội dung; dùng Tìm và thay thế (Ctrl + H) đổi mọi chữ “tập huấn” thành “bồi dưỡng”.',
  'Xoá khung yêu cầu này, lưu tệp với tên 2026-04-thong-bao-boi-duong.docx, rồi lưu thêm một bản PDF.',
]

const NOTICE_LINES = [
  'ỦY BAN NHÂN DÂN XÃ HOA MAI',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Hoa Mai, ngày 06 tháng 4 năm 2026',
  'THÔNG BÁO',
  'Về việc mở lớp tập huấn kỹ năng số cho cán bộ thôn, bản',
  'Thực hiện kế hoạch chuyển đổi số năm 2026, Ủy ban nhân dân xã Hoa Mai thông báo mở lớp tập huấn kỹ năng số cơ bản như sau:',
  '1. Đối tượng: trưởng thôn, thành viên Tổ công nghệ số cộng đồng của các thôn, bản trong xã.',
  '2. Thời gian: 02 buổi sáng, thứ Bảy ngày 25/4/2026 và Chủ nhật ngày 26/4/2026, bắt đầu từ 7 giờ 30 phút.',
  '3. Địa điểm: Hội trường Ủy ban nhân dân xã Hoa Mai.',
  '4. Nội dung: sử dụng dịch vụ công trực tuyến; gõ tiếng Việt có dấu; soạn văn bản và bảng tính đơn giản; tự bảo vệ mình trên không gian mạng.',
  '5. Học viên mang theo điện thoại thông minh; ai có máy tính xách tay thì mang theo để thực hành.',
  'Đề nghị trưởng các thôn, bản thông báo đến thành viên Tổ công nghệ số cộng đồng và cử người tham dự lớp tập huấn đầy đủ, đúng giờ./.',
  'Nơi nhận:',
  '- Các thôn, bản;',
  '- Lưu: VT.',
  'TM. ỦY BAN NHÂN DÂN',
  'CHỦ TỊCH',
  '(đã ký)',
  'Nguyễn Văn An',
]

export async function buildNoticeDocx(): Promise<Buffer> {
  const box = {
    shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E8F3EC' },
    border: {
      top: { style: BorderStyle.SINGLE, size: 6, color: '0B5D3B', space: 4 },
      bottom: { style: BorderStyle.SINGLE, size: 6, color: '0B5D3B', space: 4 },
      left: { style: BorderStyle.SINGLE, size: 6, color: '0B5D3B', space: 4 },
      right: { style: BorderStyle.SINGLE, size: 6, color: '0B5D3B', space: 4 },
    },
  }
  const tasks = [
    new Paragraph({ ...box, children: [new TextRun({ text: 'YÊU CẦU THỰC HÀNH (Bài 5 — Soạn và định dạng văn bản)', bold: true })] }),
    new Paragraph({ ...box, children: [new TextRun('Thông báo dưới đây của một xã giả định chưa được định dạng. Hãy làm lần lượt:')] }),
    ...NOTICE_TASKS.map((task, i) => new Paragraph({ ...box, children: [new TextRun(`${i + 1}. ${task}`)] })),
    new Paragraph({ ...box, children: [new TextRun({ text: `Tên xã, tên người trong bài là giả định. ${LICENCE}.`, italics: true, size: 18 })] }),
    new Paragraph({ children: [] }),
  ]
  // The notice itself, deliberately plain: Arial 11, left-aligned, nothing bold — the learner formats it.
  const notice = NOTICE_LINES.map((line) => new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun(line)] }))
  const doc = new Document({
    creator: AUTHOR,
    lastModifiedBy: AUTHOR,
    title: 'Thông báo mở lớp tập huấn kỹ năng số (tệp thực hành)',
    description: `Tệp thực hành khoá Tin học cơ bản, bài 5. ${LICENCE}.`,
    styles: { default: { document: { run: { font: 'Arial', size: 22, language: { value: 'vi-VN' } } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } },
        children: [...tasks, ...notice],
      },
    ],
  })
  return normalizeOfficeZip(await Packer.toBuffer(doc))
}

// ─── IU04: a co-operative's sales table (made-up figures), to compute, sort and chart ───

export const SALES_ROWS: [string, string, number, number][] = [
  ['Mận tam hoa', 'kg', 120, 25000],
  ['Gạo Séng Cù', 'kg', 200, 22000],
  ['Tương ớt', 'chai', 150, 30000],
  ['Quế khô', 'kg', 80, 30000],
  ['Cá hồi', 'kg', 40, 250000],
]

const SALES_TASKS = [
  'Ở trang tính “Bán hàng”, ô F2: gõ công thức =D2*E2 rồi kéo nút điền xuống ô F6.',
  'Ô F7: tính tổng thành tiền bằng =SUM(F2:F6). Kết quả đúng là 24.300.000.',
  'Ô F8: thành tiền lớn nhất bằng hàm MAX; ô F9: thành tiền trung bình bằng hàm AVERAGE.',
  'Định dạng cột E và F có dấu phân cách hàng nghìn; kéo rộng cột nếu ô hiện #####.',
  'Sắp xếp các hàng 2 đến 6 theo cột Thành tiền, giảm dần.',
  'Vẽ biểu đồ cột từ cột Sản phẩm và cột Thành tiền, đặt tiêu đề “Doanh thu tháng 6”, rồi lưu tệp.',
]

export async function buildSalesXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = AUTHOR
  wb.lastModifiedBy = AUTHOR
  wb.created = FIXED_DATE
  wb.modified = FIXED_DATE
  wb.title = 'Bảng bán hàng nông sản (tệp thực hành)'

  const guide = wb.addWorksheet('Yêu cầu')
  guide.getColumn(1).width = 110
  guide.addRow(['YÊU CẦU THỰC HÀNH (Bài 8 — Công thức, hàm và biểu đồ)']).font = { bold: true, size: 13 }
  guide.addRow(['Bảng bán hàng của một hợp tác xã, số liệu giả định. Làm lần lượt:'])
  for (const [i, task] of SALES_TASKS.entries()) guide.addRow([`${i + 1}. ${task}`])
  guide.addRow([LICENCE]).font = { italic: true, size: 9 }

  const sheet = wb.addWorksheet('Bán hàng')
  sheet.columns = [
    { header: 'STT', width: 6 },
    { header: 'Sản phẩm', width: 20 },
    { header: 'Đơn vị', width: 9 },
    { header: 'Số lượng', width: 11 },
    { header: 'Đơn giá (đồng)', width: 16 },
    { header: 'Thành tiền (đồng)', width: 19 },
  ]
  sheet.getRow(1).font = { bold: true }
  for (const [i, [product, unit, quantity, price]] of SALES_ROWS.entries()) sheet.addRow([i + 1, product, unit, quantity, price, null])
  sheet.addRow([null, 'Tổng cộng']).font = { bold: true }
  sheet.addRow([null, 'Lớn nhất'])
  sheet.addRow([null, 'Trung bình'])

  return normalizeOfficeZip(Buffer.from(await wb.xlsx.writeBuffer()))
}

// ─── IU05: a 4-slide outline for a village meeting, to finish ───

const SLIDE_TASKS = [
  'YÊU CẦU THỰC HÀNH (Bài 9 — Tạo bài trình chiếu):',
  '1. Điền nội dung vào các chỗ trong dấu [ ] ở trang 1 và trang 4.',
  '2. Chọn một mẫu thiết kế (Design) cho cả bài.',
  '3. Thêm vào trang 2 một ảnh của thôn, bản mình (ảnh bạn tự chụp).',
  '4. Thêm vào trang 4 một bảng 3 cột: Buổi, Nội dung, Người hướng dẫn.',
  '5. Chọn một hiệu ứng chuyển trang nhẹ cho cả bài, chiếu thử bằng F5, rồi lưu tệp.',
]

export async function buildOutlinePptx(): Promise<Buffer> {
  const pptx = new PptxGenJS()
  pptx.layout = 'LAYOUT_16x9'
  pptx.author = AUTHOR
  pptx.company = 'Bản Số'
  pptx.title = 'Lớp tập huấn kỹ năng số (tệp thực hành)'
  pptx.subject = `Tệp thực hành khoá Tin học cơ bản, bài 9. ${LICENCE}.`
  const font = 'Arial'
  const lang = 'vi-VN'
  const title = (slide: PptxGenJS.Slide, text: string) =>
    slide.addText(text, { x: 0.5, y: 0.3, w: 9, h: 0.9, lang, fontFace: font, fontSize: 32, bold: true, color: '0B5D3B' })
  const bullets = (slide: PptxGenJS.Slide, items: string[]) =>
    slide.addText(
      items.map((text) => ({ text, options: { bullet: true, breakLine: true } })),
      { x: 0.6, y: 1.4, w: 8.8, h: 3.8, lang, fontFace: font, fontSize: 24, color: '1B1F1D', valign: 'top' },
    )

  const s1 = pptx.addSlide()
  s1.addText('Lớp tập huấn kỹ năng số cho bà con thôn, bản', { x: 0.5, y: 1.6, w: 9, h: 1.2, lang, fontFace: font, fontSize: 36, bold: true, color: '0B5D3B', align: 'center' })
  s1.addText('Họp thôn [tên thôn] — [người trình bày], [ngày]', { x: 0.5, y: 3.0, w: 9, h: 0.6, lang, fontFace: font, fontSize: 20, color: '4A524E', align: 'center' })
  s1.addNotes(SLIDE_TASKS.join('\n'))

  const s2 = pptx.addSlide()
  title(s2, 'Vì sao cần kỹ năng số?')
  bullets(s2, ['Làm thủ tục hành chính trên mạng, bớt đi lại', 'Bán nông sản của thôn qua mạng', 'Nhận ra và tránh lừa đảo trên mạng', '[Thêm một lý do của thôn mình]'])

  const s3 = pptx.addSlide()
  title(s3, 'Học gì trong lớp?')
  bullets(s3, ['Sử dụng dịch vụ công trực tuyến', 'Mua sắm và thanh toán trực tuyến', 'Tự bảo vệ mình trên không gian mạng', 'Gõ tiếng Việt, soạn văn bản đơn giản'])

  const s4 = pptx.addSlide()
  title(s4, 'Thời gian, địa điểm, đăng ký')
  bullets(s4, ['Thời gian: [điền ngày, giờ]', 'Địa điểm: [điền nơi học]', 'Đăng ký với: [tên, số điện thoại trưởng thôn]'])

  const written = (await pptx.write({ outputType: 'nodebuffer' })) as Buffer
  return normalizeOfficeZip(written)
}

// ─── Writing ───

export async function buildPracticeFiles(): Promise<Record<keyof typeof PRACTICE_FILES, Buffer>> {
  return { docx: await buildNoticeDocx(), xlsx: await buildSalesXlsx(), pptx: await buildOutlinePptx() }
}

/** Writes the three files under `root` (the course folder by default), each in its lesson folder. */
export async function writePracticeFiles(root: string = path.resolve(COURSE_DIR)): Promise<string[]> {
  const files = await buildPracticeFiles()
  const written: string[] = []
  for (const kind of Object.keys(PRACTICE_FILES) as (keyof typeof PRACTICE_FILES)[]) {
    const target = path.join(root, PRACTICE_FILES[kind])
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, files[kind])
    written.push(target)
  }
  return written
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : undefined
  for (const file of await writePracticeFiles(root)) console.log(`${path.relative(process.cwd(), file)} (${fs.statSync(file).size} byte)`)
}
