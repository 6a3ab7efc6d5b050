// Personal templates (docs/decisions/030-signed-in-pages-from-personal-templates.md).
//
// A signed-in page that opts in (`handle.personal = true`) can be rendered once as a TEMPLATE: the
// same React tree, but every personal part marked instead of filled in:
// - <PersonalIf flag="done"> … </PersonalIf> renders its children between two markers, whatever
//   the flag (and <PersonalIf flag="done" not> for the other branch);
// - <PersonalText name="fullName" value={…} /> renders a marker where the value goes (text or
//   attribute alike: it is plain text to React);
// - <PersonalHtml name="myLearning" render={…} /> marks a whole block the fill renders itself.
// Rendered normally (no template), they are exactly `cond ? children : null` and `value`, so the
// page is the same page either way. app/server/personal-pages.ts keeps the template per page,
// language and content version, and fills it per request from the person's few facts (one or two
// SQL statements), without Remix or React on the request's path.
import type { ReactNode } from 'react'
import { useMatches, useRouteLoaderData } from '@remix-run/react'

/** Private-use characters: never in our content or messages, never escaped by React. */
export const MARK_OPEN = '\uE000'
export const MARK_CLOSE = '\uE001'
/** The marker the layout writes first in a template: "this page is a personal template". */
export const TEMPLATE_MARK = `${MARK_OPEN}@personal${MARK_CLOSE}`

export const ifMark = (flag: string, not = false) => `${MARK_OPEN}?${not ? '!' : ''}${flag}${MARK_CLOSE}`
export const endMark = (flag: string, not = false) => `${MARK_OPEN}/${not ? '!' : ''}${flag}${MARK_CLOSE}`
export const valueMark = (name: string) => `${MARK_OPEN}=${name}${MARK_CLOSE}`
export const htmlMark = (name: string) => `${MARK_OPEN}#${name}${MARK_CLOSE}`

/** True while the page is being rendered as a template: the server asked, and the page allows it. */
export function usePersonalTemplate(): boolean {
  const data = useRouteLoaderData<{ personalTemplate?: boolean }>('root')
  const matches = useMatches()
  return data?.personalTemplate === true && pageIsPersonal(matches.map((match) => match.handle))
}

export function PersonalIf({ flag, not = false, when, children }: { flag: string; not?: boolean; when: boolean; children: ReactNode }) {
  const template = usePersonalTemplate()
  if (template) {
    return (
      <>
        {ifMark(flag, not)}
        {children}
        {endMark(flag, not)}
      </>
    )
  }
  return (not ? !when : when) ? <>{children}</> : null
}

export function PersonalText({ name, value }: { name: string; value: string }) {
  return <>{usePersonalTemplate() ? valueMark(name) : value}</>
}

/**
 * A whole personal block (My learning's list): in a template a marker, else what render() gives.
 * render() must be a plain component (no Remix hooks), since the fill renders it outside Remix.
 */
export function PersonalHtml({ name, render }: { name: string; render: () => ReactNode }) {
  return <>{usePersonalTemplate() ? htmlMark(name) : render()}</>
}

/** A value for an attribute: the marker in a template, else the value. */
export function usePersonalValue(name: string, value: string): string {
  return usePersonalTemplate() ? valueMark(name) : value
}

/** The handle of a page that may be served from a personal template. */
export function pageIsPersonal(handles: readonly unknown[]): boolean {
  const leaf = handles[handles.length - 1]
  return typeof leaf === 'object' && leaf !== null && (leaf as { personal?: boolean }).personal === true
}
