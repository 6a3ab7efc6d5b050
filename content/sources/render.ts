// Renders the sample course's raster images from their SVG sources (fonts: DejaVu, which has every
// Vietnamese letter). Run from the project folder: npx tsx content/sources/render.ts
import path from 'node:path'
import sharp from 'sharp'

const lessons = path.resolve('content/courses/lam-quen-ban-so')
const images: [string, string][] = [
  ['do-manh-mat-khau.svg', '02-mat-khau-manh/do-manh-mat-khau.png'],
  ['danh-sach-khoa-hoc.svg', '01-hoc-tren-ban-so/danh-sach-khoa-hoc.png'],
]
for (const [source, target] of images) {
  await sharp(path.resolve('content/sources', source), { density: 144 })
    .resize({ width: source.startsWith('do-manh') ? 1600 : 720 })
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(lessons, target))
  console.log(`${source} → ${target}`)
}
