// Practice files: for "Tin học cơ bản" (IU03–IU05) a notice to format and lay out as an administrative
// document (.docx, Decree 30/2020/NĐ-CP), a sales table to sum, sort and chart (.xlsx) and a 4-slide outline
// to finish (.pptx); for "Nông nghiệp số" a farm ledger (.xlsx, not .csv: see buildLedgerXlsx). Generated, never edited by
// hand, and reproducible: every date in the document properties and in the zip entries is fixed, and
// the zip is rewritten in a fixed order, so two runs give byte-identical files.
//
//   npm run content:practice-files            writes into the lesson folders under content/courses
//   npx tsx content/sources/practice-files.ts DIR   writes into DIR/<course>/<lesson folder>/ instead (tests)
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

/** The folder of all courses; each practice file is at <course>/<lesson folder>/<file> below it. */
export const COURSE_DIR = 'content/courses'
export const PRACTICE_FILES = {
  docx: 'tin-hoc-co-ban/05-soan-thao-van-ban/thong-bao-thuc-hanh.docx',
  xlsx: 'tin-hoc-co-ban/08-cong-thuc-ham-va-bieu-do/bang-ban-hang-thuc-hanh.xlsx',
  pptx: 'tin-hoc-co-ban/09-tao-bai-trinh-chieu/dan-y-trinh-chieu-thuc-hanh.pptx',
  ledger: 'nong-nghiep-so/08-so-ghi-chep-thu-chi/so-thu-chi-mau.xlsx',
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
  'Căn giữa và in đậm tên Uỷ ban và chữ “THÔNG BÁO”; căn giữa dòng “Số: 05/TB-UBND” dưới tên Uỷ ban, cỡ 13, chữ đứng, không đậm.',
  'Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”: cỡ 13, đậm; dòng “Độc lập - Tự do - Hạnh phúc” ngay dưới: cỡ 14, đậm, căn giữa (Nghị định 30/2020/NĐ-CP).',
  'In nghiêng và căn phải dòng địa danh, ngày tháng; căn giữa dòng trích yếu “Về việc…” ngay dưới chữ THÔNG BÁO.',
  'Căn đều hai bên (Ctrl + J) các đoạn nội dung; dùng Tìm và thay thế (Ctrl + H) đổi mọi chữ “tập huấn” thành “bồi dưỡng”.',
  'Xoá khung yêu cầu này, lưu tệp với tên 2026-04-thong-bao-boi-duong.docx, rồi lưu thêm một bản PDF.',
]

/** Tasks of lesson 6 on the same file: page layout of an administrative document (Decree 30/2020/NĐ-CP). */
const LAYOUT_TASKS = [
  'Lề trang đang là 2,54 cm mọi phía. Đặt lại: trên 2 cm, dưới 2 cm, trái 3 cm, phải 1,5 cm (Bố trí → Lề → Lề tuỳ chỉnh).',
  'Chèn số trang ở giữa lề trên (Chèn → Số trang → Đầu trang), cỡ 13; tích “Trang đầu khác” để trang thứ nhất không hiện số.',
  'Bấm Ctrl + P xem trước: khổ A4, hướng dọc, không có dòng nào tràn lề. Lưu lại.',
]

