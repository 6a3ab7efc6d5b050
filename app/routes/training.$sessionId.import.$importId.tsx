// /training/:sessionId/import/:importId — the preview of an attendance sheet (counts, every bad row
// with its line, the people to be added), then confirm (once) or cancel; afterwards, the result.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { requireUser } from '~/modules/auth/request.server'
import type { TrainingErrorKey, TrainingFailure } from '~/modules/training/form-result'
import { cancelAttendanceImport, confirmAttendanceImport, getAttendanceImport, type ImportProblem, type ImportRow } from '~/modules/training/import.server'
import { ImportDecisionSchema } from '~/modules/training/schema'
import { prisma } from '~/utils/db.server'
import { failureOf, parseForm } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusal } from './training.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.import.title)

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const ids = routeParams(params, { sessionId: param.uuid, importId: param.uuid })
  const job = await getAttendanceImport(prisma(), actor, ids).catch(throwAsResponse)
  const rows = job.rows as unknown as ImportRow[]
  const problems = job.problems as unknown as ImportProblem[]
  return data(
    {
      sessionId: ids.sessionId,
      id: job.id,
      fileName: job.fileName,
      status: job.status,
      total: job.totalRows,
      inserted: job.insertedCount,
      already: problems.filter((p) => p.kind === 'already').length,
      rows: rows.map((r) => ({ line: r.line, fullName: r.fullName, birthYear: r.birthYear, village: r.village, gender: r.gender, ethnicity: r.ethnicity })),
      problems,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const ids = routeParams(params, { sessionId: param.uuid, importId: param.uuid })
  // Another subtree's import is "not found" whatever was posted.
  await getAttendanceImport(prisma(), actor, ids).catch(throwAsResponse)
  const parsed = parseForm<typeof ImportDecisionSchema, TrainingErrorKey>(await request.formData(), ImportDecisionSchema)
  if (!parsed.ok) return data<TrainingFailure>(parsed.failure, { status: 400 })
  try {
    if (parsed.data.intent === 'confirm') await confirmAttendanceImport(prisma(), actor, ids)
    else await cancelAttendanceImport(prisma(), actor, ids)
    return redirect(`/training/${ids.sessionId}/import/${ids.importId}`, 303)
  } catch (error) {
    return refusal(error, parsed.values)
  }
}

export default function AttendancePreview() {
  const job = useLoaderData<typeof loader>()
  const failure = failureOf<TrainingErrorKey>(useActionData<typeof action>()) as TrainingFailure | null
  const { m, locale } = useMessages()
  const t = m.training.import
  const reason = (p: ImportProblem) =>
    p.kind === 'duplicate' ? format(t.duplicate, { line: p.firstLine }, locale) : p.kind === 'already' ? t.already : p.messages.map((k) => m.training.errors[k as TrainingErrorKey] ?? m.training.errors.invalid).join(' ')
  const errorRows = job.problems.filter((p) => p.kind !== 'already').length
  return (
    <section aria-labelledby="preview-title">
      <p>
        <Link to={`/training/${job.sessionId}`}>← {t.back}</Link>
      </p>
      <h1 id="preview-title">{format(t.previewTitle, { file: job.fileName }, locale)}</h1>
      {failure ? <FormAlert>{failure.message ?? m.training.errors.invalid}</FormAlert> : null}
      {job.status === 'DONE' ? <FormAlert tone="success">{format(t.done, { inserted: job.inserted }, locale)}</FormAlert> : null}
      {job.status === 'CANCELLED' ? <FormAlert tone="success">{t.cancelled}</FormAlert> : null}
      {job.status === 'PREVIEW' ? (
        <>
          <p role="status" data-testid="attendance-counts">
            {format(t.counts, { total: job.total, valid: job.rows.length, already: job.already, problems: errorRows }, locale)}
          </p>
          <h2>{t.problemsTitle}</h2>
          {job.problems.length === 0 ? (
            <p>{t.noProblems}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="attendance-problems">
                <thead>
                  <tr>
                    <th scope="col">{t.line}</th>
                    <th scope="col">{t.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.problems.map((p, i) => (
                    <tr key={`${p.line}-${i}`} data-kind={p.kind}>
                      <td>{p.line}</td>
                      <td>{reason(p)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{t.rowsTitle}</h2>
          {job.rows.length === 0 ? (
            <p>{t.nothing}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="attendance-rows">
                <thead>
                  <tr>
                    <th scope="col">{t.line}</th>
                    <th scope="col">{m.training.session.columns.name}</th>
                    <th scope="col">{m.training.session.columns.birthYear}</th>
                    <th scope="col">{m.training.session.columns.village}</th>
                    <th scope="col">{m.training.session.columns.gender}</th>
                    <th scope="col">{m.training.session.columns.ethnicity}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.rows.map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>{r.fullName}</td>
                      <td>{r.birthYear}</td>
                      <td>{r.village}</td>
                      <td>{r.gender ?? '—'}</td>
                      <td>{r.ethnicity ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="button-row">
            {job.rows.length > 0 ? (
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <button type="submit" className="button-primary">
                  {t.confirm}
                </button>
              </Form>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit">{t.cancel}</button>
            </Form>
          </div>
        </>
      ) : null}
    </section>
  )
}
