// One i18n layer: Vietnamese by default, English as the second locale. Messages are typed objects,
// so a missing translation is a type error, not a blank on the page.
import { useRouteLoaderData } from '@remix-run/react'
import { en } from '~/locales/en'
import type { Messages } from '~/locales/types'
import { vi } from '~/locales/vi'

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'vi'
export const LOCALE_COOKIE = 'lang'

const MESSAGES: Record<Locale, Messages> = { vi, en }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale]
}

// Intl formatters are costly to make (tens of microseconds each) and immutable: one per locale and style.
const numberFormats = new Map<string, Intl.NumberFormat>()
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()

function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale)
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)))
  return f
}

/** Fills `{name}` placeholders. Numbers are written the way the locale writes them. */
export function format(template: string, params: Record<string, string | number>, locale: Locale = DEFAULT_LOCALE): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key]
    if (value === undefined) return whole
    return typeof value === 'number' ? numberFormat(locale).format(value) : value
  })
}

/** The locale chosen in the cookie, else Vietnamese. */
export function localeFromCookieHeader(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === LOCALE_COOKIE) {
      const value = decodeURIComponent(rest.join('='))
      if (isLocale(value)) return value
    }
  }
  return DEFAULT_LOCALE
}

export function localeCookie(locale: Locale): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`
}

/** The current locale in any component (from the root loader; Vietnamese if it did not run). */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? DEFAULT_LOCALE
}

export function useMessages(): { m: Messages; locale: Locale } {
  const locale = useLocale()
  return { m: messagesFor(locale), locale }
}

/** A date and time as people in Vietnam read it (Vietnam time, whatever the server's zone). */
export function formatDateTime(iso: string | Date, locale: Locale, style: 'short' | 'medium' = 'medium'): string {
  const key = `${locale}\n${style}`
  let f = dateTimeFormats.get(key)
  if (!f) dateTimeFormats.set(key, (f = new Intl.DateTimeFormat(locale, { dateStyle: style, timeStyle: style === 'short' ? 'medium' : 'short', timeZone: 'Asia/Ho_Chi_Minh' })))
  return f.format(typeof iso === 'string' ? new Date(iso) : iso)
}