const NOTICE_LINES = [
  'UỶ BAN NHÂN DÂN XÃ HOA MAI',
  'Số: 05/TB-UBND',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Hoa Mai, ngày 06 tháng 4 năm 2026',
  'THÔNG BÁO',
  'Về việc mở lớp tập huấn kỹ năng số cho cán bộ thôn, bản',
  'Thực hiện kế hoạch chuyển đổi số năm 2026, Uỷ ban nhân dân xã Hoa Mai thông báo mở lớp tập huấn kỹ năng số cơ bản như sau:',
  '1. Đối tượng: trưởng thôn, thành viên Tổ công nghệ số cộng đồng của các thôn, bản trong xã.',
  '2. Thời gian: 02 buổi sáng, thứ Bảy ngày 25/4/2026 và Chủ nhật ngày 26/4/2026, bắt đầu từ 7 giờ 30 phút.',
  '3. Địa điểm: Hội trường Uỷ ban nhân dân xã Hoa Mai.',
  '4. Nội dung: sử dụng dịch vụ công trực tuyến; gõ tiếng Việt có dấu; soạn văn bản và bảng tính đơn giản; tự bảo vệ mình trên không gian mạng.',
  '5. Học viên mang theo điện thoại thông minh; ai có máy tính xách tay thì mang theo để thực hành.',
  'Đề nghị trưởng các thôn, bản thông báo đến thành viên Tổ công nghệ số cộng đồng và cử người tham dự lớp tập huấn đầy đủ, đúng giờ./.',
  'Nơi nhận:',
  '- Các thôn, bản;',
  '- Lưu: VT.',
  'TM. UỶ BAN NHÂN DÂN',
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
    new Paragraph({ ...box, children: [new TextRun({ text: 'Bài 6 — Trang giấy của văn bản hành chính (làm tiếp trên tệp này):', bold: true })] }),
    ...LAYOUT_TASKS.map((task, i) => new Paragraph({ ...box, children: [new TextRun(`${NOTICE_TASKS.length + i + 1}. ${task}`)] })),
    new Paragraph({ ...box, children: [new TextRun({ text: `Tên xã, tên người trong bài là giả định. ${LICENCE}.`, italics: true, size: 18 })] }),
    new Paragraph({ children: [] }),
  ]
  // The notice itself, deliberately plain: Arial 11, left-aligned, nothing bold — the learner formats it.
  const notice = NOTICE_LINES.map((line) => new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun(line)] }))
  const doc = new Document({
    creator: AUTHOR,
    lastModifiedBy: AUTHOR,
    title: 'Thông báo mở lớp tập huấn kỹ năng số (tệp thực hành)',
    description: `Tệp thực hành khoá Tin học cơ bản, bài 5 và bài 6. ${LICENCE}.`,
    styles: { default: { document: { run: { font: 'Arial', size: 22, language: { value: 'vi-VN' } } } } },
    sections: [
      {
        // A4 with Word's default 2.54 cm margins, which Decree 30/2020 does not allow (left 30–35 mm, right
        // 15–20 mm): setting them right is the learner's task in lesson 6.
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
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
  'Ô F8: tính tổng thành tiền bằng =SUM(F2:F6). Kết quả đúng là 24.300.000.',
  'Ô F9: thành tiền lớn nhất bằng hàm MAX; ô F10: thành tiền trung bình bằng hàm AVERAGE.',
  'Định dạng cột E và F có dấu phân cách hàng nghìn; kéo rộng cột nếu ô hiện #####.',
  'Sắp xếp theo cột Thành tiền, giảm dần: chọn vùng A1:F6 (hàng tiêu đề và 5 hàng sản phẩm, KHÔNG chọn các hàng Tổng cộng, Lớn nhất, Trung bình), rồi Dữ liệu → Sắp xếp, tích “Dữ liệu có tiêu đề”. Hàng 7 để trống cố ý, để các hàng tổng không bị xếp lẫn vào dữ liệu.',
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
  // Row 7 stays empty: a sort from any cell of the data then stops at row 6 and never moves the totals.
  sheet.addRow([])
  sheet.addRow([null, 'Tổng cộng']).font = { bold: true }
  sheet.addRow([null, 'Lớn nhất'])
  sheet.addRow([null, 'Trung bình'])

  return normalizeOfficeZip(Buffer.from(await wb.xlsx.writeBuffer()))
}

// ─── Nông nghiệp số, lesson 8: a farm ledger with five columns and the sums already in place ───
//
// Why .xlsx and not .csv: Excel opens a .csv with the list separator of the computer's regional settings.
// With Vietnamese settings that separator is ";" (the comma is the decimal mark), so a comma-separated file
// lands in one column; a ";" file with a BOM would fix that machine and break every machine set to English,
// and the formulas of a .csv are read in the local syntax too. An .xlsx stores cells, numbers and formulas
// independently of regional settings, and opens in columns in Excel, LibreOffice, Google Sheets and the
// phone apps alike; numbers show with the reader's own thousands separator through the "#,##0" format.

/** The example rows of the ledger: [day, month, what, in, out, note] (made-up figures of a plum grower). */
export const LEDGER_ROWS: [number, number, string, number | null, number | null, string][] = [
  [2, 3, 'Mua phân bón', null, 1200000, 'Cửa hàng vật tư'],
  [15, 4, 'Thuê người làm cỏ', null, 800000, '2 người x 2 ngày'],
  [25, 5, 'Bán 10 hộp mận qua sàn', 3500000, null, 'Chuyển khoản'],
  [28, 5, 'Phí gửi hàng', null, 400000, 'Bưu điện'],
  [2, 6, 'Bán 50 kg mận cho thương lái', 1500000, null, 'Tiền mặt'],
]
/** Rows 2–40 take entries; row 41 adds them up and row 42 gives the profit. */
export const LEDGER_LAST_ENTRY_ROW = 40
const LEDGER_TASKS = [
  'Xem năm dòng ví dụ và dòng CỘNG, LÃI ở cuối: tổng thu 5.000.000, tổng chi 2.400.000, lãi 2.600.000.',
  'Xoá năm dòng ví dụ (chọn ô A2 đến E6, bấm Delete): dòng CỘNG và LÃI tự về 0.',
  'Mỗi lần có tiền vào hay ra, ghi một dòng: ngày, nội dung, số tiền ở cột Thu hoặc cột Chi, ghi chú.',
  'Gõ số tiền liền, không gõ dấu chấm, ví dụ 1200000: bảng tự hiện 1.200.000 theo cài đặt của máy.',
  'Cuối tháng xem dòng LÃI; tìm khoản chi lớn nhất trong cột Chi.',
]

export async function buildLedgerXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = AUTHOR
  wb.lastModifiedBy = AUTHOR
  wb.created = FIXED_DATE
  wb.modified = FIXED_DATE
  wb.title = 'Mẫu sổ thu chi (tệp thực hành)'

  const sheet = wb.addWorksheet('Sổ thu chi', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [
    { header: 'Ngày', width: 12, style: { numFmt: 'dd/mm/yyyy' } },
    { header: 'Nội dung', width: 32 },
    { header: 'Thu (đồng)', width: 15, style: { numFmt: '#,##0' } },
    { header: 'Chi (đồng)', width: 15, style: { numFmt: '#,##0' } },
    { header: 'Ghi chú', width: 22 },
  ]
  sheet.getRow(1).font = { bold: true }
  for (const [day, month, what, income, spending, note] of LEDGER_ROWS) {
    // Dates as real dates (UTC, so the file does not depend on the time zone it is generated in).
    sheet.addRow([new Date(Date.UTC(2026, month - 1, day)), what, income, spending, note])
  }
  const sum = (column: 'C' | 'D') => LEDGER_ROWS.reduce((total, row) => total + (row[column === 'C' ? 3 : 4] ?? 0), 0)
  const totalRow = LEDGER_LAST_ENTRY_ROW + 1
  const total = sheet.getRow(totalRow)
  total.getCell(2).value = 'CỘNG'
  total.getCell(3).value = { formula: `SUM(C2:C${LEDGER_LAST_ENTRY_ROW})`, result: sum('C') }
  total.getCell(4).value = { formula: `SUM(D2:D${LEDGER_LAST_ENTRY_ROW})`, result: sum('D') }
  total.font = { bold: true }
  const profit = sheet.getRow(totalRow + 1)
  profit.getCell(2).value = 'LÃI (THU − CHI)'
  profit.getCell(3).value = { formula: `C${totalRow}-D${totalRow}`, result: sum('C') - sum('D') }
  profit.font = { bold: true }

  const guide = wb.addWorksheet('Hướng dẫn')
  guide.getColumn(1).width = 100
  guide.addRow(['CÁCH DÙNG MẪU SỔ THU CHI (Nông nghiệp số, bài 8)']).font = { bold: true, size: 13 }
  for (const [i, task] of LEDGER_TASKS.entries()) guide.addRow([`${i + 1}. ${task}`])
  guide.addRow([`Số liệu ví dụ là giả định. ${LICENCE}.`]).font = { italic: true, size: 9 }

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
  return { docx: await buildNoticeDocx(), xlsx: await buildSalesXlsx(), pptx: await buildOutlinePptx(), ledger: await buildLedgerXlsx() }
}

/** Writes the files under `root` (content/courses by default), each in its course and lesson folder. */
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
