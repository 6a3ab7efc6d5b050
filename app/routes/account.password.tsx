import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { AccountNav } from '~/components/account-nav'
import { NewPasswordFields } from '~/components/password-fields'
import { Field, FormAlert, useErrorText, type ErrorKey } from '~/components/form'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { ChangePasswordSchema } from '~/modules/auth/schema'
import { changePassword } from '~/modules/auth/service.server'
import { prisma } from '~/utils/db.server'
import { allErrors, errorsFromMap, failureOf, formFailure, parseForm } from '~/utils/forms'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.password.title)

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm<typeof ChangePasswordSchema, ErrorKey>(await request.formData(), ChangePasswordSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  const result = await changePassword(
    prisma(),
    { userId: user.id, sessionId: user.sessionId, currentPassword: parsed.data.currentPassword, password: parsed.data.password },
    clientInfo(request, context),
  )
  // Passwords are never sent back: values holds no secret field (app/utils/forms.ts).
  if (!result.ok) return data(formFailure(parsed.values, errorsFromMap(result.errors as Partial<Record<string, ErrorKey[]>>)), { status: 400 })
  return { ok: true as const }
}

export default function ChangePassword() {
  const actionData = useActionData<typeof action>()
  const { m } = useMessages()
  const errorText = useErrorText()
  const errors = allErrors(failureOf<ErrorKey>(actionData))
  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{m.auth.password.title}</h1>
      <AccountNav />
      {actionData?.ok ? <FormAlert tone="success">{m.auth.password.changed}</FormAlert> : null}
      {Object.keys(errors).length > 0 ? <FormAlert>{m.auth.errors.formInvalid}</FormAlert> : null}
      <Form method="post" noValidate className="narrow-form">
        <Field name="currentPassword" type="password" label={m.auth.fields.currentPassword} required autoComplete="current-password" error={errorText(errors.currentPassword?.[0])} />
        <NewPasswordFields errors={{ password: errorText(errors.password?.[0]), passwordConfirm: errorText(errors.passwordConfirm?.[0]) }} />
        <button type="submit" className="button-primary">
          {m.auth.password.submit}
        </button>
      </Form>
    </section>
  )
}
