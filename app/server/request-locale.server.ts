// The language of the request being served, for what is formatted far from the route: domain
// errors (AppError.message). The server code is loaded twice in one process (tsx and the Remix
// build), so the store is a process singleton and the reader a global, as in singleton.server.ts.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { NextFunction, Request, Response } from 'express'
import { localeFromCookieHeader, type Locale } from '~/utils/i18n'
import { singleton } from '~/utils/singleton.server'

const store = singleton('request-locale', () => new AsyncLocalStorage<Locale>())
;(globalThis as { __bansoRequestLocale?: () => string | undefined }).__bansoRequestLocale = () => store.getStore()

/** Express middleware: what follows runs in the request's language (the `lang` cookie). */
export function requestLocale() {
  return (req: Request, _res: Response, next: NextFunction) => store.run(localeFromCookieHeader(req.get('cookie') ?? null), next)
}

/** Runs `fn` as if serving a request in `locale` (tests, scripts). */
export function inLocale<T>(locale: Locale, fn: () => T): T {
  return store.run(locale, fn)
}
