// The personal facts cache (docs/decisions/030, amendment 2026-12-08).
//
// A signed-in page's facts (the session row, the person, roles, unread notifications, progress,
// My learning's overview) were read with one SQL statement per page: the round trip and the
// server's work for it were most of what a signed-in page still cost. This process now keeps them
// in memory, and forgets them when the database says they changed:
// - Triggers on every table the facts are read from (migration 20261208000000) NOTIFY channel
//   `personal_facts` at commit with the people concerned, or '*' for everyone. Every process
//   LISTENs (its own direct connection, docs/decisions/025) and drops those people's entries.
// - A fetch that began before an invalidation of its person is not kept (the ticket), so an answer
//   read on an older snapshot never outlives the notification that made it old.
// - While the LISTEN connection is down nothing is kept and nothing is served from memory; when it
//   is back everything is forgotten (notifications sent meanwhile are lost).
// - The person's own writes are seen at once, whichever process served them: every POST with a
//   session gets a new write stamp cookie (WRITE_STAMP_COOKIE), and an entry is served only to the
//   stamp it was read for. Another person's writes (an administrator's grant, a job's notification)
//   are seen when the notification arrives — in milliseconds.
// - Every entry also ends after ttlMs (PERSONAL_FACTS_SECONDS), whatever happens.
// On PGlite (one process, no LISTEN connection) the cache is off: every page reads its facts.
import { randomUUID } from 'node:crypto'
import type { Database } from '~/utils/db.server'

export const PERSONAL_CHANNEL = 'personal_facts'
/** Set anew on every POST with a session (app/server/http.ts): the person's writes since then are theirs to see. */
export const WRITE_STAMP_COOKIE = 'banso_w'

interface Entry {
  value: unknown
  userId: string
  stamp: string
  until: number
}

export interface FactsCache {
  /** Whether entries are kept and served now (the LISTEN connection is up). */
  enabled(): boolean
  get<T>(key: string, stamp: string, now?: number): T | undefined
  /** A ticket for a fetch about to start: set() with it keeps nothing if the person was invalidated since. */
  ticket(): number
  set(key: string, entry: { userId: string; stamp: string; value: unknown; untilMs?: number }, ticket: number, now?: number): void
  /** People whose facts changed ('*': everyone). */
  invalidate(people: string[] | '*'): void
  size(): number
  close(): Promise<void>
}

export interface FactsCacheOptions {
  ttlMs: number
  maxEntries?: number
  warn?: (line: string) => void
}

/** The cache by itself, connected or not: the LISTEN side is attached by connectFactsCache. */
export function createFactsCache({ ttlMs, maxEntries = 20_000 }: FactsCacheOptions): FactsCache & { setConnected(up: boolean): void } {
  const entries = new Map<string, Entry>()
  const byUser = new Map<string, Set<string>>()
  let connected = false
  /** Invalidations so far; a ticket is the count when its fetch began. */
  let epoch = 0
  let allSince = 0
  const userSince = new Map<string, number>()

  const remove = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    const keys = byUser.get(entry.userId)
    keys?.delete(key)
    if (keys && !keys.size) byUser.delete(entry.userId)
  }
  const clear = () => {
    epoch++
    allSince = epoch
    entries.clear()
    byUser.clear()
    userSince.clear()
  }

  return {
    enabled: () => connected,
    setConnected(up) {
      clear()
      connected = up
    },
    get<T>(key: string, stamp: string, now = Date.now()) {
      if (!connected) return undefined
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.until <= now || entry.stamp !== stamp) {
        remove(key)
        return undefined
      }
      return entry.value as T
    },
    ticket: () => epoch,
    set(key, { userId, stamp, value, untilMs }, ticket, now = Date.now()) {
      if (!connected || ticket < allSince || ticket < (userSince.get(userId) ?? 0)) return
      remove(key)
      while (entries.size >= maxEntries) remove(entries.keys().next().value!)
      entries.set(key, { value, userId, stamp, until: Math.min(now + ttlMs, untilMs ?? Infinity) })
      let keys = byUser.get(userId)
      if (!keys) byUser.set(userId, (keys = new Set()))
      keys.add(key)
    },
    invalidate(people) {
      if (people === '*') return clear()
      epoch++
      // Bounded: past this many people, forget them all at once (a ticket older than now is then refused).
      if (userSince.size > maxEntries * 2) {
        clear()
        return
      }
      for (const userId of people) {
        userSince.set(userId, epoch)
        for (const key of [...(byUser.get(userId) ?? [])]) remove(key)
      }
    },
    size: () => entries.size,
    close: async () => {
      connected = false
      clear()
    },
  }
}

