import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AccountNav } from '~/components/account-nav'
import { Field, FormAlert, useErrorText, type ErrorKey } from '~/components/form'
import { formatPhone } from '~/modules/auth/identifier'
import { requireUser } from '~/modules/auth/request.server'
import { ProfileSchema } from '~/modules/auth/schema'
import { updateProfile } from '~/modules/auth/service.server'
import { prisma } from '~/utils/db.server'
import { allErrors, failureOf, parseForm, typed } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.account.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return {
    user: {
      fullName: user.fullName,
      email: user.email,
      phone: user.phone ? formatPhone(user.phone) : null,
      kind: user.kind,
      jobTitle: user.jobTitle,
      agency: user.agency?.name ?? null,
      roles: user.roles.map((r) => ({ role: r.role, agencyName: r.agencyName })),
    },
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm<typeof ProfileSchema, ErrorKey>(await request.formData(), ProfileSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  await updateProfile(prisma(), { userId: user.id, ...parsed.data })
  return { ok: true as const }
}

export default function Account() {
  const { user } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const failure = failureOf<ErrorKey>(actionData)
  const errors = allErrors(failure)
  const values = failure ? { fullName: typed(failure.values, 'fullName'), jobTitle: typed(failure.values, 'jobTitle') } : { fullName: user.fullName, jobTitle: user.jobTitle ?? '' }
  const a = m.auth.account
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{a.title}</h1>
      <AccountNav />
      <dl className="facts">
        <dt>{m.auth.fields.identifier}</dt>
        <dd>{user.email ?? user.phone}</dd>
        <dt>{m.auth.fields.kind}</dt>
        <dd>{m.auth.fields.kinds[user.kind as keyof typeof m.auth.fields.kinds]}</dd>
        <dt>{m.auth.fields.agency}</dt>
        <dd>{user.agency ?? a.noAgency}</dd>
        <dt>{a.roles}</dt>
        <dd>
          <ul className="plain-list">
            <li>{a.roleNames.LEARNER}</li>
            {user.roles.map((r) => (
              <li key={`${r.role}-${r.agencyName}`}>
                {r.agencyName ? format(a.roleScope, { role: a.roleNames[r.role], agency: r.agencyName }, locale) : a.roleNames[r.role]}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <h2>{a.profileTitle}</h2>
      {actionData?.ok ? <FormAlert tone="success">{a.saved}</FormAlert> : null}
      {Object.keys(errors).length > 0 ? <FormAlert>{m.auth.errors.formInvalid}</FormAlert> : null}
      <Form method="post" noValidate>
        <Field name="fullName" label={m.auth.fields.fullName} required autoComplete="name" defaultValue={values.fullName} error={errorText(errors.fullName?.[0])} />
        <Field name="jobTitle" label={m.auth.fields.jobTitle} hint={m.auth.fields.jobTitleHint} defaultValue={values.jobTitle} error={errorText(errors.jobTitle?.[0])} />
        <button type="submit" className="button-primary">
          {a.save}
        </button>
      </Form>
    </section>
  )
}
