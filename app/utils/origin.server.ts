// The site's public address, in one place. With APP_ORIGIN set it is that, always. Without it, the
// only address there is comes from the request's Host header — which anyone can forge — so:
// - an answer made for one request (a page for a signed-in person, a file they download, a link
//   in a mail an admin sends) may use the request's own origin: the forger only fools themselves;
// - anything kept and served to others (the anonymous page cache, app/server/page-cache.ts) must
//   never hold a host a request chose: pass null, and links stay site-relative ("/courses/…").
// - files kept on disk and served again (offline packs, certificate PDF/PNG/QR and credentials):
//   packs link site-relative (publicOrigin(null)); a certificate must name an absolute address, so
//   it takes keptOrigin(): the request's own host only when it is the address the connection
//   reached (or localhost on a loopback connection), else that address itself. A forged Host
//   header never reaches a file. Those disk caches are bounded too (app/utils/disk-cache.server.ts).
import { getEnv } from './env.server'

export function publicOrigin(request: Request | null): string {
  const configured = getEnv().APP_ORIGIN
  if (configured) return configured
  return request ? new URL(request.url).origin : ''
}

/** localhost and the loopback addresses: a browser on the server's own machine. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

/**
 * The origin a certificate names (its verification URL and QR code, its signed credential):
 * APP_ORIGIN; behind a trusted proxy, the host it forwards; else the request's host only if it is
 * the address the connection reached (or localhost when that address is a loopback one), and
 * otherwise the address the connection reached. Never a host a request merely chose.
 */
export function keptOrigin(request: Request, connectionOrigin: string | undefined): string {
  const env = getEnv()
  if (env.APP_ORIGIN) return env.APP_ORIGIN
  const asked = new URL(request.url)
  if (env.TRUST_PROXY || !connectionOrigin) return asked.origin
  const reached = new URL(connectionOrigin)
  if (asked.host === reached.host) return asked.origin
  if (asked.port === reached.port && LOOPBACK.test(asked.hostname) && LOOPBACK.test(reached.hostname)) return asked.origin
  return reached.origin
}
