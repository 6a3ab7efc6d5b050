import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormAlert, useErrorText, type ErrorKey } from '~/components/form'
import { OIDC_FAILURES, oidcSettings } from '~/modules/auth/oidc.server'
import { clientInfo, currentSessionPolicy, signedInHeaders, requireAnonymous, safeRedirect } from '~/modules/auth/request.server'
import { LoginSchema } from '~/modules/auth/schema'
import { signIn } from '~/modules/auth/service.server'
import { getDatabase } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { allErrors, errorsFromMap, failureOf, formFailure, parseForm, typed } from '~/utils/forms'
import { format, messagesFor, useMessages } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }

/** A sign-in turned away while the Argon2 queue is full says when to come back (the action's Retry-After). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: 'vi' | 'en' } | undefined)?.locale ?? 'vi'
  return [{ title: `${messagesFor(locale).auth.login.title} — Bản Số` }]
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  const url = new URL(request.url)
  const provider = oidcSettings(getEnv())
  const failure = url.searchParams.get('oidcError')
  return {
    redirectTo: url.searchParams.get('redirectTo') ?? '',
    signedOut: url.searchParams.has('signedOut'),
    provider: provider ? { displayName: provider.displayName } : null,
    // Only the messages the OpenID Connect routes send here (app/routes/auth.oidc*.ts).
    oidcError: provider && OIDC_FAILURES.find((f) => f === failure) ? (failure as (typeof OIDC_FAILURES)[number]) : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const form = await request.formData()
  const parsed = parseForm<typeof LoginSchema, ErrorKey>(form, LoginSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  // Already made before Remix by app/server/fast-sign-in.ts when it did not sign in (docs/decisions/029).
  const result = await (context.signInResult ?? signIn(getDatabase(), parsed.data, clientInfo(request, context), currentSessionPolicy()))
  if (!result.ok) {
    const reason = result.errors.form?.[0] ?? ''
    const failure = formFailure(parsed.values, { ...errorsFromMap(result.errors as Partial<Record<string, ErrorKey[]>>), params: result.params ?? {} })
    // Too many sign-ins waiting for a verification: 503 and Retry-After, the form shown again (docs/decisions/029).
    if (reason === 'signInBusy') return data(failure, { status: 503, headers: { 'Retry-After': String(result.params?.seconds ?? 1) } })
    return data(failure, { status: ['credentialsInvalid', 'accountDeactivated'].includes(reason) ? 400 : 429 })
  }
  return redirect(safeRedirect(form.get('redirectTo'), '/account'), { status: 303, headers: signedInHeaders(request, result) })
}

export default function Login() {
  const { redirectTo, signedOut, provider, oidcError } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const failure = failureOf<ErrorKey>(actionData)
  const errors = allErrors(failure)
  const formError = errorText(errors.form?.[0], failure?.params) ?? (provider ? errorText(oidcError ?? undefined, { provider: provider.displayName }) : undefined)
  return (
    <section className="form-page" aria-labelledby="login-title">
      <h1 id="login-title">{m.auth.login.title}</h1>
      {signedOut ? <FormAlert tone="success">{m.auth.login.signedOut}</FormAlert> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="identifier"
          label={m.auth.fields.identifier}
          hint={m.auth.fields.identifierHint}
          required
          autoComplete="username"
          defaultValue={typed(failure?.values, 'identifier')}
          error={errorText(errors.identifier?.[0])}
        />
        <Field
          name="password"
          type="password"
          label={m.auth.fields.password}
          required
          autoComplete="current-password"
          error={errorText(errors.password?.[0])}
        />
        <button type="submit" className="button-primary">
          {m.auth.login.submit}
        </button>
      </Form>
      {provider ? (
        <Form method="post" action="/auth/oidc" reloadDocument className="oidc-sign-in">
          <p>{m.auth.login.or}</p>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit">{format(m.auth.login.withProvider, { provider: provider.displayName }, locale)}</button>
        </Form>
      ) : null}
      <p>{m.auth.login.forgot}</p>
      <p>
        {m.auth.login.noAccount} <Link to="/signup">{m.auth.nav.signUp}</Link>
      </p>
    </section>
  )
}
