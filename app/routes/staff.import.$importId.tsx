// /staff/import/:id — the preview (counts, every bad row), then confirm or cancel; after confirming,
// the progress (the page reloads itself, no JavaScript), then the result.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { cancelImport, claimImport, getImport, STUCK_AFTER_MS, sweepStuckImports, type FailReason } from '~/modules/roster/import.server'
import type { RowError } from '~/modules/roster/parse'
import { ImportActionSchema, type ImportFormErrorKey } from '~/modules/roster/schema'
import { prisma } from '~/utils/db.server'
import { failureOf, formFailure, parseForm } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.import.title)

// While applying, the browser reloads the page by itself (the Refresh header; no JavaScript).
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  let job = await getImport(prisma(), actor, routeParams(params, { importId: param.uuid }).importId).catch(throwAsResponse)
  // An import cut off by a restart is found here too (the page reloads itself while applying).
  if (job.status === 'APPLYING' && job.startedAt && Date.now() - job.startedAt.getTime() > STUCK_AFTER_MS) {
    if (await sweepStuckImports(prisma(), { id: job.id })) job = await getImport(prisma(), actor, job.id)
  }
  return data({
    id: job.id,
    fileName: job.fileName,
    status: job.status,
    total: job.totalRows,
    valid: job.newCount + job.updatedCount + job.unchangedCount,
    counts: { new: job.newCount, updated: job.updatedCount, unchanged: job.unchangedCount, errors: job.errorCount },
    processed: job.processed,
    message: job.message,
    errors: job.status === 'PREVIEW' ? (job.errors as unknown as RowError[]) : [],
  }, { headers: job.status === 'APPLYING' ? { Refresh: '2', 'Cache-Control': 'no-store' } : { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const id = routeParams(params, { importId: param.uuid }).importId
  const parsed = parseForm<typeof ImportActionSchema, ImportFormErrorKey>(await request.formData(), ImportActionSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  const refuse = (status: number, error: { fieldErrors?: Partial<Record<string, ImportFormErrorKey[]>>; formError?: ImportFormErrorKey }) =>
    data(formFailure(parsed.values, error), { status })
  const form = parsed.data
  if (form.intent === 'cancel') {
    // Cancelling a preview loses nothing; cancelling one being applied needs the box ticked.
    const job = await getImport(prisma(), actor, id).catch(throwAsResponse)
    if (job.status === 'APPLYING' && form.confirm !== 'yes') return refuse(400, { fieldErrors: { confirm: ['cancelApplyingNeedsConfirm'] } })
    if (!(await cancelImport(prisma(), actor, id).catch(throwAsResponse)) && job.status === 'APPLYING') return refuse(409, { formError: 'notCancellable' })
    return redirect(`/staff/import/${id}`, 303)
  }
  const run = await claimImport(prisma(), actor, id, clientInfo(request, context).ip).catch(throwAsResponse)
  if (!run) return refuse(409, { formError: 'alreadyApplied' })
  // The work goes on after the response; the progress page follows it.
  void run()
  return redirect(`/staff/import/${id}`, 303)
}

/** The stored reason in the reader's language (an older row may hold a Vietnamese sentence). */
function failReason(reasons: Record<FailReason, string>, message: string | null): string {
  return message && message in reasons ? reasons[message as FailReason] : (message ?? '')
}

export default function ImportJob() {
  const job = useLoaderData<typeof loader>()
  const failure = failureOf<ImportFormErrorKey>(useActionData<typeof action>())
  const confirmError = failure?.fieldErrors.confirm?.[0]
  // A request of no known intent is about the whole form.
  const formError = failure ? (failure.formError ?? failure.fieldErrors.intent?.[0] ?? null) : null
  const { m, locale } = useMessages()
  const t = m.reports.import
  const n = (x: number) => new Intl.NumberFormat(locale).format(x)
  return (
    <section aria-labelledby="job-title">
      <p>
        <Link to="/staff/import">← {t.title}</Link>
      </p>
      <h1 id="job-title">{job.status === 'APPLYING' ? t.progressTitle : format(t.previewTitle, { file: job.fileName })}</h1>
      {formError ? <FormAlert>{t[formError]}</FormAlert> : null}

      {job.status === 'PREVIEW' ? (
        <>
          <p role="status" data-testid="import-counts">
            {format(t.counts, { total: job.total, new: job.counts.new, updated: job.counts.updated, unchanged: job.counts.unchanged, errors: job.counts.errors }, locale)}
          </p>
          <h2>{t.errorsTitle}</h2>
          {job.errors.length === 0 ? (
            <p>{t.noErrors}</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="import-errors">
                <thead>
                  <tr>
                    <th scope="col">{t.errorColumns.line}</th>
                    <th scope="col">{t.errorColumns.reason}</th>
                    <th scope="col">{t.errorColumns.detail}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.errors.map((e, i) => (
                    <tr key={`${e.line}-${i}`} data-kind={e.kind}>
                      <td>{e.line}</td>
                      <td>{t.errorKinds[e.kind]}</td>
                      <td>{e.detail || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p>{t.allOrNothing}</p>
          {job.counts.new + job.counts.updated === 0 ? <p>{t.nothingToDo}</p> : null}
          <div className="button-row">
            {job.counts.new + job.counts.updated > 0 ? (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="confirm" />
                <button type="submit" className="button-primary">
                  {format(t.confirmAll, { count: job.valid }, locale)}
                </button>
              </Form>
            ) : null}{' '}
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="cancel" />
              <button type="submit">{t.cancel}</button>
            </Form>
          </div>
        </>
      ) : null}

      {job.status === 'APPLYING' ? (
        <>
          <p role="status">{format(t.progress, { total: n(job.valid) }, locale)}</p>
          {/* No value: the rows are written in one transaction, whose progress no one else can see. */}
          <progress aria-label={format(t.progress, { total: n(job.valid) }, locale)} />
          <p>{t.refreshHint}</p>
          <p>
            <Link to={`/staff/import/${job.id}`}>{t.refresh}</Link>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <p className={confirmError ? 'field field-invalid' : undefined}>
              <label>
                <input
                  type="checkbox"
                  name="confirm"
                  value="yes"
                  required
                  aria-invalid={confirmError ? true : undefined}
                  aria-describedby={confirmError ? 'cancel-confirm-error' : undefined}
                />{' '}
                {t.cancelApplyingConfirm}
              </label>
            </p>
            {confirmError ? (
              <p id="cancel-confirm-error" className="field-error">
                {t[confirmError]}
              </p>
            ) : null}
            <button type="submit">{t.cancelApplying}</button>
          </Form>
        </>
      ) : null}
      {job.status === 'DONE' ? (
        <FormAlert tone="success">{format(t.done, { new: job.counts.new, updated: job.counts.updated, unchanged: job.counts.unchanged }, locale)}</FormAlert>
      ) : null}
      {job.status === 'FAILED' ? <FormAlert>{format(t.failed, { message: failReason(t.failReasons, job.message) }, locale)}</FormAlert> : null}
      {job.status === 'CANCELLED' ? <FormAlert tone="success">{t.cancelled}</FormAlert> : null}
      {job.status !== 'PREVIEW' && job.status !== 'APPLYING' ? (
        <p>
          <Link to="/staff">{t.toStaff}</Link> · <Link to="/staff/import">{t.again}</Link>
        </p>
      ) : null}
    </section>
  )
}
