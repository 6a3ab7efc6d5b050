// /training/:sessionId — one in-person training session and its attendance: add roster staff or an
// account found by an accent-insensitive search, add a citizen without an account, remove someone
// (after a confirmation step). No JavaScript; every form posts here and is sent back (303) on success.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { requireUser } from '~/modules/auth/request.server'
import { SearchQuerySchema } from '~/modules/auth/schema'
import { vnDay } from '~/modules/periods/types'
import { fieldText, refusalText, type TrainingErrorKey, type TrainingFailure } from '~/modules/training/form-result'
import { removeAttendee, searchCandidates, sessionDetail } from '~/modules/training/pages.server'
import { recordScores, setCheck } from '~/modules/training/check.server'
import {
  AddAccountSchema,
  AddStaffSchema,
  ATTENDANCE_INTENTS,
  CheckSettingsSchema,
  CitizenSchema,
  RemoveAttendeeSchema,
  ScoresSchema,
  type AttendanceIntent,
  type CheckSettings,
  type CitizenForm,
  type ScoresForm,
} from '~/modules/training/schema'
import { addAccount, addCitizen, addStaff } from '~/modules/training/service.server'
import { prisma } from '~/utils/db.server'
import { echoValues, failureOf, formFailure, formFields, parseForm, typed } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusal } from './training.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.list.title)

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { sessionId } = routeParams(params, { sessionId: param.uuid })
  const detail = await sessionDetail(prisma(), actor, sessionId).catch(throwAsResponse)
  const url = new URL(request.url)
  const q = SearchQuerySchema.safeParse(url.searchParams.get('q') ?? '')
  if (!q.success) throw new Response('Từ khoá tìm kiếm dài quá 100 ký tự.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const candidates = await searchCandidates(prisma(), actor, sessionId, q.data).catch(throwAsResponse)
  const removing = detail.attendees.find((a) => a.id === url.searchParams.get('remove')) ?? null
  const done = url.searchParams.get('done')
  return { ...detail, q: q.data, candidates, removing: removing ? { id: removing.id, fullName: removing.fullName } : null, done: DONE.find((d) => d === done) ?? null }
}

const DONE = ['added', 'removed', 'scores', 'check'] as const
type Done = (typeof DONE)[number]
const SCHEMAS = { 'add-staff': AddStaffSchema, 'add-account': AddAccountSchema, 'add-citizen': CitizenSchema, remove: RemoveAttendeeSchema, 'set-check': CheckSettingsSchema, 'record-scores': ScoresSchema } as const

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const { sessionId } = routeParams(params, { sessionId: param.uuid })
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '') as AttendanceIntent
  if (!ATTENDANCE_INTENTS.includes(intent)) {
    // Whoever may not see the session learns nothing more from a bad intent than from a good one.
    await sessionDetail(prisma(), actor, sessionId).catch(throwAsResponse)
    return data<TrainingFailure>(formFailure(echoValues(formFields(form)), { formError: 'invalid' }), { status: 400 })
  }
  const parsed = parseForm<(typeof SCHEMAS)[typeof intent], TrainingErrorKey>(form, SCHEMAS[intent])
  if (!parsed.ok) {
    await sessionDetail(prisma(), actor, sessionId).catch(throwAsResponse)
    return data<TrainingFailure>({ ...parsed.failure, intent }, { status: 400 })
  }
  const q = typed(parsed.values, 'q').slice(0, 100)
  const back = (done: Done) => redirect(`/training/${sessionId}?${new URLSearchParams({ ...(q ? { q } : {}), done })}`, 303)
  try {
    const input = parsed.data as Record<string, unknown>
    if (intent === 'add-staff') await addStaff({ db: prisma(), actor, sessionId, staffRecordId: String(input.staffRecordId) })
    else if (intent === 'add-account') await addAccount({ db: prisma(), actor, sessionId, userId: String(input.userId) })
    else if (intent === 'add-citizen') await addCitizen({ db: prisma(), actor, sessionId, form: parsed.data as CitizenForm })
    else if (intent === 'set-check') {
      await setCheck({ db: prisma(), actor, sessionId, settings: parsed.data as CheckSettings })
      return back('check')
    } else if (intent === 'record-scores') {
      await recordScores({ db: prisma(), actor, sessionId, scores: parsed.data as ScoresForm })
      return back('scores')
    } else {
      await removeAttendee(prisma(), actor, { sessionId, attendeeId: String(input.attendeeId) })
      return back('removed')
    }
    return back('added')
  } catch (error) {
    return refusal(error, parsed.values, intent)
  }
}

