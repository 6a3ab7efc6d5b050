// Lessons rendered to a plain HTML string with the same component map as the lesson page: for the
// classroom view (one section per screen), offline packs and SCORM packages.
import { renderToStaticMarkup } from 'react-dom/server'
import { MdxContent, type MdxContext } from './index'

export function renderMdxToHtml(code: string, context: MdxContext): string {
  return renderToStaticMarkup(<MdxContent code={code} context={context} />)
}

/**
 * A lesson's HTML cut at its `##` headings: the part before the first heading (if any), then one
 * part per section. Headings are top-level elements of the rendered MDX, so the cut is clean.
 */
export function splitSections(html: string): string[] {
  return html
    .split(/(?=<h2[\s>])/)
    .map((part) => part.trim())
    .filter((part) => part.replace(/<[^>]+>/g, '').trim() !== '')
}

// A lesson as a page shows it before any check-yourself answer is the same HTML for everyone with
// that language, until the content is replaced: rendered once, then read from here. Signed-in
// pages cannot be cached whole (name, progress), but their largest part can.
// Each entry keeps the code it was rendered from: a loader reads the store, then awaits (the
// session), then the version, so a reload in between would otherwise file the old lesson's HTML
// under the new version (docs/decisions/025, "content reload").
const rendered = new Map<string, { code: string; html: string }>()
let renderedVersion = -1

export function renderLessonHtmlCached({ key, version, code, context }: { key: string; version: number; code: string; context: MdxContext }): string {
  if (version !== renderedVersion) {
    rendered.clear()
    renderedVersion = version
  }
  const id = `${context.locale}\n${context.action ?? ''}\n${key}`
  const hit = rendered.get(id)
  if (hit && hit.code === code) return hit.html
  const html = renderMdxToHtml(code, { ...context, check: {} })
  if (rendered.size >= 1000) rendered.clear()
  rendered.set(id, { code, html })
  return html
}
