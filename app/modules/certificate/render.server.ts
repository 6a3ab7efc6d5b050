// The printable certificate: a PDF (A4 landscape, fonts embedded) and a PNG for phones, drawn
// from one layout so both say the same. Text is set in DejaVu Sans (its TTFs ship in the
// `dejavu-fonts-ttf` npm package; free licence, Bitstream Vera derivative), which covers
// Vietnamese: the PDF embeds a subset of it; the PNG turns every glyph into an SVG path with the
// same font, so sharp (librsvg) never falls back to whatever fonts the machine has.
// Generated files are cached on disk under a key that hashes everything printed: a changed
// certificate (or layout) gets a new file, an unchanged one is never drawn twice.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib'
import QRCode from 'qrcode'
import sharp from 'sharp'
import { vietnamDate, type CertificateText } from './status'
import { noteCacheWrite, touchCached, type DiskCacheLimits } from '~/utils/disk-cache.server'

/** Bump when the drawing changes, so cached files are redrawn. */
const LAYOUT_VERSION = 1

export interface PrintedCertificate extends CertificateText {
  /** The printed, stable verification URL (the QR code holds exactly this). */
  verifyUrl: string
}

// ─── Fonts ───

type Font = ReturnType<typeof fontkit.create>

const require = createRequire(import.meta.url)
let fonts: { regular: Buffer; bold: Buffer; regularFont: Font; boldFont: Font } | undefined

export function loadFonts() {
  if (!fonts) {
    const regular = fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))
    const bold = fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))
    fonts = { regular, bold, regularFont: fontkit.create(regular), boldFont: fontkit.create(bold) }
  }
  return fonts
}

// ─── Layout (points, origin top-left; A4 landscape) ───

export const PAGE = { width: 841.89, height: 595.28 }
const NAVY = '#1d4e89'
const INK = '#1f2328'
const MUTED = '#4a5563'
const CONTENT_WIDTH = 700

interface TextItem {
  text: string
  /** Baseline, from the top. */
  y: number
  x: number
  size: number
  bold: boolean
  color: string
  align: 'left' | 'center'
}

interface Layout {
  texts: TextItem[]
  qr: { x: number; y: number; size: number; modules: boolean[][] }
}

function textWidth(font: Font, text: string, size: number): number {
  return (font.layout(text).advanceWidth * size) / font.unitsPerEm
}

function layout(c: PrintedCertificate): Layout {
  const { regularFont, boldFont } = loadFonts()
  const texts: TextItem[] = []
  const centred = (text: string, y: number, size: number, { bold = false, color = INK, maxWidth = CONTENT_WIDTH } = {}) => {
    const t = text.normalize('NFC')
    const font = bold ? boldFont : regularFont
    // Long names and titles shrink to fit the line rather than run off the page.
    const fitted = Math.min(size, (size * maxWidth) / Math.max(1, textWidth(font, t, size)))
    texts.push({ text: t, y, x: PAGE.width / 2, size: Math.round(fitted * 10) / 10, bold, color, align: 'center' })
  }
  const left = (text: string, y: number, size: number, { bold = false, color = INK } = {}) => texts.push({ text: text.normalize('NFC'), y, x: 72, size, bold, color, align: 'left' })

  centred('BẢN SỐ · HỌC KỸ NĂNG SỐ LÀO CAI', 82, 13, { bold: true, color: MUTED })
  centred('CHỨNG CHỈ HOÀN THÀNH KHOÁ HỌC', 132, 30, { bold: true, color: NAVY })
  centred('Certificate of course completion', 158, 13, { color: MUTED })
  centred('Chứng nhận', 205, 14)
  centred(c.holderName, 250, 34, { bold: true })
  if (c.agencyName) centred(c.agencyName, 280, 15, { color: MUTED })
  centred('đã hoàn thành khoá học', 320, 14)
  centred(c.courseTitle, 356, 22, { bold: true, color: NAVY })
  const standards = c.standardCodes.length ? ` · Chuẩn: ${c.standardCodes.join(', ')}` : ''
  centred(`Phiên bản ${c.courseVersion}${standards}`, 384, 12, { color: MUTED })

  left(`Số: ${c.number}`, 455, 14, { bold: true })
  left(`Ngày cấp: ${vietnamDate(c.issuedAt)}`, 480, 13)
  left(c.expiresAt ? `Có giá trị đến: ${vietnamDate(c.expiresAt)}` : 'Không thời hạn', 503, 13)
  left('Xác minh chứng chỉ tại:', 530, 10, { color: MUTED })
  left(c.verifyUrl, 545, 10, { color: MUTED })

  const qr = QRCode.create(c.verifyUrl, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const modules = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, col) => qr.modules.get(r, col) === 1))
  const size = 130
  texts.push({ text: 'Quét để xác minh', y: 552, x: PAGE.width - 72 - size / 2, size: 9, bold: false, color: MUTED, align: 'center' })
  return { texts, qr: { x: PAGE.width - 72 - size, y: 405, size, modules } }
}

