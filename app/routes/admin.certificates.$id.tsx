// /admin/certificates/:id — revoking a certificate (admins only): a reason, shown publicly on the
// verification page, and a confirmation box; written with its audit entry in one transaction.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CertificateFactsList } from '~/components/certificate-card'
import { FormAlert } from '~/components/form'
import { requireAdmin } from '~/modules/auth/permissions.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { certificateForViewer, revokeCertificate } from '~/modules/certificate/service.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, formFields, echoValues, typed, type FormFailure } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (m) => format(m.certificates.admin.revokeTitle, { number: data?.certificate.number ?? '' }))

async function load(request: Request, id: string) {
  const actor = await requireUser(request)
  try {
    requireAdmin(actor)
  } catch (error) {
    throwAsResponse(error)
  }
  return { actor, certificate: await certificateForViewer({ actor, id }).catch(throwAsResponse) }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { certificate } = await load(request, routeParams(params, { id: param.uuid }).id)
  const { code: _c, userId: _u, ...c } = certificate
  return { certificate: c, justRevoked: new URL(request.url).searchParams.get('revoked') === '1' && c.revokedAt !== null }
}

type ErrorKey = 'reason' | 'confirm' | 'already'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, certificate } = await load(request, routeParams(params, { id: param.uuid }).id)
  const form = await request.formData()
  const values = echoValues(formFields(form))
  const refuse = (error: ErrorKey, status = 400) =>
    data<FormFailure<ErrorKey>>(formFailure(values, error === 'already' ? { formError: error } : { fieldErrors: { [error]: [error] } }), { status })
  const clean = typed(values, 'reason').normalize('NFC').replace(/\s+/g, ' ').trim()
  if (clean.length < 5 || clean.length > 500) return refuse('reason')
  if (form.get('confirm') !== 'yes') return refuse('confirm')
  try {
    await revokeCertificate({ actor, id: certificate.id, reason: clean, ip: clientInfo(request, context).ip })
  } catch (error) {
    if (isAppError(error) && error.code === 'CONFLICT') return refuse('already', 409)
    throwAsResponse(error)
  }
  return redirect(`/admin/certificates/${certificate.id}?revoked=1`)
}

export default function RevokeCertificate() {
  const { certificate: c, justRevoked } = useLoaderData<typeof loader>()
  const result = failureOf<ErrorKey>(useActionData<typeof action>())
  const error = result ? (result.formError ?? Object.values(result.fieldErrors)[0]?.[0] ?? null) : null
  const { m, locale } = useMessages()
  const t = m.certificates.admin
  return (
    <section aria-labelledby="revoke-title">
      <h1 id="revoke-title">{format(t.revokeTitle, { number: c.number }, locale)}</h1>
      {justRevoked && !result ? <FormAlert tone="success">{t.revoked}</FormAlert> : null}
      <CertificateFactsList c={c} />
      <p>
        <Link to={`/certificates/${c.id}`}>{m.certificates.detail.downloads}</Link>
      </p>
      {error ? <FormAlert>{t.errors[error]}</FormAlert> : null}
      {!c.revokedAt ? (
        <Form method="post" className="narrow-form">
          <p>{t.revokeLead}</p>
          <div className={error === 'reason' ? 'field field-invalid' : 'field'}>
            <label htmlFor="revoke-reason">{t.reason}</label>
            <p id="revoke-reason-hint" className="hint">
              {t.reasonHint}
            </p>
            <textarea id="revoke-reason" name="reason" required minLength={5} maxLength={500} rows={3} defaultValue={typed(result?.values, 'reason')} aria-describedby="revoke-reason-hint" aria-invalid={error === 'reason' ? true : undefined} />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> {t.confirm}
            </label>
          </div>
          <button type="submit" className="button-danger">
            {t.submit}
          </button>
        </Form>
      ) : null}
    </section>
  )
}
