// Files beside lessons, made ready for slow links: raster images become WebP at a few widths plus
// one JPEG/PNG fallback, with their size known (no layout shift); SVG diagrams and downloads are
// copied as they are. Every output sits in a folder named by a hash of its source, so its URL can
// be cached for a year and a changed image gets a new URL. Work already done is never redone.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { MEDIA_URL_PREFIX } from './config.server'
import type { AssetRef } from './mdx-check.server'
import type { RenderedAsset } from './types'

/** Widths of the WebP variants; an image is never enlarged past its own width. */
export const IMAGE_WIDTHS = [480, 960, 1440] as const
const IMAGES_VERSION = 'img-1'

// Two cores: one image at a time keeps the server responsive while it warms up.
sharp.concurrency(1)

export interface ImageStats {
  generated: number
  reused: number
}

function hashFile(absPath: string): string {
  return createHash('sha256').update(IMAGES_VERSION).update(fs.readFileSync(absPath)).digest('hex').slice(0, 16)
}

export async function publishAsset(asset: AssetRef, mediaDir: string, stats: ImageStats = { generated: 0, reused: 0 }): Promise<RenderedAsset> {
  const hash = hashFile(asset.absPath)
  const dir = path.join(mediaDir, hash)
  const name = path.basename(asset.absPath)
  const stem = name.replace(/\.[^.]+$/, '')
  const url = (file: string) => `${MEDIA_URL_PREFIX}/${hash}/${file}`
  const manifestFile = path.join(dir, `${stem}.${asset.kind}.json`)
  try {
    const done = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RenderedAsset
    stats.reused++
    return done
  } catch {
    // not published yet
  }
  fs.mkdirSync(dir, { recursive: true })
  let rendered: RenderedAsset
  if (asset.kind === 'file') {
    fs.copyFileSync(asset.absPath, path.join(dir, name))
    rendered = { kind: 'file', url: url(name), bytes: fs.statSync(asset.absPath).size, name }
  } else if (asset.kind === 'svg') {
    fs.copyFileSync(asset.absPath, path.join(dir, name))
    const meta = await sharp(asset.absPath).metadata()
    rendered = { kind: 'svg', url: url(name), width: meta.width, height: meta.height }
  } else {
    const input = sharp(asset.absPath).rotate() // honour the camera's orientation
    const meta = await input.metadata()
    const upright = (meta.orientation ?? 1) >= 5
    const width = (upright ? meta.height : meta.width) ?? 0
    const height = (upright ? meta.width : meta.height) ?? 0
    const widths = [...new Set(IMAGE_WIDTHS.map((w) => Math.min(w, width)))]
    const webp: { url: string; width: number }[] = []
    for (const w of widths) {
      const file = `${stem}-${w}.webp`
      await input.clone().resize({ width: w }).webp({ quality: 75 }).toFile(path.join(dir, file))
      webp.push({ url: url(file), width: w })
    }
    const largest = widths[widths.length - 1]!
    const png = meta.format === 'png'
    const fallbackFile = `${stem}-${largest}.${png ? 'png' : 'jpg'}`
    const resized = input.clone().resize({ width: largest })
    await (png ? resized.png({ compressionLevel: 9 }) : resized.jpeg({ quality: 78, mozjpeg: true })).toFile(path.join(dir, fallbackFile))
    rendered = {
      kind: 'image',
      width: largest,
      height: Math.round((height * largest) / width),
      webp,
      fallback: { url: url(fallbackFile), type: png ? 'image/png' : 'image/jpeg' },
    }
  }
  const tmp = `${manifestFile}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(rendered))
  fs.renameSync(tmp, manifestFile)
  stats.generated++
  return rendered
}
