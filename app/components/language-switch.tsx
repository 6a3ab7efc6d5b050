import { Form } from '@remix-run/react'
import { useMessages } from '~/utils/i18n'

/** A plain form post, so switching language works without JavaScript. */
export function LanguageSwitch({ redirectTo }: { redirectTo: string }) {
  const { m, locale } = useMessages()
  const other = locale === 'vi' ? 'en' : 'vi'
  return (
    <Form method="post" action="/language" className="language-switch" reloadDocument>
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" lang={other} aria-label={m.layout.switchToLabel}>
        {m.layout.switchTo}
      </button>
    </Form>
  )
}
