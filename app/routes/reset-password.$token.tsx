import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { NewPasswordFields } from '~/components/password-fields'
import { FormAlert, useErrorText, type ErrorKey } from '~/components/form'
import { clientInfo, currentSessionPolicy, signedInHeaders } from '~/modules/auth/request.server'
import { findResetTarget, redeemResetLink } from '~/modules/auth/reset.server'
import { ResetPasswordSchema } from '~/modules/auth/schema'
import { prisma } from '~/utils/db.server'
import { allErrors, failureOf, formFailure, parseForm } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.reset.title)

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await findResetTarget(prisma(), routeParams(params, { token: param.token }).token)
  // An unknown, used or expired link: the page says so (404) instead of showing a form.
  if (!target) throw data({ invalid: true }, { status: 404 })
  return { name: target.fullName }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { token } = routeParams(params, { token: param.token })
  const parsed = parseForm<typeof ResetPasswordSchema, ErrorKey>(await request.formData(), ResetPasswordSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  const result = await redeemResetLink(prisma(), { token, password: parsed.data.password }, clientInfo(request, context), currentSessionPolicy())
  if (!result.ok) return data(formFailure<ErrorKey>(parsed.values, result.field === 'form' ? { formError: result.error } : { fieldErrors: { [result.field]: [result.error] } }), { status: 400 })
  return redirect('/account', { status: 303, headers: signedInHeaders(request, result) })
}

export default function ResetPassword() {
  const { name } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const errors = allErrors(failureOf<ErrorKey>(actionData))
  return (
    <section className="form-page" aria-labelledby="reset-title">
      <h1 id="reset-title">{m.auth.reset.title}</h1>
      <p>{format(m.auth.reset.intro, { name }, locale)}</p>
      {errors.form ? <FormAlert>{errorText(errors.form[0])}</FormAlert> : null}
      <Form method="post" noValidate>
        <NewPasswordFields errors={{ password: errorText(errors.password?.[0]), passwordConfirm: errorText(errors.passwordConfirm?.[0]) }} />
        <button type="submit" className="button-primary">
          {m.auth.reset.submit}
        </button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  const { m } = useMessages()
  return (
    <section className="error-page">
      <h1>{m.auth.reset.title}</h1>
      <p>{m.auth.errors.resetInvalid}</p>
    </section>
  )
}
