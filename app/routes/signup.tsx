import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormAlert, useErrorText, type ErrorKey } from '~/components/form'
import { agencyGroup, filterAgencies, listActiveAgencies, type AgencyGroup, type AgencyOption } from '~/modules/agency/tree.server'
import { clientInfo, currentSessionPolicy, signedInHeaders, requireAnonymous, safeRedirect } from '~/modules/auth/request.server'
import { SearchQuerySchema, SIGNUP_KINDS, SignupSchema } from '~/modules/auth/schema'
import { signUp } from '~/modules/auth/service.server'
import { prisma } from '~/utils/db.server'
import { allErrors, echoValues, errorsFromMap, errorsOf, failureOf, formFailure, formFields, parseForm, typed } from '~/utils/forms'
import { format, messagesFor, useMessages } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: 'vi' | 'en' } | undefined)?.locale ?? 'vi'
  return [{ title: `${messagesFor(locale).auth.signup.title} — Bản Số` }]
}

const GROUP_ORDER: AgencyGroup[] = ['province', 'ward', 'commune', 'school', 'other']

function group(agencies: AgencyOption[]) {
  return GROUP_ORDER.map((g) => ({ group: g, agencies: agencies.filter((a) => agencyGroup(a.type) === g) })).filter(
    (g) => g.agencies.length > 0,
  )
}

type Values = { fullName: string; identifier: string; kind: string; agencyId: string; jobTitle: string; agencyQuery: string; staffCode: string }
const VALUE_FIELDS = ['fullName', 'identifier', 'kind', 'agencyId', 'jobTitle', 'agencyQuery', 'staffCode'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  const agencies = await listActiveAgencies(prisma())
  return { groups: group(agencies), redirectTo: new URL(request.url).searchParams.get('redirectTo') ?? '' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const form = await request.formData()
  const agencies = await listActiveAgencies(prisma())

  // "Find" re-renders the form with the agency list filtered; nothing is written.
  if (form.get('intent') === 'search') {
    const values = echoValues(formFields(form))
    const query = SearchQuerySchema.safeParse(typed(values, 'agencyQuery'))
    if (!query.success) return data({ ...formFailure(values, errorsOf<ErrorKey>(query.error)), search: null }, { status: 400 })
    const found = filterAgencies(agencies, query.data)
    return data({ ok: true as const, values, search: { query: query.data, count: found.length, groups: group(found.length > 0 ? found : agencies) } })
  }

  const parsed = parseForm<typeof SignupSchema, ErrorKey>(form, SignupSchema)
  if (!parsed.ok) return data({ ...parsed.failure, search: null }, { status: 400 })
  const result = await signUp(prisma(), parsed.data, clientInfo(request, context), currentSessionPolicy())
  if (!result.ok) return data({ ...formFailure(parsed.values, errorsFromMap(result.errors as Partial<Record<string, ErrorKey[]>>)), search: null }, { status: 400 })
  return redirect(safeRedirect(form.get('redirectTo'), '/account'), { status: 303, headers: signedInHeaders(request, result) })
}

export default function Signup() {
  const { groups, redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const typedValues = actionData?.values
  const values: Partial<Values> = Object.fromEntries(VALUE_FIELDS.map((k) => [k, typed(typedValues, k)]))
  const errors = allErrors(failureOf<ErrorKey>(actionData))
  const shownGroups = actionData?.search?.groups ?? groups
  const err = (field: string) => errorText(errors[field]?.[0])
  const hasErrors = Object.keys(errors).length > 0
  const f = m.auth.fields
  return (
    <section className="form-page" aria-labelledby="signup-title">
      <h1 id="signup-title">{m.auth.signup.title}</h1>
      <p>{m.auth.signup.intro}</p>
      {hasErrors ? <FormAlert>{m.auth.errors.formInvalid}</FormAlert> : null}
      <Form method="post" noValidate>
        {/* Pressing Enter in any field submits with the first submit button of the form: this
            one (sign up), not the agency search further down. */}
        <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          {m.auth.signup.submit}
        </button>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="fullName" label={f.fullName} required autoComplete="name" defaultValue={values.fullName} error={err('fullName')} />
        <Field
          name="identifier"
          label={f.identifier}
          hint={f.identifierHint}
          required
          autoComplete="username"
          inputMode="email"
          defaultValue={values.identifier}
          error={err('identifier')}
        />
        <Field name="password" type="password" label={f.password} hint={f.passwordHint} required autoComplete="new-password" error={err('password')} />
        <Field name="passwordConfirm" type="password" label={f.passwordConfirm} required autoComplete="new-password" error={err('passwordConfirm')} />

        <fieldset className={err('kind') ? 'field field-invalid' : 'field'} aria-describedby={err('kind') ? 'field-kind-error' : undefined}>
          <legend>
            {f.kind} <span className="required">{f.required}</span>
          </legend>
          {SIGNUP_KINDS.map((kind) => (
            <label key={kind} className="choice">
              <input type="radio" name="kind" value={kind} defaultChecked={values.kind === kind} /> {f.kinds[kind]}
            </label>
          ))}
          {err('kind') ? (
            <p id="field-kind-error" className="field-error">
              {err('kind')}
            </p>
          ) : null}
        </fieldset>

        <div className="agency-search">
          <label htmlFor="field-agencyQuery">{f.agencySearch}</label>
          <p className="hint" id="agency-search-hint">
            {m.auth.signup.searchKeepsFields}
          </p>
          <div className="inline-form">
            <input
              id="field-agencyQuery"
              name="agencyQuery"
              type="search"
              defaultValue={values.agencyQuery}
              aria-describedby="agency-search-hint"
            />
            <button type="submit" name="intent" value="search" formNoValidate>
              {f.agencySearchButton}
            </button>
          </div>
          {actionData?.search ? (
            <p role="status">
              {format(actionData.search.count > 0 ? f.agencySearchResult : f.agencySearchNone, { count: actionData.search.count, query: actionData.search.query }, locale)}
            </p>
          ) : null}
          {err('agencyQuery') ? <p className="field-error">{err('agencyQuery')}</p> : null}
        </div>

        <div className={err('agencyId') ? 'field field-invalid' : 'field'}>
          <label htmlFor="field-agencyId">{f.agency}</label>
          <p className="hint" id="field-agencyId-hint">
            {f.agencyHint}
          </p>
          <select
            id="field-agencyId"
            name="agencyId"
            defaultValue={values.agencyId}
            aria-invalid={err('agencyId') ? true : undefined}
            aria-describedby={err('agencyId') ? 'field-agencyId-hint field-agencyId-error' : 'field-agencyId-hint'}
          >
            <option value="">{f.agencyNone}</option>
            {shownGroups.map((g) => (
              <optgroup key={g.group} label={f.agencyGroups[g.group]}>
                {g.agencies.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {err('agencyId') ? (
            <p id="field-agencyId-error" className="field-error">
              {err('agencyId')}
            </p>
          ) : null}
        </div>

        <Field name="jobTitle" label={f.jobTitle} hint={f.jobTitleHint} autoComplete="organization-title" defaultValue={values.jobTitle} error={err('jobTitle')} />
        <Field name="staffCode" label={f.staffCode} hint={f.staffCodeHint} autoComplete="off" defaultValue={values.staffCode} error={err('staffCode')} />
        <button type="submit" className="button-primary">
          {m.auth.signup.submit}
        </button>
      </Form>
      <p>
        {m.auth.signup.haveAccount} <Link to="/login">{m.auth.nav.signIn}</Link>
      </p>
    </section>
  )
}
