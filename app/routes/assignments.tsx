// /assignments — mandatory courses: assign a course to an agency subtree (optionally some job
// titles) with a due date; remove one (with confirmation).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyOptions } from '~/components/agency-options'
import { FormAlert } from '~/components/form'
import { agencyScope, listAgencyTree } from '~/modules/agency/admin.server'
import { AssignmentFormSchema, createAssignment, deleteAssignment, listAssignments } from '~/modules/assignment/service.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { prisma } from '~/utils/db.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed, type FormFailure } from '~/utils/forms'
import { formatDateTime, useMessages } from '~/utils/i18n'
import type { Messages } from '~/locales/types'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.assignments.title)
type ErrorKey = keyof Messages['reports']['errors']

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const [assignments, agencies, courses] = await Promise.all([
    listAssignments(prisma(), actor),
    listAgencyTree(prisma(), scope),
    prisma().course.findMany({ where: { retiredAt: null }, select: { id: true, title: true }, orderBy: { title: 'asc' } }),
  ])
  const now = Date.now()
  return {
    assignments: assignments.map((a) => ({
      id: a.id,
      course: a.course.title,
      agency: a.agency.name,
      jobTitles: a.jobTitles,
      dueAt: a.dueAt.toISOString(),
      overdue: a.dueAt.getTime() < now,
      by: a.createdBy?.fullName ?? null,
    })),
    agencies: agencies.map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
    courses,
  }
}

// The report's counters are brought up to date in the write's own transaction, however many people
// the assignment concerns (ADR 016, amendment of 2026-12-08): nothing is left to refresh afterwards.
type Result = { ok: true; done: 'created' | 'deleted' } | FormFailure<ErrorKey>

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const form = await request.formData()
  const ip = clientInfo(request, context).ip
  const parsed = parseForm<typeof AssignmentFormSchema, ErrorKey>(form, AssignmentFormSchema, { repeated: ['jobTitles'] })
  try {
    if (form.get('intent') === 'delete') {
      if (form.get('confirm') !== 'yes') return data<Result>(formFailure({}, { formError: 'confirmRequired' }), { status: 400 })
      await deleteAssignment(prisma(), actor, String(form.get('id') ?? ''), ip)
      return data<Result>({ ok: true, done: 'deleted' })
    }
    if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
    await createAssignment(prisma(), actor, parsed.data, ip)
    return data<Result>({ ok: true, done: 'created' })
  } catch (error) {
    const values = parsed.ok ? parsed.values : parsed.failure.values
    if (isAppError(error) && error.code === 'BAD_INPUT') return data<Result>(formFailure(values, { formError: error.message as ErrorKey }), { status: 400 })
    throwAsResponse(error)
  }
}

export default function Assignments() {
  const { assignments, agencies, courses } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.reports.assignments
  const failure = failureOf<ErrorKey>(result)
  const firstError = failure ? (failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? 'invalid') : null
  const errorText = firstError ? (m.reports.errors[firstError] ?? m.reports.errors.invalid) : null
  // What was typed into the create form, shown again after a refusal.
  const values = failure && typed(failure.values, 'intent') !== 'delete' ? failure.values : null
  return (
    <section aria-labelledby="assign-title">
      <h1 id="assign-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {errorText ? <FormAlert>{errorText}</FormAlert> : null}
      {result?.ok ? (
        <FormAlert tone="success">
          {result.done === 'created' ? t.created : t.deleted}
        </FormAlert>
      ) : null}
      {assignments.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="assignments-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.course}</th>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.jobTitles}</th>
                <th scope="col">{t.columns.dueAt}</th>
                <th scope="col">{t.columns.by}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.remove}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => (
                <tr key={a.id}>
                  <td>{a.course}</td>
                  <td>{a.agency}</td>
                  <td>{a.jobTitles.length ? a.jobTitles.join('; ') : t.allTitles}</td>
                  <td>
                    {formatDateTime(a.dueAt, locale, 'short')}
                    {a.overdue ? <strong> ({t.overdue})</strong> : null}
                  </td>
                  <td>{a.by ?? '—'}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={a.id} />
                      <label className="choice">
                        <input type="checkbox" name="confirm" value="yes" required /> {t.removeConfirm}
                      </label>
                      <button type="submit" className="button-small button-danger">
                        {t.remove}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t.create}</h2>
      <Form method="post" className="narrow-form">
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="as-course">{t.course}</label>
          <select id="as-course" name="courseId" required defaultValue={typed(values, 'courseId')}>
            <option value="">—</option>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="as-agency">{t.agency}</label>
          <select id="as-agency" name="agencyId" required defaultValue={typed(values, 'agencyId')}>
            <AgencyOptions agencies={agencies} empty="—" />
          </select>
        </div>
        <div className="field">
          <label htmlFor="as-titles">{t.jobTitles}</label>
          <p className="hint" id="as-titles-hint">
            {t.jobTitlesHint}
          </p>
          <input id="as-titles" name="jobTitles" aria-describedby="as-titles-hint" defaultValue={[values?.jobTitles ?? []].flat().join('; ')} />
        </div>
        <div className="field">
          <label htmlFor="as-due">{t.dueAt}</label>
          <input id="as-due" type="date" name="dueAt" required defaultValue={typed(values, 'dueAt')} />
        </div>
        <button type="submit" className="button-primary">
          {t.submit}
        </button>
      </Form>
    </section>
  )
}
