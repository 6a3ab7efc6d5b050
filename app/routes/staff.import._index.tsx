// /staff/import — upload a roster file (CSV or XLSX). The file is parsed and checked, the preview
// stored, and the officer is sent to it; nothing is written to the roster yet.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { agencyScope } from '~/modules/agency/admin.server'
import { requireUser } from '~/modules/auth/request.server'
import { spreadsheetUploadAction } from '~/modules/files/upload-action.server'
import { MAX_ROSTER_BYTES } from '~/modules/roster/constants'
import { createPreview, recentImports } from '~/modules/roster/import.server'
import { prisma } from '~/utils/db.server'
import { formatError, type ErrorKey } from '~/utils/errors'
import { failureOf } from '~/utils/forms'
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
  return spreadsheetUploadAction(request, {
    userId: actor.id,
    maxBytes: MAX_ROSTER_BYTES,
    read: async (file) => `/staff/import/${(await createPreview(prisma(), actor, file)).id}`,
  })
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
