// The site's public address, in one place. With APP_ORIGIN set it is that, always. Without it, the
// only address there is comes from the request's Host header — which anyone can forge — so:
// - an answer made for one request (a page for a signed-in person, a file they download, a link
//   in a mail an admin sends) may use the request's own origin: the forger only fools themselves;
// - anything kept and served to others (the anonymous page cache, app/server/page-cache.ts) must
//   never hold a host a request chose: pass null, and links stay site-relative ("/courses/…").
// Disk caches whose key includes the origin (offline packs, certificate files) are bounded, so
// forged hosts cannot fill the disk (app/utils/disk-cache.server.ts).
import { getEnv } from './env.server'

export function publicOrigin(request: Request | null): string {
  const configured = getEnv().APP_ORIGIN
  if (configured) return configured
  return request ? new URL(request.url).origin : ''
}
