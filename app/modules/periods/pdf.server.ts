// A submitted report as an A4 PDF (docs/decisions/020): the same facts as the print page, set in
// DejaVu Sans (embedded, subset) as the certificates are, with the check code and its QR code drawn
// as vector squares. Always Vietnamese.
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import QRCode from 'qrcode'
import { loadFonts } from '~/modules/certificate/render.server'
import { format, messagesFor } from '~/utils/i18n'
import { snapshotFacts } from './export.server'
import { percentText } from './labels'
import { SNAPSHOT_FIGURES, vnDay } from './types'
import type { LoadedSnapshot } from './workflow.server'

const A4 = { width: 595.28, height: 841.89 }
const MARGIN = 56
const INK = rgb(0.12, 0.14, 0.16)

/** Splits text into lines no wider than `width` at `size`. */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word
      if (font.widthOfTextAtSize(next, size) > width && line) {
        lines.push(line)
        line = word
      } else line = next
    }
    lines.push(line)
  }
  return lines
}

export async function snapshotPdf(s: LoadedSnapshot, verifyUrl: string): Promise<Buffer> {
  const m = messagesFor('vi')
  const t = m.periods
  const f = s.figures
  const facts = snapshotFacts(s, verifyUrl)
  const { regular, bold } = loadFonts()
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.registerFontkit(fontkit)
  doc.setTitle(`${facts.title} — ${facts.agency}`)
  doc.setAuthor('Bản Số')
  doc.setLanguage('vi-VN')
  doc.setCreationDate(s.submittedAt)
  doc.setModificationDate(s.submittedAt)
  const font = { regular: await doc.embedFont(regular, { subset: true }), bold: await doc.embedFont(bold, { subset: true }) }
  let page: PDFPage = doc.addPage([A4.width, A4.height])
  let y = MARGIN
  const width = A4.width - 2 * MARGIN
  const ensure = (h: number) => {
    if (y + h > A4.height - MARGIN) {
      page = doc.addPage([A4.width, A4.height])
      y = MARGIN
    }
  }
  const text = (value: string, { size = 10, isBold = false, align = 'left' as 'left' | 'center', x = MARGIN, w = width } = {}) => {
    const fnt = isBold ? font.bold : font.regular
    for (const line of wrap(fnt, value, size, w)) {
      ensure(size * 1.4)
      const lineWidth = fnt.widthOfTextAtSize(line, size)
      page.drawText(line, { x: align === 'center' ? x + (w - lineWidth) / 2 : x, y: A4.height - y - size, size, font: fnt, color: INK })
      y += size * 1.4
    }
  }
  // Two columns at the top: the agency (left), the national heading and date line (right).
  const half = width / 2
  const top = y
  if (facts.parent) text(facts.parent.toLocaleUpperCase('vi'), { size: 9, align: 'center', w: half - 10 })
  text(facts.agency.toLocaleUpperCase('vi'), { size: 9, isBold: true, align: 'center', w: half - 10 })
  const leftEnd = y
  y = top
  text(t.print.nation, { size: 9, isBold: true, align: 'center', x: MARGIN + half, w: half })
  text(t.print.motto, { size: 9, isBold: true, align: 'center', x: MARGIN + half, w: half })
  text(facts.dateLine, { size: 9, align: 'center', x: MARGIN + half, w: half })
  y = Math.max(y, leftEnd) + 16
  text(facts.title, { size: 14, isBold: true, align: 'center' })
  text(facts.period, { size: 10, align: 'center' })
  text(`${facts.version} · ${facts.submitted}`, { size: 10, align: 'center' })
  y += 8
  const plan = f.plan
    ? `${format(t.figures.plan, { year: String(f.plan.year), target: String(f.plan.targetPercent), courses: f.plan.courses.length ? f.plan.courses.map((c) => c.title).join(', ') : t.figures.anyCourse, due: vnDay(f.plan.dueOn) })}${f.plan.inherited ? ` ${format(t.figures.planInherited, { agency: f.plan.setAt.name })}` : ''}`
    : t.figures.noPlan
  text(plan)
  text(format(t.figures.key, { count: String(f.key.count), headcount: String(f.key.headcount), percent: percentText(f.key.percent, 'vi') }), { isBold: true })
  y += 6
  // The figures table: one row per figure, a column for any course and one per plan course.
  const columns = [t.figures.figure, t.figures.total, ...f.courses.map((c) => c.title)]
  const first = 170
  const other = (width - first) / Math.max(1, columns.length - 1)
  const row = (cells: string[], isBold: boolean) => {
    ensure(16)
    cells.forEach((cell, i) => {
      const x = i === 0 ? MARGIN : MARGIN + first + (i - 1) * other
      const fnt = isBold ? font.bold : font.regular
      const clipped = wrap(fnt, cell, 9, (i === 0 ? first : other) - 6)[0] ?? ''
      page.drawText(clipped, { x, y: A4.height - y - 9, size: 9, font: fnt, color: INK })
    })
    y += 14
    page.drawLine({ start: { x: MARGIN, y: A4.height - y + 2 }, end: { x: MARGIN + width, y: A4.height - y + 2 }, thickness: 0.3, color: INK })
  }
  row(columns, true)
  for (const fig of SNAPSHOT_FIGURES) row([t.figures.rows[fig], String(f.total[fig]), ...f.courses.map((c) => String(c.figures[fig]))], false)
  y += 8
  if (f.training) {
    // In-person training of the period: the counts, then by topic and by place (the same table look).
    const tr = f.training
    const tt = m.training.report
    text(tt.title, { isBold: true })
    text(format(t.figures.trainingPeriod, { from: vnDay(f.period.startsOn), to: vnDay(f.period.endsOn) }), { size: 9 })
    y += 4
    const pairs: [string, number][] = [
      [tt.sessions, tr.sessions],
      [tt.staffInPerson, tr.staffInPerson],
      [tt.staffOnline, tr.staffOnline],
      [tt.staffTogether, tr.staffTogether],
      [tt.citizens, tr.citizens],
      ...(tr.checked > 0 ? ([[tt.checked, tr.checked], [tt.passed, tr.passed]] as [string, number][]) : []),
    ]
    row([tt.figure, tt.value], true)
    for (const [label, value] of pairs) row([label, String(value)], false)
    if (tr.byTopic.length) {
      y += 6
      row([tt.columns.topic, tt.columns.staff, tt.columns.citizens], true)
      for (const p of tr.byTopic) row([p.topic, String(p.staff), String(p.citizens)], false)
    }
    if (tr.byPlace.length) {
      y += 6
      row([`${tt.columns.commune} / ${tt.columns.village}`, tt.columns.citizens], true)
      for (const p of tr.byPlace) row([p.village ? `${p.commune} / ${p.village}` : p.commune, String(p.citizens)], false)
    }
    y += 8
  }
  if (f.children.length) {
    text(t.figures.children, { isBold: true })
    text(format(t.figures.childrenLine, { reported: String(f.consolidated.reported), expected: String(f.consolidated.expected), percent: percentText(f.consolidated.percent, 'vi') }))
    const missing = f.children.filter((c) => !c.figures).map((c) => c.name)
    text(missing.length ? format(t.figures.notSubmitted, { names: missing.join(', ') }) : t.figures.allSubmitted, { size: 9 })
    const ct = f.consolidated.training
    if (ct && f.consolidated.reported > 0) text(format(t.figures.childrenTraining, { sessions: String(ct.sessions), staff: String(ct.staffInPerson), online: String(ct.staffOnline), citizens: String(ct.citizens) }), { size: 9 })
    y += 6
  }
  text(t.print.narrative, { isBold: true })
  text(s.narrative || t.print.noNarrative)
  y += 6
  text(facts.reviewed)
  y += 12
  ensure(90)
  const signTop = y
  text(t.print.submitter, { isBold: true, align: 'center', w: half })
  y = signTop
  text(t.print.reviewer, { isBold: true, align: 'center', x: MARGIN + half, w: half })
  y += 60
  // The check: the code and the QR code of the public verification address.
  const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const size = 90
  ensure(size + 10)
  const cell = size / n
  const qrTop = y
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c)) page.drawRectangle({ x: MARGIN + c * cell, y: A4.height - qrTop - (r + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) })
  y = qrTop
  text(facts.verify, { size: 9, x: MARGIN + size + 14, w: width - size - 14 })
  return Buffer.from(await doc.save())
}
