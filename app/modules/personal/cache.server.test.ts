import { describe, expect, it } from 'vitest'
import { connectFactsCache, createFactsCache, peopleOf } from './cache.server'

const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'

function connected(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const cache = createFactsCache({ ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries })
  cache.setConnected(true)
  return cache
}

describe('the personal facts cache', () => {
  it('keeps nothing and serves nothing while not connected, and forgets all on (re)connection', () => {
    const cache = createFactsCache({ ttlMs: 60_000 })
    cache.set('k', { userId: A, stamp: '', value: 1 }, cache.ticket())
    expect(cache.get('k', '')).toBeUndefined()
    cache.setConnected(true)
    cache.set('k', { userId: A, stamp: '', value: 1 }, cache.ticket())
    expect(cache.get('k', '')).toBe(1)
    cache.setConnected(false)
    expect(cache.get('k', '')).toBeUndefined()
    cache.setConnected(true)
    expect(cache.get('k', '')).toBeUndefined()
  })

  it('serves an entry only to the write stamp it was read for', () => {
    const cache = connected()
    cache.set('k', { userId: A, stamp: 's1', value: 1 }, cache.ticket())
    expect(cache.get('k', 's2')).toBeUndefined()
    // …and a newer stamp drops it: the old one never comes back.
    expect(cache.get('k', 's1')).toBeUndefined()
  })

  it("drops a person's entries on their notification, and only theirs", () => {
    const cache = connected()
    const t = cache.ticket()
    cache.set('a1', { userId: A, stamp: '', value: 1 }, t)
    cache.set('a2', { userId: A, stamp: '', value: 2 }, t)
    cache.set('b', { userId: B, stamp: '', value: 3 }, t)
    cache.invalidate([A])
    expect(cache.get('a1', '')).toBeUndefined()
    expect(cache.get('a2', '')).toBeUndefined()
    expect(cache.get('b', '')).toBe(3)
    cache.invalidate('*')
    expect(cache.get('b', '')).toBeUndefined()
  })

  it('does not keep a read that began before an invalidation of its person (an older snapshot)', () => {
    const cache = connected()
    const before = cache.ticket()
    cache.invalidate([A])
    cache.set('a', { userId: A, stamp: '', value: 'old' }, before)
    expect(cache.get('a', '')).toBeUndefined()
    // Another person's read of the same moment is kept; after '*' nobody's is.
    cache.set('b', { userId: B, stamp: '', value: 'fine' }, before)
    expect(cache.get('b', '')).toBe('fine')
    const beforeAll = cache.ticket()
    cache.invalidate('*')
    cache.set('b', { userId: B, stamp: '', value: 'old' }, beforeAll)
    expect(cache.get('b', '')).toBeUndefined()
    const after = cache.ticket()
    cache.set('a', { userId: A, stamp: '', value: 'new' }, after)
    expect(cache.get('a', '')).toBe('new')
  })

  it('ends entries after the time to live, or earlier where the entry says', () => {
    const cache = connected({ ttlMs: 1000 })
    cache.set('a', { userId: A, stamp: '', value: 1 }, cache.ticket(), 0)
    cache.set('b', { userId: B, stamp: '', value: 2, untilMs: 300 }, cache.ticket(), 0)
    expect(cache.get('a', '', 999)).toBe(1)
    expect(cache.get('a', '', 1000)).toBeUndefined()
    expect(cache.get('b', '', 299)).toBe(2)
    expect(cache.get('b', '', 300)).toBeUndefined()
  })

  it('holds at most maxEntries, the oldest going first', () => {
    const cache = connected({ maxEntries: 3 })
    for (const key of ['1', '2', '3', '4']) cache.set(key, { userId: A, stamp: '', value: key }, cache.ticket())
    expect(cache.size()).toBe(3)
    expect(cache.get('1', '')).toBeUndefined()
    expect(cache.get('4', '')).toBe('4')
  })

  it("reads the triggers' payloads; anything unexpected means everyone", () => {
    expect(peopleOf(`${A},${B}`)).toEqual([A, B])
    expect(peopleOf('*')).toBe('*')
    expect(peopleOf('')).toBe('*')
    expect(peopleOf('x; DROP')).toBe('*')
  })

  it('is never on without a LISTEN connection (PGlite), and follows the connection when there is one', async () => {
    const off = connectFactsCache({ listen: async () => null }, { ttlMs: 60_000 })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(off.enabled()).toBe(false)

    let notify: (payload: string) => void = () => undefined
    let hooks: { onLost?: () => void; onReconnect?: () => void } = {}
    let closed = false
    const on = connectFactsCache(
      {
        listen: async (_channel, onNotification, options) => {
          notify = onNotification
          hooks = options ?? {}
          return { close: async () => void (closed = true) }
        },
      },
      { ttlMs: 60_000, warn: () => undefined },
    )
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(on.enabled()).toBe(true)
    on.set('a', { userId: A, stamp: '', value: 1 }, on.ticket())
    notify(A)
    expect(on.get('a', '')).toBeUndefined()
    hooks.onLost?.()
    expect(on.enabled()).toBe(false)
    hooks.onReconnect?.()
    expect(on.enabled()).toBe(true)
    await on.close()
    expect(closed).toBe(true)
    expect(on.enabled()).toBe(false)
  })

  it('is on only once its own test notification has come back through LISTEN (a LISTEN that hears nothing keeps it off)', async () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
    // A LISTEN that is up but hears nothing (through PgBouncer in transaction mode, say).
    const sent: string[] = []
    const deaf = connectFactsCache({ listen: async () => ({ close: async () => undefined }) }, { ttlMs: 60_000, warn: () => undefined, ping: async (p) => void sent.push(p) })
    await tick()
    expect(sent).toHaveLength(1)
    expect(deaf.enabled()).toBe(false)
    await deaf.close()

    // One that hears: the ping comes back and turns it on; another process's ping changes nothing.
    let deliver: (payload: string) => void = () => undefined
    const echo = connectFactsCache(
      {
        listen: async (_channel, onNotification) => {
          deliver = onNotification
          return { close: async () => undefined }
        },
      },
      { ttlMs: 60_000, warn: () => undefined, ping: async (p) => void setTimeout(() => deliver(p), 0) },
    )
    await tick()
    expect(echo.enabled()).toBe(false)
    await tick()
    expect(echo.enabled()).toBe(true)
    echo.set('a', { userId: A, stamp: '', value: 1 }, echo.ticket())
    deliver('ping:someone-else')
    expect(echo.get('a', '')).toBe(1)
    await echo.close()
  })
})
