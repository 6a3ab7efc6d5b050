// What the pack routes share: a pack request in the reader's language, rendered with the lesson
// page's own MDX components (modules never import components, so the route hands the renderer in).
import { renderMdxToHtml } from '~/components/mdx/render.server'
import { LICENCES } from '~/modules/content/constants'
import { getCourse } from '~/modules/content/service.server'
import type { OlxRequest } from '~/modules/offline/olx.server'
import type { PackKind, PackRequest } from '~/modules/offline/pack.server'
import { keptOrigin } from '~/utils/origin.server'
import { format, localeFromCookieHeader, messagesFor } from '~/utils/i18n'

export async function packRequest(
  request: Request,
  connectionOrigin: string | undefined,
  { courseSlug, kind, lessons }: { courseSlug: string; kind: PackKind; lessons?: string[] },
): Promise<PackRequest> {
  const lang = localeFromCookieHeader(request.headers.get('cookie'))
  const m = messagesFor(lang)
  const { course } = await getCourse({ courseSlug })
  const licence = LICENCES[course.licence]
  return {
    courseSlug,
    lessons,
    kind,
    // Links out of the pack. A pack is kept on disk and served again, so it names keptOrigin():
    // never a host a request chose (and forged hosts make no new packs).
    origin: keptOrigin(request, connectionOrigin),
    lang,
    labels: m.offline.files,
    attribution: ({ title, url }) =>
      format(m.offline.open.attribution, { lesson: title, course: course.title, version: course.version, authors: course.authors.join(', '), url, licence: licence.name, licenceUrl: licence.url }),
    render: (code, assets) => renderMdxToHtml(code, { m: m.content, locale: lang, assets }),
  }
}

/** The Open edX export's request: the pack request's language, renderer and attribution, OLX labels. */
export async function olxRequest(request: Request, connectionOrigin: string | undefined, { courseSlug, lessons, bank }: { courseSlug: string; lessons: string[]; bank: boolean }): Promise<OlxRequest> {
  const pack = await packRequest(request, connectionOrigin, { courseSlug, kind: 'scorm' })
  return { courseSlug, lessons, bank, origin: pack.origin, lang: pack.lang, labels: messagesFor(pack.lang).offline.olx, attribution: pack.attribution, render: pack.render }
}

/** ?lessons=a&lessons=b (or lessons=a,b): the chosen lessons, at most one of each, bounded. */
export function lessonsParam(url: URL): string[] {
  return [...new Set(url.searchParams.getAll('lessons').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))].slice(0, 200)
}

export function zipResponse(file: string, bytes: number, fileName: string, body: BodyInit): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Length': String(bytes),
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'public, max-age=300',
      'X-Pack-File': file.split('/').pop()!,
    },
  })
}
