// The Open edX export of a course (/courses/<course>/olx.tar.gz): the lessons rendered with the
// lesson page's own components, their pictures and files as static assets, the self-check
// questions (and, for an admin who asks, the graded bank) as problems, the licence — in OLX
// (olx.ts), tarred and gzipped (tar.ts), kept in the packs cache like offline packs and SCORM.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { contentConfig, MEDIA_URL_PREFIX } from '~/modules/content/config.server'
import { LICENCES } from '~/modules/content/constants'
import { findCourse, getContentStore } from '~/modules/content/service.server'
import { SLUG_PATTERN } from '~/modules/content/schema'
import type { AssetManifest, RenderedAsset } from '~/modules/content/types'
import { AppError } from '~/utils/errors'
import { olxFiles, olxRun, type OlxLabels, type OlxLesson } from './olx'
import { cachedArchive, selection } from './pack.server'
import { tarGzipSync } from './tar'

/** Bump when the output of this module changes, so cached archives are rebuilt. */
const OLX_VERSION = 1
const TAR_MTIME = new Date('2026-01-01T00:00:00Z')

export interface OlxRequest {
  courseSlug: string
  /** Lesson slugs to include; empty or undefined means the whole course. */
  lessons?: string[]
  /** Include the course's graded question bank (admins only: the route checks). */
  bank: boolean
  origin: string
  lang: 'vi' | 'en'
  labels: OlxLabels
  attribution: (lesson: { title: string; url: string }) => string
  render: (code: string, assets: AssetManifest) => string
}

export interface BuiltOlx {
  file: string
  bytes: number
  fileName: string
}

/** `/media/<hash>/<file>` → `/static/<hash>-<file>`: Studio keeps a course's files in one flat list. */
export function staticName(mediaUrl: string): string {
  return mediaUrl.slice(MEDIA_URL_PREFIX.length + 1).replace(/\//g, '-')
}

/** The manifest with every file at /static/…, noting the media files to copy. */
function staticAssets(manifest: AssetManifest, media: Set<string>): AssetManifest {
  const to = (url: string) => {
    media.add(url)
    return `/static/${staticName(url)}`
  }
  const out: AssetManifest = {}
  for (const [key, asset] of Object.entries(manifest)) {
    let copy: RenderedAsset
    // One picture per image, the PNG/JPEG at its largest width: Studio rewrites "/static/…" in src
    // and href, not each entry of a srcset, so the WebP <source> is left out of the HTML.
    if (asset.kind === 'image') copy = { ...asset, webp: [], fallback: { ...asset.fallback, url: to(asset.fallback.url) } }
    else copy = { ...asset, url: to(asset.url) }
    out[key] = copy
  }
  return out
}

/**
 * Links into the site (other lessons, courses) made absolute: a unit's address in Open edX is not
 * known before the import. /static/… stays, for Studio to point at the course's files.
 */
export function siteLinks(html: string, origin: string): string {
  return html.replace(/href="(\/(?!static\/)[^"]*)"/g, (_all, href: string) => `href="${origin}${href}"`)
}

export async function buildOlx(request: OlxRequest): Promise<BuiltOlx> {
  const store = await getContentStore()
  const course = findCourse(store, request.courseSlug)
  const lessons = selection(course, request.lessons)
  const { detail } = course
  const key = createHash('sha256')
    .update(JSON.stringify([OLX_VERSION, course.source.contentHash, lessons.map((l) => l.slug), request.bank, request.origin, request.lang]))
    .digest('hex')
    .slice(0, 20)
  const config = contentConfig()
  const file = path.join(config.cacheDir, 'packs', `${detail.slug}-olx-${key}.tar.gz`)
  const part = lessons.length === course.lessons.length ? '' : `-${lessons.length}-bai`
  const fileName = `${detail.slug}${part}${request.bank ? '-ngan-hang' : ''}-olx.tar.gz`
  const built = await cachedArchive(file, () => {
    const media = new Set<string>()
    const olxLessons: OlxLesson[] = lessons.map((l) => {
      const html = request
        .render(l.compiled.code, staticAssets(l.assets, media))
        .replace(/<source type="image\/webp"[^>]*\/?>/g, '')
        .replace(/<\/?picture>/g, '')
      return {
        slug: l.slug,
        title: l.title,
        html: siteLinks(html, request.origin),
        selfCheck: l.selfCheck,
        attribution: request.attribution({ title: l.title, url: `${request.origin}/courses/${detail.slug}/${l.slug}` }),
      }
    })
    const statics = new Map<string, Uint8Array>()
    for (const url of media) statics.set(staticName(url), new Uint8Array(fs.readFileSync(path.join(config.mediaDir, url.slice(MEDIA_URL_PREFIX.length + 1)))))
    const licence = LICENCES[detail.licence]
    const { files } = olxFiles(
      {
        course: { slug: detail.slug, title: detail.title, summary: detail.summary, version: detail.version, licence: detail.licence, licenceName: licence.name, licenceUrl: licence.url, passMark: detail.passMark, lang: request.lang },
        lessons: olxLessons,
        bank: request.bank ? [...course.source.questions.values()] : [],
        statics,
        labels: request.labels,
      },
      `${detail.slug}-${olxRun(detail.version)}`,
    )
    return tarGzipSync(files, TAR_MTIME)
  })
  return { ...built, fileName }
}

// ?lessons=a,b (or lessons=a&lessons=b) and ?bank=1: checked here, a clear 400 for anything else.
const lessonList = z
  .array(z.string().max(120).regex(SLUG_PATTERN))
  .max(200)
export const OlxQuery = z.object({
  lessons: lessonList,
  bank: z.enum(['0', '1']).optional(),
})
export type OlxQuery = { lessons: string[]; bank: boolean }

export function parseOlxQuery(url: URL): OlxQuery {
  const lessons = [...new Set(url.searchParams.getAll('lessons').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))]
  const bankValues = url.searchParams.getAll('bank')
  const parsed = OlxQuery.safeParse({ lessons, bank: bankValues.length > 1 ? bankValues : bankValues[0] })
  if (!parsed.success) {
    throw new AppError('BAD_INPUT', parsed.error.issues[0]!.path[0] === 'bank' ? 'olx.badBank' : 'olx.badLessons')
  }
  return { lessons: parsed.data.lessons, bank: parsed.data.bank === '1' }
}
