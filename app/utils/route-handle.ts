/**
 * What a route can say about itself through `export const handle`.
 * `js: false` — the page works without JavaScript and ships none (light pages for slow links).
 */
export interface RouteHandle {
  js?: boolean
}

export function pageWantsNoJs(handles: readonly unknown[]): boolean {
  return handles.some((h) => typeof h === 'object' && h !== null && (h as RouteHandle).js === false)
}