/** A payload of the triggers: comma-separated user ids, or '*'. Anything else: everyone. */
export function peopleOf(payload: string): string[] | '*' {
  if (payload === '*' || !payload) return '*'
  const ids = payload.split(',')
  return ids.every((id) => /^[0-9a-f-]{36}$/i.test(id)) ? ids : '*'
}

/**
 * The cache of this process, on the database's notifications. Off (never enabled) on a database
 * without a LISTEN connection (PGlite). Enabled once LISTEN is up AND has been seen to work: `ping`
 * sends a notification of its own on the channel (through the ordinary pool), and only its arrival
 * turns the cache on — a LISTEN that hears nothing (through PgBouncer in transaction mode, say)
 * would otherwise keep facts whose changes never arrive. Tried again every 30 s until it works.
 * Off while the connection is down; forgotten and confirmed again when it is back.
 */
export function connectFactsCache(db: Pick<Database, 'listen'>, options: FactsCacheOptions & { ping?: (payload: string) => Promise<void> }): FactsCache {
  const cache = createFactsCache(options)
  const warn = options.warn ?? ((line: string) => console.warn(line))
  let closed = false
  let pending: string | null = null
  let retry: ReturnType<typeof setTimeout> | undefined
  let warned = false
  const confirm = () => {
    clearTimeout(retry)
    if (closed) return
    if (!options.ping) return cache.setConnected(true)
    const token = `ping:${randomUUID()}`
    pending = token
    options.ping(token).catch((error: Error) => warn(`[personal] không gửi được thông báo thử trên ${PERSONAL_CHANNEL}: ${error.message}`))
    retry = setTimeout(() => {
      if (pending !== token || closed) return
      if (!warned) warn(`[personal] kết nối LISTEN ${PERSONAL_CHANNEL} không nhận được thông báo thử (PgBouncer ở chế độ transaction? hãy đặt DATABASE_LISTEN_URL): dữ liệu cá nhân không được giữ trong bộ nhớ; thử lại sau 30 giây.`)
      warned = true
      confirm()
    }, 30_000)
    retry.unref?.()
  }
  const listening = db
    .listen(
      PERSONAL_CHANNEL,
      (payload) => {
        // Pings (this process's or another's) say nothing about anyone's facts.
        if (payload.startsWith('ping:')) {
          if (payload === pending && !closed) {
            pending = null
            clearTimeout(retry)
            cache.setConnected(true)
          }
          return
        }
        cache.invalidate(peopleOf(payload))
      },
      {
        warn,
        onLost: () => {
          pending = null
          cache.setConnected(false)
        },
        onReconnect: () => {
          cache.setConnected(false)
          confirm()
        },
      },
    )
    .then((listener) => {
      if (listener) confirm()
      return listener
    })
    .catch((error: Error) => {
      warn(`[personal] không mở được kết nối LISTEN ${PERSONAL_CHANNEL} (${error.message}): mỗi trang đọc dữ liệu cá nhân từ cơ sở dữ liệu.`)
      return null
    })
  return {
    ...cache,
    close: async () => {
      closed = true
      clearTimeout(retry)
      await cache.close()
      await (await listening)?.close()
    },
  }
}
