// Which content store the process serves: a number that changes each time the store is replaced
// (at start, on a content reload), so anything derived from the content — a cached page — can be
// keyed by it and never outlive the content it was made from. Kept on globalThis: the HTTP server
// and the Remix build load this module separately (app/utils/singleton.server.ts).
import { singleton } from '~/utils/singleton.server'

const version = singleton('content-version', () => ({ n: 0 }))

export function contentVersion(): number {
  return version.n
}

export function bumpContentVersion(): number {
  return ++version.n
}
