import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { parseForm } from '~/utils/forms'
import { LOCALES, localeCookie } from '~/utils/i18n'
import { readForm } from '~/utils/responses.server'

const LanguageForm = z.object({
  lang: z.enum(LOCALES),
  // Only a path on this site: never an open redirect.
  redirectTo: z
    .string()
    .regex(/^\/(?![/\\])/)
    .catch('/'),
})

export async function action({ request }: ActionFunctionArgs) {
  // A resource route with no page of its own: a refusal is one plain line (there is nothing typed to keep).
  const parsed = parseForm(await readForm(request), LanguageForm)
  if (!parsed.ok) {
    return new Response('Ngôn ngữ không hợp lệ (unknown language).', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  return redirect(parsed.data.redirectTo, { status: 303, headers: { 'Set-Cookie': localeCookie(parsed.data.lang) } })
}

export async function loader() {
  return redirect('/')
}
