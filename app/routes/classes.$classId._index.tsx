// /classes/:classId — the teacher's page of a class: its code, work to assign, the table of
// students × lessons, exports, and PIN resets. Only the class's teacher (or an admin) sees it;
// anyone else gets 404.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requireUser } from '~/modules/auth/request.server'
import { AssignSchema, type ClassErrorKey } from '~/modules/classes/schema'
import { allErrors, errorsFromMap, failureOf, formFailure, parseForm, typed, type FormFailure } from '~/utils/forms'
import { assign, assignableTargets, classForTeacher, resetPin, setArchived, unassign } from '~/modules/classes/service.server'
import { classTable } from '~/modules/classes/table.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { publicOrigin } from '~/utils/origin.server'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.cls.name} — Bản Số` : 'Bản Số' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  try {
    const cls = await classForTeacher({ actor: user, classId: routeParams(params, { classId: param.uuid }).classId })
    const [targets, table] = await Promise.all([assignableTargets(), classTable({ classId: cls.id })])
    const url = new URL(request.url)
    return {
      cls: { id: cls.id, name: cls.name, joinCode: cls.joinCode, school: cls.school.name, archived: cls.archivedAt !== null },
      joinUrl: `${publicOrigin(request)}/join`,
      targets,
      table,
      notice: url.searchParams.get('done'),
    }
  } catch (error) {
    throwAsResponse(error)
  }
}

type ActionResult = FormFailure<ClassErrorKey> | { ok: true; newPin: { name: string; pin: string } }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const classId = routeParams(params, { classId: param.uuid }).classId
  const form = await request.formData()
  const intent = form.get('intent')
  const ip = context.clientIp
  try {
    if (intent === 'assign') {
      await classForTeacher({ actor: user, classId })
      const parsed = parseForm<typeof AssignSchema, ClassErrorKey>(form, AssignSchema)
      if (!parsed.ok) return data(parsed.failure satisfies ActionResult, { status: 400 })
      const result = await assign({ actor: user, classId, target: parsed.data.target, due: parsed.data.due, ip })
      if (!result.ok) return data(formFailure(parsed.values, errorsFromMap<ClassErrorKey>(result.errors)) satisfies ActionResult, { status: 400 })
      return redirect(`/classes/${classId}?done=assigned#giao-bai`, { status: 303 })
    }
    if (intent === 'unassign') {
      await unassign({ actor: user, classId, assignmentId: String(form.get('assignment') ?? ''), ip })
      return redirect(`/classes/${classId}?done=removed#giao-bai`, { status: 303 })
    }
    if (intent === 'reset-pin') {
      const { pin, fullName } = await resetPin({ actor: user, classId, userId: String(form.get('user') ?? ''), ip })
      // Shown once, in this response only: never in a URL, never stored in clear.
      return { ok: true as const, newPin: { name: fullName, pin } } satisfies ActionResult
    }
    if (intent === 'archive' || intent === 'unarchive') {
      await setArchived({ actor: user, classId, archived: intent === 'archive', ip })
      return redirect(`/classes/${classId}`, { status: 303 })
    }
  } catch (error) {
    throwAsResponse(error)
  }
  return data(formFailure<ClassErrorKey>({}, { formError: 'courseUnknown' }) satisfies ActionResult, { status: 400 })
}

