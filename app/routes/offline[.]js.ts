// /offline.js — the page script of "save for offline" and of progress marked offline.
import { OFFLINE_PAGE_JS } from '~/modules/offline/service-worker'

export function loader() {
  return new Response(OFFLINE_PAGE_JS, {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  })
}
