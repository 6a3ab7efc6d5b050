// The public origin printed on certificates and in credentials is the app's one publicOrigin().
export { publicOrigin } from '~/utils/origin.server'

/** attachment; filename="ascii" and filename*=UTF-8''… (RFC 6266), so every browser gets a good name. */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (d) => (d === 'đ' ? 'd' : 'D'))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.normalize('NFC'))}`
}
