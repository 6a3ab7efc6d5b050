// /join — a student joins a class with its code: with their own account (sign in first), or with a
// name and a PIN they choose (no email or phone needed); a student who joined that way signs in
// here again with code + name + PIN. Plain forms, no JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormAlert } from '~/components/form'
import { clientInfo, currentSessionPolicy, getCurrentUser, requireUser, signedInHeaders } from '~/modules/auth/request.server'
import { classByCode, joinWithAccount, joinWithPin, signInWithPin } from '~/modules/classes/join.server'
import { JoinWithAccountSchema, JoinWithPinSchema, looksLikeJoinCode, normaliseJoinCode, PinSignInSchema, type ClassErrorKey } from '~/modules/classes/schema'
import { allErrors, errorsFromMap, formFailure, parseForm, typed, type FormFailure, type FormValues } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.classes.join.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request)
  const raw = new URL(request.url).searchParams.get('code')
  const code = raw ? normaliseJoinCode(raw).slice(0, 12) : ''
  const found = looksLikeJoinCode(code) ? await classByCode({ code }) : null
  return {
    code,
    cls: found ? { name: found.name, school: found.school.name, teacher: found.teacher.fullName } : null,
    unknown: Boolean(code) && !found,
    user: user ? { fullName: user.fullName } : null,
  }
}

type Intent = 'join-account' | 'join-pin' | 'signin-pin'
type ActionResult = FormFailure<ClassErrorKey> & { intent: Intent }

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = form.get('intent') as Intent
  const refuse = (values: FormValues, errors: Partial<Record<string, ClassErrorKey>>, status = 400, params?: Record<string, number>) =>
    data({ ...formFailure(values, { ...errorsFromMap(errors), params }), intent } satisfies ActionResult, { status })
  if (intent === 'join-account') {
    const user = await requireUser(request)
    const parsed = parseForm<typeof JoinWithAccountSchema, ClassErrorKey>(form, JoinWithAccountSchema)
    if (!parsed.ok) return data({ ...parsed.failure, intent } satisfies ActionResult, { status: 400 })
    const result = await joinWithAccount({ userId: user.id, code: parsed.data.code, ip: context.clientIp })
    if (!result.ok) return refuse(parsed.values, result.errors)
    return redirect('/classes', { status: 303 })
  }
  if (intent === 'join-pin' || intent === 'signin-pin') {
    const schema = intent === 'join-pin' ? JoinWithPinSchema : PinSignInSchema
    const parsed = parseForm<typeof schema, ClassErrorKey>(form, schema)
    if (!parsed.ok) return data({ ...parsed.failure, intent } satisfies ActionResult, { status: 400 })
    const run = intent === 'join-pin' ? joinWithPin : signInWithPin
    const result = await run(parsed.data, clientInfo(request, context), currentSessionPolicy())
    if (!result.ok) return refuse(parsed.values, result.errors, result.errors.form === 'throttled' ? 429 : 400, result.params)
    return redirect('/classes', { status: 303, headers: signedInHeaders(request, result) })
  }
  return data({ ...formFailure<ClassErrorKey>({}, { formError: 'codeRequired' }), intent: 'join-account' } satisfies ActionResult, { status: 400 })
}

