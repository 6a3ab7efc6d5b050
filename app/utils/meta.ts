import type { MetaDescriptor } from '@remix-run/node'
import type { Messages } from '~/locales/types'
import { messagesFor, type Locale } from './i18n'

/** A page title in the reader's language, from the root loader's locale. */
export function pageTitle(
  matches: readonly { id: string; data?: unknown }[],
  pick: (m: Messages) => string,
): MetaDescriptor[] {
  const locale = (matches.find((match) => match.id === 'root')?.data as { locale?: Locale } | undefined)?.locale ?? 'vi'
  const m = messagesFor(locale)
  return [{ title: `${pick(m)} — ${m.meta.siteName}` }]
}