export default function TrainingSessionPage() {
  const { session, agency, attendees, q, candidates, removing: asked, done } = useLoaderData<typeof loader>()
  const failure = failureOf<TrainingErrorKey>(useActionData<typeof action>()) as TrainingFailure | null
  // A removal refused (the box not ticked) asks again.
  const retry = failure?.intent === 'remove' ? attendees.find((a) => a.id === typed(failure.values, 'attendeeId')) : undefined
  const removing = asked ?? (retry ? { id: retry.id, fullName: retry.fullName } : null)
  const { m, locale } = useMessages()
  const t = m.training.session
  const citizenFailure = failure?.intent === 'add-citizen' ? failure : null
  const scoreFailure = failure?.intent === 'record-scores' ? failure : null
  const checkFailure = failure?.intent === 'set-check' ? failure : null
  // A citizen's field errors stand beside its fields and a check's in its own box; anything else (and a citizen refused as a whole) at the top.
  const otherFailure = failure && !checkFailure && (!citizenFailure || citizenFailure.message || citizenFailure.formError) ? failure : null
  const dates = session.startsOn === session.endsOn ? vnDay(session.startsOn) : `${vnDay(session.startsOn)} – ${vnDay(session.endsOn)}`
  const cv = citizenFailure?.values ?? null
  const citizenField = (name: string, label: string, input: JSX.IntrinsicElements['input'] = {}) => {
    const error = fieldText(m, citizenFailure, name)
    const id = `ct-${name}`
    return (
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={id}>{label}</label>
        <input id={id} name={name} defaultValue={typed(cv, name, name === 'village' ? session.village : '')} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    )
  }
  const candidateList = (title: string, list: typeof candidates.staff, intent: 'add-staff' | 'add-account', field: 'staffRecordId' | 'userId', testId: string) => (
    <>
      <h3>{title}</h3>
      {list.length === 0 ? (
        <p>{t.noResults}</p>
      ) : (
        <ul className="candidate-list" data-testid={testId}>
          {list.map((c) => (
            <li key={c.id}>
              <span>
                {c.fullName} {c.detail ? <small>({c.detail})</small> : null}
              </span>{' '}
              {c.attending ? (
                <em>{t.attending}</em>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value={intent} />
                  <input type="hidden" name={field} value={c.id} />
                  <input type="hidden" name="q" value={q} />
                  <button type="submit" aria-label={format(t.addLabel, { name: c.fullName }, locale)}>
                    {t.add}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  )
  return (
    <section aria-labelledby="session-title">
      <p>
        <Link to="/training">← {m.training.form.back}</Link>
      </p>
      <h1 id="session-title">{session.topic}</h1>
      <dl className="facts" data-testid="session-facts">
        <dt>{t.organiser}</dt>
        <dd>{agency.name}</dd>
        <dt>{t.dates}</dt>
        <dd>{dates}</dd>
        <dt>{t.place}</dt>
        <dd>{[session.village, session.commune].filter(Boolean).join(', ')}</dd>
        {session.course ? (
          <>
            <dt>{t.course}</dt>
            <dd>
              <Link to={`/courses/${session.course.slug}`}>{session.course.title}</Link>
            </dd>
          </>
        ) : null}
        {session.course && session.lessons.length ? (
          <>
            <dt>{t.lessons}</dt>
            <dd>
              <ul data-testid="session-lessons">
                {session.lessons.map((l) => (
                  <li key={l.slug}>
                    <Link to={`/courses/${session.course!.slug}/${l.slug}`}>{l.title}</Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {session.trainers ? (
          <>
            <dt>{t.trainers}</dt>
            <dd>{session.trainers}</dd>
          </>
        ) : null}
        <dt>{t.minutes}</dt>
        <dd>{format(t.minutesValue, { minutes: session.minutes }, locale)}</dd>
      </dl>
      <p className="button-row">
        <Link to={`/training/${session.id}/sheet`}>{t.sheet}</Link>
        <Link to={`/training/${session.id}/import`}>{t.import}</Link>
      </p>
      {done ? <FormAlert tone="success">{{ added: t.added, removed: t.removed, scores: t.scoresSaved, check: t.checkSaved }[done]}</FormAlert> : null}
      {otherFailure ? <FormAlert>{refusalText(m, otherFailure) ?? ''}</FormAlert> : null}

      {removing ? (
        <section aria-labelledby="remove-title" id="remove" className="confirm-box">
          <h2 id="remove-title">{t.removeTitle}</h2>
          <p>{format(t.removeQuestion, { name: removing.fullName }, locale)}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="attendeeId" value={removing.id} />
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" required /> {t.removeCheckbox}
            </label>
            <p className="button-row">
              <button type="submit">{t.removeSubmit}</button>
              <Link to={`/training/${session.id}`}>{t.removeCancel}</Link>
            </p>
          </Form>
        </section>
      ) : null}

      <h2 id="attendees-title">{t.attendeesTitle}</h2>
      <p role="status">{format(t.count, { count: attendees.length }, locale)}</p>
      {attendees.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <AttendeesForm check={session.check !== null}>
          <div className="table-wrap">
            <table className="report-table" data-testid="attendees" aria-labelledby="attendees-title">
              <thead>
                <tr>
                  <th scope="col">{t.columns.name}</th>
                  <th scope="col">{t.columns.kind}</th>
                  <th scope="col">{t.columns.birthYear}</th>
                  <th scope="col">{t.columns.village}</th>
                  <th scope="col">{t.columns.gender}</th>
                  <th scope="col">{t.columns.ethnicity}</th>
                  {session.check ? <th scope="col">{t.scoreColumn}</th> : null}
                  <th scope="col">{t.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {attendees.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.fullName}</th>
                    <td>{t.kinds[a.kind]}</td>
                    <td>{a.birthYear ?? '—'}</td>
                    <td>{a.village || '—'}</td>
                    <td>{a.gender ?? '—'}</td>
                    <td>{a.ethnicity ?? '—'}</td>
                    {session.check ? (
                      <td>
                        <input
                          name={`score-${a.id}`}
                          inputMode="numeric"
                          pattern="[0-9]*"
                          maxLength={4}
                          size={4}
                          aria-label={format(t.scoreLabel, { name: a.fullName }, locale)}
                          defaultValue={scoreFailure ? typed(scoreFailure.values, `score-${a.id}`) : a.checkScore === null ? '' : String(a.checkScore)}
                          aria-invalid={scoreFailure?.fieldErrors[`score-${a.id}`] ? true : undefined}
                        />{' '}
                        {a.checkScore !== null ? <small>{a.checkScore >= session.check.pass ? t.passedMark : t.notPassedMark}</small> : null}
                      </td>
                    ) : null}
                    <td>
                      <Link to={`/training/${session.id}?remove=${a.id}#remove`} aria-label={format(t.removeLabel, { name: a.fullName }, locale)}>
                        {t.remove}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {session.check ? (
            <>
              <p className="hint">{t.scoresHint}</p>
              <input type="hidden" name="intent" value="record-scores" />
              <button type="submit">{t.scoresSubmit}</button>
            </>
          ) : null}
        </AttendeesForm>
      )}

      <h2 id="check-title">{t.checkTitle}</h2>
      {checkFailure ? <FormAlert>{refusalText(m, checkFailure) ?? ''}</FormAlert> : null}
      <p data-testid="check-line">
        {session.check
          ? format(
              t.checkLine,
              {
                max: String(session.check.max),
                pass: String(session.check.pass),
                passed: String(attendees.filter((a) => a.checkScore !== null && a.checkScore >= session.check!.pass).length),
                checked: String(attendees.filter((a) => a.checkScore !== null).length),
              },
              locale
            )
          : t.checkNone}
      </p>
      <details open={checkFailure ? true : undefined}>
        <summary>{t.checkChange}</summary>
        <Form method="post" className="narrow-form" aria-labelledby="check-title">
          <input type="hidden" name="intent" value="set-check" />
          <p className="hint" id="check-hint">
            {t.checkHint}
          </p>
          {(['checkMaxScore', 'checkPassScore'] as const).map((name) => {
            const error = fieldText(m, checkFailure, name)
            const value = checkFailure ? typed(checkFailure.values, name) : session.check ? String(name === 'checkMaxScore' ? session.check.max : session.check.pass) : ''
            return (
              <div key={name} className={error ? 'field field-invalid' : 'field'}>
                <label htmlFor={`check-${name}`}>{name === 'checkMaxScore' ? t.checkMax : t.checkPass}</label>
                <input
                  id={`check-${name}`}
                  name={name}
                  inputMode="numeric"
                  pattern="[0-9]*"
                  maxLength={4}
                  defaultValue={value}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `check-${name}-error check-hint` : 'check-hint'}
                />
                {error ? (
                  <p id={`check-${name}-error`} className="field-error">
                    {error}
                  </p>
                ) : null}
              </div>
            )
          })}
          <button type="submit">{t.checkSet}</button>
        </Form>
      </details>

      <h2 id="search-title">{t.searchTitle}</h2>
      <Form method="get" role="search" aria-labelledby="search-title" className="report-filters">
        <div className="field">
          <label htmlFor="attendee-q">{t.searchLabel}</label>
          <input id="attendee-q" type="search" name="q" defaultValue={q} maxLength={100} />
        </div>
        <button type="submit">{t.searchButton}</button>
      </Form>
      {q ? (
        <>
          {candidateList(t.staffResults, candidates.staff, 'add-staff', 'staffRecordId', 'staff-candidates')}
          {candidateList(t.accountResults, candidates.accounts, 'add-account', 'userId', 'account-candidates')}
        </>
      ) : null}

      <h2 id="citizen-title">{t.citizenTitle}</h2>
      {/* With JavaScript and no signal, the citizen form keeps entries on the phone (/training-offline.js). */}
      <div id="training-offline" hidden data-session={session.id} data-queued={m.training.offline.queued} data-synced={m.training.offline.synced} className="alert alert-success" data-testid="training-offline">
        <p id="training-offline-status" role="status" aria-live="polite" />
        <p id="training-offline-reload" hidden>
          <Link to={`/training/${session.id}`}>{m.training.offline.reload}</Link>
        </p>
      </div>
      <script src="/training-offline.js" defer />
      <Form method="post" className="narrow-form" aria-labelledby="citizen-title">
        <input type="hidden" name="intent" value="add-citizen" />
        {citizenField('fullName', t.fullName, { required: true, maxLength: 200, autoComplete: 'off' })}
        {citizenField('birthYear', t.birthYear, { required: true, inputMode: 'numeric', pattern: '[0-9]{4}', maxLength: 4 })}
        {citizenField('village', t.village, { required: true, maxLength: 200 })}
        {citizenField('phone', t.phone, { type: 'tel', maxLength: 20 })}
        {citizenField('gender', t.gender, { maxLength: 40 })}
        {citizenField('ethnicity', t.ethnicity, { maxLength: 60 })}
        <button type="submit" className="button-primary">
          {t.addCitizen}
        </button>
      </Form>
    </section>
  )
}

/** With a check, the attendance table is also the form of the scores (one field per person). */
function AttendeesForm({ check, children }: { check: boolean; children: React.ReactNode }) {
  if (!check) return <>{children}</>
  return (
    <Form method="post" aria-labelledby="attendees-title">
      {children}
    </Form>
  )
}
