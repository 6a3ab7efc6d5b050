// /training/:sessionId/import — upload an attendance sheet (CSV or XLSX) of citizens. It is read and
// checked, the preview stored, and the organiser is sent to it; nothing is added to the list yet.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/modules/auth/request.server'
import { spreadsheetUploadAction } from '~/modules/files/upload-action.server'
import { MAX_ROSTER_BYTES as MAX_ATTENDANCE_BYTES } from '~/modules/roster/constants'
import { createAttendancePreview } from '~/modules/training/import.server'
import { requireSession } from '~/modules/training/service.server'
import { prisma } from '~/utils/db.server'
import { formatError, type ErrorKey } from '~/utils/errors'
import { failureOf } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.training.import.title)
const MB = MAX_ATTENDANCE_BYTES / 1024 / 1024

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { sessionId } = routeParams(params, { sessionId: param.uuid })
  const session = await requireSession({ db: prisma(), actor, sessionId }).catch(throwAsResponse)
  return { session: { id: session.id, topic: session.topic } }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const { sessionId } = routeParams(params, { sessionId: param.uuid })
  // Another subtree's session is "not found" before anything of the body is read.
  await requireSession({ db: prisma(), actor, sessionId }).catch(throwAsResponse)
  return spreadsheetUploadAction(request, {
    userId: actor.id,
    maxBytes: MAX_ATTENDANCE_BYTES,
    read: async (file) => `/training/${sessionId}/import/${(await createAttendancePreview(prisma(), actor, { sessionId, ...file })).id}`,
  })
}

export default function AttendanceUpload() {
  const { session } = useLoaderData<typeof loader>()
  const failure = failureOf<ErrorKey>(useActionData<typeof action>())
  const { m, locale } = useMessages()
  const t = m.training.import
  const fileError = failure?.fieldErrors.file?.[0]
  return (
    <section aria-labelledby="attendance-import-title">
      <p>
        <Link to={`/training/${session.id}`}>← {session.topic}</Link>
      </p>
      <h1 id="attendance-import-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="post" encType="multipart/form-data" className="narrow-form" reloadDocument>
        <div className={fileError ? 'field field-invalid' : 'field'}>
          <label htmlFor="attendance-file">{format(t.file, { mb: MB }, locale)}</label>
          <input
            id="attendance-file"
            type="file"
            name="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'attendance-file-error' : undefined}
          />
          {fileError ? (
            <p id="attendance-file-error" className="field-error" role="alert">
              {formatError(fileError, failure?.params, locale)}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button-primary">
          {t.upload}
        </button>
      </Form>
    </section>
  )
}
