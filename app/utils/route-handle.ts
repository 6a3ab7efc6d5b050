/**
 * What a route can say about itself through `export const handle`.
 * `js: false` — the page works without JavaScript and ships none (light pages for slow links).
 * `personal: true` — a signed-in person's page may be served from a personal template
 *   (app/utils/personal-template.tsx): every personal part of it is marked.
 */
export interface RouteHandle {
  js?: boolean
  personal?: boolean
}

export function pageWantsNoJs(handles: readonly unknown[]): boolean {
  return handles.some((h) => typeof h === 'object' && h !== null && (h as RouteHandle).js === false)
}
