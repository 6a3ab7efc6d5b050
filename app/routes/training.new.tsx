// /training/new — record an in-person training session: organiser agency (of the actor's subtree),
// dates, commune and village, trainers, a course of the catalogue or a free-text topic, duration.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyOptions } from '~/components/agency-options'
import { FormAlert } from '~/components/form'
import { listAgencyTree } from '~/modules/agency/admin.server'
import { requireUser } from '~/modules/auth/request.server'
import { agencyScope } from '~/modules/scope/scope.server'
import { fieldText, refusalText, type TrainingErrorKey, type TrainingFailure } from '~/modules/training/form-result'
import { courseOptions } from '~/modules/training/pages.server'
import { SessionSchema } from '~/modules/training/schema'
import { createSession } from '~/modules/training/service.server'
import { prisma } from '~/utils/db.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed, typedAll } from '~/utils/forms'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusal } from './training.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.form.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const [agencies, courses] = await Promise.all([listAgencyTree(prisma(), scope), courseOptions(prisma())])
  return { agencies: agencies.map((a) => ({ id: a.id, name: a.name, depth: a.depth })), courses, today: new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10) }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  await agencyScope(prisma(), actor).catch(throwAsResponse)
  const parsed = parseForm<typeof SessionSchema, TrainingErrorKey>(await request.formData(), SessionSchema, { repeated: ['lessons'] })
  if (!parsed.ok) return data<TrainingFailure>(parsed.failure, { status: 400 })
  try {
    const session = await createSession({ db: prisma(), actor, form: parsed.data })
    return redirect(`/training/${session.id}`, 303)
  } catch (error) {
    // An agency outside the subtree is a refusal beside the agency field, not the error page.
    if (isAppError(error) && error.key === 'agency.notInScope') return data<TrainingFailure>(formFailure(parsed.values, { fieldErrors: { agencyId: ['agencyRequired'] } }), { status: 400 })
    if (isAppError(error) && error.field && (error.key as string) === 'courseUnknown') return data<TrainingFailure>(formFailure(parsed.values, { fieldErrors: { courseSlug: ['courseUnknown'] } }), { status: 400 })
    if (isAppError(error) && error.field && (error.key as string) === 'lessonUnknown') return data<TrainingFailure>(formFailure(parsed.values, { fieldErrors: { lessons: ['lessonUnknown'] } }), { status: 400 })
    return refusal(error, parsed.values)
  }
}

export default function NewTrainingSession() {
  const { agencies, courses, today } = useLoaderData<typeof loader>()
  const failure = failureOf<TrainingErrorKey>(useActionData<typeof action>()) as TrainingFailure | null
  const { m } = useMessages()
  const t = m.training.form
  const values = failure?.values ?? null
  const formError = failure && (failure.message || failure.formError) ? refusalText(m, failure) : null
  const field = (name: string, label: string, { defaultValue, ...input }: JSX.IntrinsicElements['input'], hint?: string) => {
    const error = fieldText(m, failure, name)
    const id = `ts-${name}`
    const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
    return (
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
        <input id={id} name={name} defaultValue={typed(values, name, typeof defaultValue === 'string' ? defaultValue : '')} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    )
  }
  const selectError = (name: string) => fieldText(m, failure, name)
  return (
    <section aria-labelledby="new-training-title">
      <p>
        <Link to="/training">← {t.back}</Link>
      </p>
      <h1 id="new-training-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <Form method="post" className="narrow-form" aria-labelledby="new-training-title">
        <div className={selectError('agencyId') ? 'field field-invalid' : 'field'}>
          <label htmlFor="ts-agencyId">{t.agency}</label>
          <select id="ts-agencyId" name="agencyId" required defaultValue={typed(values, 'agencyId', agencies.length === 1 ? agencies[0]!.id : '')} aria-invalid={selectError('agencyId') ? true : undefined} aria-describedby={selectError('agencyId') ? 'ts-agencyId-error' : undefined}>
            <AgencyOptions agencies={agencies} empty="—" />
          </select>
          {selectError('agencyId') ? (
            <p id="ts-agencyId-error" className="field-error">
              {selectError('agencyId')}
            </p>
          ) : null}
        </div>
        {field('startsOn', t.startsOn, { type: 'date', required: true, defaultValue: today })}
        {field('endsOn', t.endsOn, { type: 'date', required: true, defaultValue: today })}
        {field('commune', t.commune, { required: true, maxLength: 200 })}
        {field('village', t.village, { maxLength: 200 })}
        {field('trainers', t.trainers, { maxLength: 500 })}
        <div className={selectError('courseSlug') ? 'field field-invalid' : 'field'}>
          <label htmlFor="ts-courseSlug">{t.course}</label>
          <select id="ts-courseSlug" name="courseSlug" defaultValue={typed(values, 'courseSlug')} aria-invalid={selectError('courseSlug') ? true : undefined} aria-describedby={selectError('courseSlug') ? 'ts-courseSlug-error' : undefined}>
            <option value="">{t.noCourse}</option>
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
          {selectError('courseSlug') ? (
            <p id="ts-courseSlug-error" className="field-error">
              {selectError('courseSlug')}
            </p>
          ) : null}
        </div>
        <fieldset className={selectError('lessons') ? 'field field-invalid' : 'field'} aria-describedby={selectError('lessons') ? 'ts-lessons-hint ts-lessons-error' : 'ts-lessons-hint'}>
          <legend>{t.lessons}</legend>
          <p id="ts-lessons-hint" className="hint">
            {t.lessonsHint}
          </p>
          {courses.map((c) => {
            const chosen = typedAll(values, 'lessons')
            return (
              <details key={c.slug} open={chosen.some((l) => l.startsWith(`${c.slug}/`)) ? true : undefined}>
                <summary>{c.title}</summary>
                <ul className="choice-list">
                  {c.lessons.map((l) => {
                    const value = `${c.slug}/${l.slug}`
                    return (
                      <li key={l.slug}>
                        <label className="choice">
                          <input type="checkbox" name="lessons" value={value} defaultChecked={chosen.includes(value)} /> {l.title}
                        </label>
                      </li>
                    )
                  })}
                </ul>
              </details>
            )
          })}
          {selectError('lessons') ? (
            <p id="ts-lessons-error" className="field-error">
              {selectError('lessons')}
            </p>
          ) : null}
        </fieldset>
        {field('topic', t.topic, { maxLength: 300 }, t.topicHint)}
        {field('minutes', t.minutes, { inputMode: 'numeric', required: true, pattern: '[0-9]*', defaultValue: '90' })}
        <fieldset className="field">
          <legend>{t.checkLegend}</legend>
          <p className="hint">{t.checkHint}</p>
          {field('checkMaxScore', t.checkMax, { inputMode: 'numeric', pattern: '[0-9]*', maxLength: 4 })}
          {field('checkPassScore', t.checkPass, { inputMode: 'numeric', pattern: '[0-9]*', maxLength: 4 })}
        </fieldset>
        <button type="submit" className="button-primary">
          {t.submit}
        </button>
      </Form>
    </section>
  )
}
