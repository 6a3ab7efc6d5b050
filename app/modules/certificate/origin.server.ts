// The origin printed on certificates and in credentials: the app's one publicOrigin() for pages,
// keptOrigin() for the files (never a host a request chose: app/utils/origin.server.ts).
export { keptOrigin, publicOrigin } from '~/utils/origin.server'

/** attachment; filename="ascii" and filename*=UTF-8''… (RFC 6266), so every browser gets a good name. */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (d) => (d === 'đ' ? 'd' : 'D'))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.normalize('NFC'))}`
}
