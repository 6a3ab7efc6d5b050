// Offline lesson packs and SCORM packages of a course: the lessons rendered to plain HTML with the
// lesson page's own components, their images and practice files copied in, links made relative,
// a licence page, and self-check questions that grade in the page. Built once per (content hash,
// selection, kind, language, site address) and kept on disk, so the size can be shown before the
// download and a second download costs nothing.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { strToU8, zipSync, type Zippable } from 'fflate'
import { contentConfig, MEDIA_URL_PREFIX } from '~/modules/content/config.server'
import { LICENCES } from '~/modules/content/constants'
import { findCourse, getContentStore, type PublishedCourse } from '~/modules/content/service.server'
import type { AssetManifest, RenderedAsset } from '~/modules/content/types'
import { noteCacheWrite, touchCached } from '~/utils/disk-cache.server'
import { getEnv } from '~/utils/env.server'
import { AppError } from '~/utils/errors'
import { SCORM_JS, SELF_CHECK_JS } from './client-scripts'
import { indexPage, lessonFile, lessonPage, licencePage, PACK_CSS, type PackCourse, type PackLabels, type PackLesson } from './page'
import { scormManifest } from './scorm'

/** Bump when the output of this module changes, so cached packs are rebuilt. */
const PACK_VERSION = 3
/** Fixed dates in the ZIP: the same content gives the same bytes. */
const ZIP_MTIME = new Date('2026-01-01T00:00:00Z')
/** Pictures in a pack: WebP up to this width (plus the PNG/JPEG fallback); wider ones stay online. */
const PACK_MAX_WEBP_WIDTH = 960

export type PackKind = 'offline' | 'scorm'

export interface PackRequest {
  courseSlug: string
  /** Lesson slugs to include; empty or undefined means the whole course. */
  lessons?: string[]
  kind: PackKind
  /** The site's address, for links that lead out of the pack (other courses). */
  origin: string
  lang: 'vi' | 'en'
  labels: PackLabels
  attribution: (lesson: { title: string; url: string }) => string
  /** Renders a lesson's compiled MDX with the lesson page's components (injected by the route). */
  render: (code: string, assets: AssetManifest) => string
}

export interface BuiltPack {
  file: string
  bytes: number
  fileName: string
  lessons: number
}

export function selection(course: PublishedCourse, wanted: string[] | undefined) {
  if (!wanted?.length) return course.lessons
  const known = new Set(course.lessons.map((l) => l.slug))
  const unknown = wanted.filter((w) => !known.has(w))
  if (unknown.length) throw new AppError('BAD_INPUT', 'offline.unknownLesson', { lesson: unknown[0]!, course: course.detail.slug })
  const set = new Set(wanted)
  return course.lessons.filter((l) => set.has(l.slug))
}

/** `/media/<hash>/<file>` → `media/<hash>/<file>`, noting each file to copy. */
function relativeAssets(manifest: AssetManifest, files: Set<string>): AssetManifest {
  const rel = (url: string) => {
    files.add(url)
    return url.slice(1)
  }
  const out: AssetManifest = {}
  for (const [key, asset] of Object.entries(manifest)) {
    let copy: RenderedAsset
    if (asset.kind === 'image') {
      const small = asset.webp.filter((v) => v.width <= PACK_MAX_WEBP_WIDTH)
      const webp = (small.length ? small : asset.webp.slice(0, 1)).map((v) => ({ ...v, url: rel(v.url) }))
      copy = { ...asset, webp, fallback: { ...asset.fallback, url: rel(asset.fallback.url) } }
    } else {
      copy = { ...asset, url: rel(asset.url) }
    }
    out[key] = copy
  }
  return out
}

/** Links of the rendered lesson: to lessons in the pack → their file; anything else on the site → absolute. */
function relativeLinks(html: string, courseSlug: string, included: Set<string>, origin: string): string {
  return html.replace(/href="(\/[^"]*)"/g, (_all, href: string) => {
    const match = /^\/courses\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?\/?(#[^"]*)?$/.exec(href)
    if (match && match[1] === courseSlug) {
      if (!match[2]) return `href="index.html${match[3] ?? ''}"`
      if (included.has(match[2])) return `href="${lessonFile(match[2])}${match[3] ?? ''}"`
    }
    return `href="${origin}${href}"`
  })
}

/** The pack, from the disk cache or built now. Concurrent requests for the same pack build it once. */
export async function buildPack(request: PackRequest): Promise<BuiltPack> {
  const store = await getContentStore()
  const course = findCourse(store, request.courseSlug)
  const lessons = selection(course, request.lessons)
  const key = createHash('sha256')
    .update(JSON.stringify([PACK_VERSION, request.kind, course.source.contentHash, lessons.map((l) => l.slug), request.origin, request.lang]))
    .digest('hex')
    .slice(0, 20)
  const config = contentConfig()
  const dir = path.join(config.cacheDir, 'packs')
  const name = `${course.detail.slug}${request.kind === 'scorm' ? '-scorm12' : ''}-${key}.zip`
  const file = path.join(dir, name)
  const fileName = request.kind === 'scorm' ? `${course.detail.slug}-scorm12.zip` : `${course.detail.slug}${lessons.length === course.lessons.length ? '' : `-${lessons.length}-bai`}.zip`
  const built = await cachedArchive(file, () => assemble(course, lessons, request, config.mediaDir))
  return { ...built, fileName, lessons: lessons.length }
}