// ─── QR as a raster (PDF) ───

/** The QR code as a PNG with a 4-module quiet zone, `scale` pixels per module (black on white). */
async function qrPng(modules: boolean[][], scale = 8): Promise<Buffer> {
  const n = modules.length
  const quiet = 4
  const side = (n + 2 * quiet) * scale
  const pixels = Buffer.alloc(side * side, 255)
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (modules[r]![c])
        for (let dy = 0; dy < scale; dy++) pixels.fill(0, ((r + quiet) * scale + dy) * side + (c + quiet) * scale, ((r + quiet) * scale + dy) * side + (c + quiet + 1) * scale)
  return sharp(pixels, { raw: { width: side, height: side, channels: 1 } }).png({ compressionLevel: 9 }).toBuffer()
}

function hex(color: string) {
  const v = parseInt(color.slice(1), 16)
  return rgb(((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255)
}

export async function renderPdf(c: PrintedCertificate): Promise<Buffer> {
  const { regular, bold } = loadFonts()
  const plan = layout(c)
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.registerFontkit(fontkit)
  doc.setTitle(`Chứng chỉ ${c.number} — ${c.holderName}`, { showInWindowTitleBar: true })
  doc.setAuthor('Bản Số')
  doc.setSubject(c.courseTitle)
  doc.setLanguage('vi-VN')
  doc.setCreator('Bản Số')
  doc.setProducer('Bản Số (pdf-lib)')
  doc.setCreationDate(c.issuedAt)
  doc.setModificationDate(c.issuedAt)
  const fontsUsed: Record<'regular' | 'bold', PDFFont> = {
    regular: await doc.embedFont(regular, { subset: true }),
    bold: await doc.embedFont(bold, { subset: true }),
  }
  const page = doc.addPage([PAGE.width, PAGE.height])
  const y = (top: number) => PAGE.height - top
  page.drawRectangle({ x: 18, y: 18, width: PAGE.width - 36, height: PAGE.height - 36, borderColor: hex(NAVY), borderWidth: 3 })
  page.drawRectangle({ x: 26, y: 26, width: PAGE.width - 52, height: PAGE.height - 52, borderColor: hex(NAVY), borderWidth: 0.75 })
  for (const t of plan.texts) {
    const font = t.bold ? fontsUsed.bold : fontsUsed.regular
    const w = font.widthOfTextAtSize(t.text, t.size)
    page.drawText(t.text, { x: t.align === 'center' ? t.x - w / 2 : t.x, y: y(t.y), size: t.size, font, color: hex(t.color) })
  }
  const qr = await doc.embedPng(await qrPng(plan.qr.modules))
  // The quiet zone is inside the image: draw it so that the modules fill the planned square.
  const n = plan.qr.modules.length
  const full = (plan.qr.size * (n + 8)) / n
  const pad = (full - plan.qr.size) / 2
  page.drawImage(qr, { x: plan.qr.x - pad, y: y(plan.qr.y + plan.qr.size) - pad, width: full, height: full })
  return Buffer.from(await doc.save())
}

// ─── PNG: SVG with glyph paths, rasterised by sharp ───

function escapeXml(s: string) {
  return s.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!)
}

function textPath(font: Font, item: TextItem): string {
  const run = font.layout(item.text)
  const scale = item.size / font.unitsPerEm
  const width = run.advanceWidth * scale
  let x = item.align === 'center' ? item.x - width / 2 : item.x
  const parts: string[] = []
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i]!
    const d = glyph.path.toSVG()
    if (d) {
      const gx = x + pos.xOffset * scale
      const gy = item.y - pos.yOffset * scale
      // Font units are y-up; SVG is y-down.
      parts.push(`<path transform="translate(${gx.toFixed(2)} ${gy.toFixed(2)}) scale(${scale.toFixed(5)} ${(-scale).toFixed(5)})" d="${d}"/>`)
    }
    x += pos.xAdvance * scale
  })
  return `<g fill="${item.color}">${parts.join('')}</g>`
}

