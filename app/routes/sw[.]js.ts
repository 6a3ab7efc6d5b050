// /sw.js — the service worker at the site root, so its scope is the whole site. Never cached long:
// a new version must reach phones at their next visit.
import { SERVICE_WORKER_JS } from '~/modules/offline/service-worker'

export function loader() {
  return new Response(SERVICE_WORKER_JS, {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Service-Worker-Allowed': '/',
    },
  })
}
