// /staff/import — upload a roster file (CSV or XLSX). The file is parsed and checked, the preview
// stored, and the officer is sent to it; nothing is written to the roster yet.
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { agencyScope } from '~/modules/agency/admin.server'
import { requireUser } from '~/modules/auth/request.server'
import { withUploadSlot } from '~/modules/files/upload.server'
import { MAX_ROSTER_BYTES } from '~/modules/roster/constants'
import { createPreview, recentImports } from '~/modules/roster/import.server'
import { prisma } from '~/utils/db.server'
import { formatError, isAppError, type ErrorKey } from '~/utils/errors'
import { failureOf, failureFromError, formFailure, formFields } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.import.title)
const MB = MAX_ROSTER_BYTES / 1024 / 1024

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  await agencyScope(prisma(), actor).catch(throwAsResponse)
  const recent = await recentImports(prisma(), actor)
  return { recent: recent.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  await agencyScope(prisma(), actor).catch(throwAsResponse)
  // One field, a file: nothing typed to keep, the error goes beside the file field (docs/decisions/015).
  const refuse = (key: ErrorKey, status: number, params?: Record<string, string | number>) =>
    data(formFailure<ErrorKey>({}, { fieldErrors: { file: [key] }, params }), { status })
  const tooLarge = () => refuse('roster.tooLarge', 413, { mb: MB })
  // Refuse an oversized upload before reading it (the part limit below catches a lying header).
  if (Number(request.headers.get('content-length') ?? 0) > MAX_ROSTER_BYTES + 64 * 1024) return tooLarge()
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_ROSTER_BYTES }))
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge()
    return refuse('roster.noFile', 400)
  }
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0) return refuse('roster.noFile', 400)
  try {
    // One file per account at a time, read under the upload limits (docs/decisions/017).
    const bytes = new Uint8Array(await file.arrayBuffer())
    const preview = await withUploadSlot(prisma(), actor.id, () => createPreview(prisma(), actor, { fileName: file.name, bytes }))
    return redirect(`/staff/import/${preview.id}`, 303)
  } catch (error) {
    // Over a limit (413), malformed (400), another file of yours being read (409), server busy (503).
    if (isAppError(error) && ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'UNAVAILABLE'].includes(error.code))
      return data(failureFromError(formFields(form), error, { field: 'file' }), { status: error.status, headers: error.code === 'UNAVAILABLE' ? { 'Retry-After': '60' } : undefined })
    throwAsResponse(error)
  }
}

export default function ImportUpload() {
  const { recent } = useLoaderData<typeof loader>()
  const failure = failureOf<ErrorKey>(useActionData<typeof action>())
  const { m, locale } = useMessages()
  const t = m.reports.import
  const fileError = failure?.fieldErrors.file?.[0]
  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/staff">← {m.reports.staff.title}</Link>
      </p>
      <h1 id="import-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="post" encType="multipart/form-data" className="narrow-form" reloadDocument>
        <div className={fileError ? 'field field-invalid' : 'field'}>
          <label htmlFor="roster-file">{format(t.file, { mb: MB }, locale)}</label>
          <input
            id="roster-file"
            type="file"
            name="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'roster-file-error' : undefined}
          />
          {fileError ? (
            <p id="roster-file-error" className="field-error" role="alert">
              {formatError(fileError, failure?.params, locale)}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button-primary">
          {t.upload}
        </button>
      </Form>
      {recent.length ? (
        <>
          <h2>{t.recent}</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.id}>
                <Link to={`/staff/import/${r.id}`}>{r.fileName}</Link> — {t.status[r.status]} · {formatDateTime(r.createdAt, locale)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