export default function JoinPage() {
  const { code, cls, unknown, user } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionResult | undefined
  const { m, locale } = useMessages()
  const t = m.classes.join
  const errorsFor = (intent: Intent): Partial<Record<string, ClassErrorKey>> =>
    actionData?.intent === intent ? Object.fromEntries(Object.entries(allErrors(actionData)).map(([k, v]) => [k, v?.[0]])) : {}
  const text = (intent: Intent, field: string) => {
    const key = errorsFor(intent)[field]
    return key ? format(m.classes.errors[key], actionData?.params ?? {}, locale) : undefined
  }
  const here = `/join?code=${encodeURIComponent(code)}`
  return (
    <section className="form-page" aria-labelledby="join-title">
      <h1 id="join-title">{t.title}</h1>
      {!cls ? (
        <>
          <p className="lead">{t.lead}</p>
          {unknown ? <FormAlert>{m.classes.errors.codeUnknown}</FormAlert> : null}
          <Form method="get" noValidate>
            <Field name="code" label={t.code} hint={t.codeHint} required autoComplete="off" autoCapitalize="characters" maxLength={12} defaultValue={code} />
            <button type="submit" className="button-primary">
              {t.next}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p className="lead" data-testid="join-class">
            {format(t.classInfo, { name: cls.name, school: cls.school, teacher: cls.teacher })}
          </p>
          <section aria-labelledby="with-account">
            <h2 id="with-account">{t.withAccountTitle}</h2>
            {text('join-account', 'code') ? <FormAlert>{text('join-account', 'code')}</FormAlert> : null}
            {user ? (
              <Form method="post" action={here}>
                <input type="hidden" name="code" value={code} />
                <button type="submit" name="intent" value="join-account" className="button-primary">
                  {format(t.withAccountJoin, { name: user.fullName })}
                </button>
              </Form>
            ) : (
              <p>
                <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t.signInFirst}</Link> {t.or}{' '}
                <Link to={`/signup?redirectTo=${encodeURIComponent(here)}`}>{t.signUp}</Link>
                {t.signInThen}
              </p>
            )}
          </section>
          {!user ? (
            <>
              <section aria-labelledby="join-new-title">
                <h2 id="join-new-title">{t.newPinTitle}</h2>
                <p>{t.newPinLead}</p>
                {text('join-pin', 'form') || text('join-pin', 'code') ? <FormAlert>{text('join-pin', 'form') ?? text('join-pin', 'code')}</FormAlert> : null}
                <Form method="post" action={here} noValidate id="form-join-pin">
                  <input type="hidden" name="code" value={code} />
                  <PinFields prefix="new" t={t} errors={(f) => text('join-pin', f)} fullName={actionData?.intent === 'join-pin' ? typed(actionData.values, 'fullName') : ''} again />
                  <button type="submit" name="intent" value="join-pin" className="button-primary">
                    {t.joinNew}
                  </button>
                </Form>
              </section>
              <section aria-labelledby="join-back-title">
                <h2 id="join-back-title">{t.returningTitle}</h2>
                {text('signin-pin', 'form') ? <FormAlert>{text('signin-pin', 'form')}</FormAlert> : null}
                <Form method="post" action={here} noValidate id="form-signin-pin">
                  <input type="hidden" name="code" value={code} />
                  <PinFields prefix="back" t={t} errors={(f) => text('signin-pin', f)} fullName={actionData?.intent === 'signin-pin' ? typed(actionData.values, 'fullName') : ''} />
                  <button type="submit" name="intent" value="signin-pin">
                    {t.signIn}
                  </button>
                </Form>
              </section>
            </>
          ) : null}
        </>
      )}
    </section>
  )
}

/** Name and PIN fields; two forms on the page, so each field id carries the form's prefix. */
function PinFields({ prefix, t, errors, fullName, again = false }: { prefix: string; t: { fullName: string; pin: string; pinAgain: string }; errors: (field: string) => string | undefined; fullName?: string; again?: boolean }) {
  const field = (name: string, label: string, props: Record<string, unknown>) => {
    const id = `${prefix}-${name}`
    const error = errors(name)
    return (
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={id}>{label}</label>
        <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...props} />
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    )
  }
  const pinProps = { type: 'password', inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6, autoComplete: again ? 'new-password' : 'current-password', required: true }
  return (
    <>
      {field('fullName', t.fullName, { type: 'text', autoComplete: 'name', maxLength: 80, required: true, defaultValue: fullName })}
      {field('pin', t.pin, pinProps)}
      {again ? field('pinAgain', t.pinAgain, pinProps) : null}
    </>
  )
}
