// /classes/new — a teacher creates a class: a name and a school (an agency of type school).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormAlert } from '~/components/form'
import { requireUser } from '~/modules/auth/request.server'
import { CreateClassSchema, type ClassErrorKey } from '~/modules/classes/schema'
import { canTeach, createClass, schoolChoices } from '~/modules/classes/service.server'
import { errorsFromMap, failureOf, formFailure, parseForm, typed } from '~/utils/forms'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.classes.create.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  if (!canTeach(user)) return { teacher: false, schools: [] }
  return { teacher: true, schools: await schoolChoices(user) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm<typeof CreateClassSchema, ClassErrorKey>(await request.formData(), CreateClassSchema)
  const values = parsed.ok ? parsed.values : parsed.failure.values
  if (!canTeach(user)) return data(formFailure<ClassErrorKey>(values, { formError: 'notTeacher' }), { status: 403 })
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  const result = await createClass({ actor: user, ...parsed.data, ip: context.clientIp })
  if (!result.ok) return data(formFailure(values, errorsFromMap<ClassErrorKey>(result.errors)), { status: 400 })
  return redirect(`/classes/${result.id}`, { status: 303 })
}

export default function NewClass() {
  const { teacher, schools } = useLoaderData<typeof loader>()
  const failure = failureOf<ClassErrorKey>(useActionData<typeof action>())
  const { m } = useMessages()
  const t = m.classes.create
  const err = (field: string) => {
    const key = field === 'form' ? failure?.formError : failure?.fieldErrors[field]?.[0]
    return key ? m.classes.errors[key] : undefined
  }
  if (!teacher) {
    return (
      <section className="form-page">
        <h1>{t.title}</h1>
        <FormAlert>{t.notTeacher}</FormAlert>
      </section>
    )
  }
  return (
    <section className="form-page" aria-labelledby="new-class-title">
      <h1 id="new-class-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {err('form') ? <FormAlert>{err('form')}</FormAlert> : null}
      <Form method="post" noValidate>
        <Field name="name" label={t.name} hint={t.nameHint} required maxLength={80} defaultValue={typed(failure?.values, 'name')} error={err('name')} />
        <div className={err('schoolId') ? 'field field-invalid' : 'field'}>
          <label htmlFor="field-schoolId">
            {t.school} <span className="required">{m.auth.fields.required}</span>
          </label>
          <p id="field-schoolId-hint" className="hint">
            {t.schoolHint}
          </p>
          <select
            id="field-schoolId"
            name="schoolId"
            required
            defaultValue={typed(failure?.values, 'schoolId', schools[0]?.id ?? '')}
            aria-invalid={err('schoolId') ? true : undefined}
            aria-describedby={err('schoolId') ? 'field-schoolId-hint field-schoolId-error' : 'field-schoolId-hint'}
          >
            <option value="">{t.chooseSchool}</option>
            {schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {err('schoolId') ? (
            <p id="field-schoolId-error" className="field-error">
              {err('schoolId')}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button-primary">
          {t.submit}
        </button>
      </Form>
    </section>
  )
}