const building = new Map<string, Promise<{ file: string; bytes: number }>>()

/**
 * An archive kept in the packs cache (CONTENT_CACHE_DIR/packs): the file if it is there, else built
 * now, written whole (a reader never sees half a file) and the cache bounded. Concurrent requests
 * for the same file build it once. Shared by offline packs, SCORM and Open edX (olx.server.ts).
 */
export async function cachedArchive(file: string, build: () => Uint8Array): Promise<{ file: string; bytes: number }> {
  if (fs.existsSync(file)) {
    touchCached(file) // the most recently used: the last to be pruned
    return { file, bytes: fs.statSync(file).size }
  }
  let pending = building.get(file)
  if (!pending) {
    const dir = path.dirname(file)
    pending = Promise.resolve()
      .then(() => {
        const bytes = build()
        fs.mkdirSync(dir, { recursive: true })
        const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
        fs.writeFileSync(tmp, bytes)
        fs.renameSync(tmp, file)
        const env = getEnv()
        void noteCacheWrite(dir, { maxFiles: env.PACK_CACHE_MAX_FILES, maxBytes: env.PACK_CACHE_MAX_MB * 1024 * 1024 }, { keep: file, bytes: bytes.length })
        return { file, bytes: bytes.length }
      })
      .finally(() => building.delete(file))
    building.set(file, pending)
  }
  return pending
}

function assemble(course: PublishedCourse, lessons: PublishedCourse['lessons'], request: PackRequest, mediaDir: string): Uint8Array {
  const { detail } = course
  const licence = LICENCES[detail.licence]
  const packCourse: PackCourse = { slug: detail.slug, title: detail.title, summary: detail.summary, lang: request.lang, licenceName: licence.name, licenceUrl: licence.url }
  const included = new Set(lessons.map((l) => l.slug))
  const media = new Set<string>()
  const packLessons: PackLesson[] = lessons.map((l) => {
    const html = request.render(l.compiled.code, relativeAssets(l.assets, media))
    return {
      slug: l.slug,
      title: l.title,
      summary: l.summary,
      minutes: l.minutes,
      html: relativeLinks(html, detail.slug, included, request.origin),
      selfCheck: l.selfCheck,
      attribution: request.attribution({ title: l.title, url: `${request.origin}/courses/${detail.slug}/${l.slug}` }),
    }
  })
  const files: Record<string, Uint8Array> = {
    'index.html': strToU8(indexPage({ course: packCourse, lessons: packLessons, labels: request.labels })),
    'giay-phep.html': strToU8(licencePage({ course: packCourse, lessons: packLessons, labels: request.labels })),
    'style.css': strToU8(PACK_CSS),
    'self-check.js': strToU8(SELF_CHECK_JS),
  }
  packLessons.forEach((lesson, i) => {
    files[lessonFile(lesson.slug)] = strToU8(lessonPage({ course: packCourse, lesson, previous: packLessons[i - 1], next: packLessons[i + 1], labels: request.labels, mode: request.kind }))
  })
  for (const url of media) {
    const rel = url.slice(MEDIA_URL_PREFIX.length + 1)
    files[`media/${rel}`] = fs.readFileSync(path.join(mediaDir, rel))
  }
  if (request.kind === 'scorm') {
    files['scorm.js'] = strToU8(SCORM_JS)
    files['imsmanifest.xml'] = strToU8(scormManifest({ course: detail, lessons: packLessons, files: Object.keys(files) }))
  }
  // The offline pack unzips into one folder; a SCORM package must have imsmanifest.xml at its root.
  const root = request.kind === 'scorm' ? '' : `${detail.slug}/`
  const zippable: Zippable = {}
  for (const [name, bytes] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    // Images and ZIP-based practice files are compressed already.
    const stored = /\.(webp|png|jpe?g|docx|xlsx|pptx|zip|pdf)$/.test(name)
    zippable[root + name] = [bytes, { mtime: ZIP_MTIME, level: stored ? 0 : 9 }]
  }
  return zipSync(zippable)
}

export function formatBytes(bytes: number, locale: 'vi' | 'en'): string {
  const nf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })
  if (bytes < 1024 * 1024) return `${nf.format(Math.max(1, Math.round(bytes / 1024)))} KB`
  return `${nf.format(bytes / 1024 / 1024)} MB`
}
