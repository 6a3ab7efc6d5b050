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
