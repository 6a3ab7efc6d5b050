import { getEnv } from '~/utils/env.server'

/** The public origin printed on certificates and in credentials: APP_ORIGIN, else the request's own. */
export function publicOrigin(request: Request): string {
  return getEnv().APP_ORIGIN ?? new URL(request.url).origin
}

/** attachment; filename="ascii" and filename*=UTF-8''… (RFC 6266), so every browser gets a good name. */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (d) => (d === 'đ' ? 'd' : 'D'))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.normalize('NFC'))}`
}