export default function ClassPage() {
  const { cls, joinUrl, targets, table, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionResult | undefined
  const { m, locale } = useMessages()
  const t = m.classes.detail
  const failure = failureOf<ClassErrorKey>(actionData)
  const errors = allErrors(failure)
  const err = (field: string) => (errors[field]?.[0] ? m.classes.errors[errors[field]![0]!] : undefined)
  const newPin = actionData && 'newPin' in actionData ? actionData.newPin : null
  const date = (d: string | Date) => formatDateTime(d, locale, 'short')
  return (
    <section aria-labelledby="class-title">
      <h1 id="class-title">{cls.name}</h1>
      <p className="lead">{format(t.school, { name: cls.school })}</p>
      {cls.archived ? <FormAlert>{t.archivedNote}</FormAlert> : null}
      {newPin ? (
        <div className="alert alert-success" role="status" data-testid="new-pin">
          <p>
            <strong>{format(t.newPin, { name: newPin.name, pin: newPin.pin })}</strong>
          </p>
          <p>{t.newPinHint}</p>
        </div>
      ) : null}

      <div className="join-code-box">
        <p>
          {t.code}: <strong className="join-code" data-testid="join-code">{cls.joinCode}</strong>
        </p>
        <p className="muted">{format(t.codeHint, { url: joinUrl })}</p>
        <p>
          <Link to={`/classes/${cls.id}/print`}>{t.print}</Link>
        </p>
      </div>

      <section id="giao-bai" aria-labelledby="assign-title">
        <h2 id="assign-title">{t.assignTitle}</h2>
        {notice === 'assigned' ? <FormAlert tone="success">{t.assigned}</FormAlert> : null}
        {notice === 'removed' ? <FormAlert tone="success">{t.removed}</FormAlert> : null}
        {err('form') ? <FormAlert>{err('form')}</FormAlert> : null}
        {!cls.archived ? (
          <Form method="post" className="assign-form" noValidate>
            <div className={err('target') ? 'field field-invalid' : 'field'}>
              <label htmlFor="field-target">{t.target}</label>
              <select
                id="field-target"
                name="target"
                defaultValue={typed(failure?.values, 'target')}
                aria-invalid={err('target') ? true : undefined}
                aria-describedby={err('target') ? 'field-target-error' : undefined}
              >
                <option value="">{t.chooseTarget}</option>
                {targets.map((c) => (
                  <optgroup key={c.slug} label={c.title}>
                    <option value={c.slug}>{format(t.wholeCourse, { course: c.title })}</option>
                    {c.lessons.map((l) => (
                      <option key={l.slug} value={`${c.slug}/${l.slug}`}>
                        {l.position}. {l.title}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
              {err('target') ? (
                <p id="field-target-error" className="field-error">
                  {err('target')}
                </p>
              ) : null}
            </div>
            <div className={err('due') ? 'field field-invalid' : 'field'}>
              <label htmlFor="field-due">{t.due}</label>
              <input
                id="field-due"
                name="due"
                type="date"
                defaultValue={typed(failure?.values, 'due')}
                aria-invalid={err('due') ? true : undefined}
                aria-describedby={err('due') ? 'field-due-error' : undefined}
              />
              {err('due') ? (
                <p id="field-due-error" className="field-error">
                  {err('due')}
                </p>
              ) : null}
            </div>
            <button type="submit" name="intent" value="assign" className="button-primary">
              {t.assign}
            </button>
          </Form>
        ) : null}
        <h3>{t.assignments}</h3>
        {table.assignments.length === 0 ? (
          <p>{t.noAssignments}</p>
        ) : (
          <ul data-testid="assignments">
            {table.assignments.map((a) => {
              const label = a.lessonTitle ? `${a.courseTitle} — ${a.lessonTitle}` : format(t.wholeCourse, { course: a.courseTitle })
              return (
                <li key={a.id}>
                  {label}
                  {a.dueAt ? ` — ${format(m.classes.list.due, { date: date(a.dueAt) })}` : ''}{' '}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="assignment" value={a.id} />
                    <button type="submit" name="intent" value="unassign" aria-label={format(t.removeLabel, { title: label })}>
                      {t.remove}
                    </button>
                  </Form>
                </li>
              )
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="table-title">
        <h2 id="table-title">{t.tableTitle}</h2>
        {table.rows.length === 0 ? (
          <p>{t.noStudents}</p>
        ) : (
          <>
            <p className="muted">{t.tableLead}</p>
            <p>
              <a href={`/classes/${cls.id}/export/csv`} download>
                {t.exportCsv}
              </a>{' '}
              · <a href={`/classes/${cls.id}/export/xlsx`} download>
                {t.exportXlsx}
              </a>
            </p>
            <div className="table-wrap">
              <table className="data-table class-table" data-testid="class-table">
                <thead>
                  <tr>
                    <th scope="col">{t.student}</th>
                    {table.columns.map((c) => (
                      <th scope="col" key={c.key}>
                        {c.kind === 'quiz' ? `${t.quiz}: ${c.courseTitle}` : c.title}
                      </th>
                    ))}
                    <th scope="col">{t.lessonsDone}</th>
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((r) => (
                    <tr key={r.userId}>
                      <th scope="row">{r.fullName}</th>
                      {table.columns.map((c) => {
                        const cell = r.cells[c.key]
                        if (c.kind === 'quiz') return <td key={c.key}>{cell?.score != null ? `${cell.score}%${cell.passed ? ` (${t.passed})` : ''}` : '—'}</td>
                        return (
                          <td key={c.key}>
                            {cell?.done ? (
                              <span title={cell.at ? format(t.doneOn, { date: date(cell.at) }) : t.done}>
                                ✓<span className="visually-hidden"> {cell.at ? format(t.doneOn, { date: date(cell.at) }) : t.done}</span>
                              </span>
                            ) : (
                              <span className="muted">{t.notDone}</span>
                            )}
                          </td>
                        )
                      })}
                      <td>{`${r.doneCount}/${table.lessonColumns}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      {table.rows.length ? (
        <section aria-labelledby="members-title">
          <h2 id="members-title">{t.membersTitle}</h2>
          <ul className="members" data-testid="members">
            {table.rows.map((r) => (
              <li key={r.userId}>
                {r.fullName} <span className="muted">({r.withPin ? t.pinStudent : t.ownAccount})</span>{' '}
                {r.withPin ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="user" value={r.userId} />
                    <button type="submit" name="intent" value="reset-pin" aria-label={format(t.resetPinLabel, { name: r.fullName })}>
                      {t.resetPin}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Form method="post">
        <button type="submit" name="intent" value={cls.archived ? 'unarchive' : 'archive'}>
          {cls.archived ? t.unarchive : t.archive}
        </button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
