// The server code is loaded twice in one process: once by the HTTP server (tsx) and once inside
// the Remix build. Process-wide objects (the database) are kept on globalThis so both see one.
const store = globalThis as unknown as { __bansoSingletons?: Map<string, unknown> }

export function singleton<T>(name: string, create: () => T): T {
  store.__bansoSingletons ??= new Map()
  if (!store.__bansoSingletons.has(name)) store.__bansoSingletons.set(name, create())
  return store.__bansoSingletons.get(name) as T
}

export function getSingleton<T>(name: string): T | undefined {
  return store.__bansoSingletons?.get(name) as T | undefined
}

export function setSingleton<T>(name: string, value: T | undefined): void {
  store.__bansoSingletons ??= new Map()
  if (value === undefined) store.__bansoSingletons.delete(name)
  else store.__bansoSingletons.set(name, value)
}
