// /verify — look a certificate up by its number and the holder's name, as typed from paper. A
// plain GET form (works without JavaScript); a match redirects to /verify/<code>. Failed look-ups
// are throttled per IP so the form cannot walk through numbers.
import { data, type HeadersFunction, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { clientInfo } from '~/modules/auth/request.server'
import { lookupByNumber } from '~/modules/certificate/service.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
// A status can change at any time (revocation, expiry): never cached.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers(loaderHeaders)
  out.set('Cache-Control', 'no-store')
  return out
}
export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (m) => m.certificates.verify.title), { name: 'robots', content: 'noindex' }]

type Problem = { kind: 'missing' } | { kind: 'not-found' } | { kind: 'throttled'; minutes: number } | null

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const number = (url.searchParams.get('number') ?? '').slice(0, 40)
  const name = (url.searchParams.get('name') ?? '').slice(0, 200)
  if (!url.searchParams.has('number') && !url.searchParams.has('name')) return { number, name, problem: null as Problem }
  if (!number.trim() || !name.trim()) return data({ number, name, problem: { kind: 'missing' } as Problem }, { status: 400 })
  const result = await lookupByNumber({ number, name, ip: clientInfo(request, context).ip })
  if (result.kind === 'found') throw redirect(`/verify/${result.code}`)
  if (result.kind === 'throttled') return data({ number, name, problem: { kind: 'throttled', minutes: result.retryAfterMinutes } as Problem }, { status: 429, headers: { 'Retry-After': String(result.retryAfterMinutes * 60) } })
  return data({ number, name, problem: { kind: 'not-found' } as Problem }, { status: 404 })
}

export default function VerifyLookup() {
  const { number, name, problem } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const t = m.certificates.verify
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {problem ? <FormAlert>{problem.kind === 'missing' ? t.missing : problem.kind === 'not-found' ? t.notFound : format(t.throttled, { minutes: problem.minutes }, locale)}</FormAlert> : null}
      <Form method="get" className="narrow-form">
        <div className="field">
          <label htmlFor="verify-number">{t.number}</label>
          <p id="verify-number-hint" className="hint">
            {t.numberHint}
          </p>
          <input id="verify-number" name="number" defaultValue={number} required maxLength={40} autoComplete="off" aria-describedby="verify-number-hint" />
        </div>
        <div className="field">
          <label htmlFor="verify-name">{t.name}</label>
          <input id="verify-name" name="name" defaultValue={name} required maxLength={200} autoComplete="off" />
        </div>
        <button type="submit">{t.submit}</button>
      </Form>
    </section>
  )
}