export function renderSvg(c: PrintedCertificate): string {
  const { regularFont, boldFont } = loadFonts()
  const plan = layout(c)
  const n = plan.qr.modules.length
  const m = plan.qr.size / n
  let qrPath = ''
  plan.qr.modules.forEach((row, r) => row.forEach((on, col) => (on ? (qrPath += `M${(plan.qr.x + col * m).toFixed(3)} ${(plan.qr.y + r * m).toFixed(3)}h${m.toFixed(3)}v${m.toFixed(3)}h-${m.toFixed(3)}z`) : undefined)))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    `<title>${escapeXml(`Chứng chỉ ${c.number} — ${c.holderName}`)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<rect x="18" y="18" width="${PAGE.width - 36}" height="${PAGE.height - 36}" fill="none" stroke="${NAVY}" stroke-width="3"/>`,
    `<rect x="26" y="26" width="${PAGE.width - 52}" height="${PAGE.height - 52}" fill="none" stroke="${NAVY}" stroke-width="0.75"/>`,
    ...plan.texts.map((t) => textPath(t.bold ? boldFont : regularFont, t)),
    `<path fill="#000000" shape-rendering="crispEdges" d="${qrPath}"/>`,
    `</svg>`,
  ].join('')
}

/** 2 px per point: 1684 × 1191, sharp enough to zoom into on a phone, ~100 KB. */
export async function renderPng(c: PrintedCertificate): Promise<Buffer> {
  return sharp(Buffer.from(renderSvg(c)), { density: 144 }).flatten({ background: '#ffffff' }).png({ compressionLevel: 9, palette: true }).toBuffer()
}

// ─── Cache ───

export type FileFormat = 'pdf' | 'png'

export function cacheKey(c: PrintedCertificate, format: FileFormat): string {
  const printed = JSON.stringify({ v: LAYOUT_VERSION, format, ...c, issuedAt: c.issuedAt.toISOString(), expiresAt: c.expiresAt?.toISOString() ?? null })
  return createHash('sha256').update(printed).digest('hex').slice(0, 32)
}

const pending = new Map<string, Promise<Buffer>>()

/**
 * The file, from the cache when it is there; drawn once otherwise (concurrent requests for the same
 * file share one drawing). Written to a temporary name and renamed, so a reader never sees half a file.
 */
export async function certificateFile(
  c: PrintedCertificate,
  format: FileFormat,
  cacheDir: string,
  limits: DiskCacheLimits = { maxFiles: 20_000, maxBytes: 512 * 1024 * 1024 },
): Promise<{ body: Buffer; cached: boolean }> {
  const file = path.join(cacheDir, `${cacheKey(c, format)}.${format}`)
  try {
    const body = await fs.promises.readFile(file)
    touchCached(file)
    return { body, cached: true }
  } catch {
    // Not cached yet.
  }
  let drawing = pending.get(file)
  if (!drawing) {
    drawing = (async () => {
      const body = format === 'pdf' ? await renderPdf(c) : await renderPng(c)
      await fs.promises.mkdir(cacheDir, { recursive: true })
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
      await fs.promises.writeFile(tmp, body)
      await fs.promises.rename(tmp, file)
      // The printed address is in the key (the request's own without APP_ORIGIN): bounded.
      void noteCacheWrite(cacheDir, limits, { keep: file, bytes: body.length })
      return body
    })().finally(() => pending.delete(file))
    pending.set(file, drawing)
  }
  return { body: await drawing, cached: false }
}
