import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert, useErrorText } from '~/components/form'
import { listActiveAgencies } from '~/modules/agency/tree.server'
import { formatPhone } from '~/modules/auth/identifier'
import { isAdmin, requirePeopleScope } from '~/modules/auth/permissions.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { createResetLink } from '~/modules/auth/reset.server'
import { UserAdminActionSchema, type AuthErrorKey } from '~/modules/auth/schema'
import { getUserInScope, grantRole, revokeRole } from '~/modules/auth/users.server'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { mailConfigured, sendMail } from '~/utils/mail.server'
import { isAppError } from '~/utils/errors'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { publicOrigin } from '~/utils/origin.server'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.admin.usersTitle)

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await requirePeopleScope(prisma(), actor).catch(throwAsResponse)
  const user = await getUserInScope(prisma(), scope, routeParams(params, { userId: param.uuid }).userId).catch(throwAsResponse)
  const admin = isAdmin(actor)
  return {
    admin,
    user: {
      id: user.id,
      fullName: user.fullName,
      identifier: user.email ?? (user.phone ? formatPhone(user.phone) : ''),
      agency: user.agency?.name ?? null,
      jobTitle: user.jobTitle,
      grants: user.roleGrants.map((g) => ({ id: g.id, role: g.role, agency: g.agency?.name ?? null })),
    },
    agencies: admin ? (await listActiveAgencies(prisma())).map((a) => ({ id: a.id, name: a.name })) : [],
  }
}

type ActionResult =
  | { done: 'granted' | 'revoked' }
  | { done: 'reset'; link: string; expiresAt: string; mailedTo: string | null; mailFailed: boolean }
  | { error: AuthErrorKey | 'onlyAdmins' }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await requirePeopleScope(prisma(), actor).catch(throwAsResponse)
  // Everything below acts on a person inside the actor's scope, or nobody (404).
  const user = await getUserInScope(prisma(), scope, routeParams(params, { userId: param.uuid }).userId).catch(throwAsResponse)
  const parsed = UserAdminActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data<ActionResult>({ error: 'roleInvalid' }, { status: 400 })
  const ip = clientInfo(request, context).ip
  try {
    switch (parsed.data.intent) {
      case 'grant':
        if (!isAdmin(actor)) return data<ActionResult>({ error: 'onlyAdmins' }, { status: 403 })
        await grantRole(prisma(), actor, { userId: user.id, role: parsed.data.role, agencyId: parsed.data.agencyId, ip })
        return data<ActionResult>({ done: 'granted' })
      case 'revoke': {
        if (!isAdmin(actor)) return data<ActionResult>({ error: 'onlyAdmins' }, { status: 403 })
        const grantId = parsed.data.grantId
        if (!user.roleGrants.some((g) => g.id === grantId)) return data<ActionResult>({ error: 'roleInvalid' }, { status: 400 })
        await revokeRole(prisma(), actor, { grantId, ip })
        return data<ActionResult>({ done: 'revoked' })
      }
      case 'reset': {
        const { token, expiresAt, email } = await createResetLink(prisma(), { actorId: actor.id, scope, userId: user.id, ip })
        const env = getEnv()
        const link = `${publicOrigin(request)}/reset-password/${token}`
        let mailedTo: string | null = null
        let mailFailed = false
        if (email && mailConfigured(env)) {
          try {
            await sendMail(env, {
              to: email,
              subject: 'Bản Số: đặt lại mật khẩu',
              text: `Chào ${user.fullName},\n\nĐể đặt mật khẩu mới cho tài khoản Bản Số, hãy mở liên kết sau (dùng được một lần, trong 24 giờ):\n\n${link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này và báo cho người quản lý đơn vị.\n`,
            })
            mailedTo = email
          } catch (error) {
            console.error('[mail] không gửi được liên kết đặt lại mật khẩu:', (error as Error).message)
            mailFailed = true
          }
        }
        return data<ActionResult>({ done: 'reset', link, expiresAt: expiresAt.toISOString(), mailedTo, mailFailed })
      }
    }
  } catch (error) {
    if (isAppError(error) && error.code === 'BAD_INPUT') return data<ActionResult>({ error: 'roleInvalid' }, { status: 400 })
    throwAsResponse(error)
  }
}

export default function AdminUser() {
  const { admin, user, agencies } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const a = m.auth.admin
  const date = (iso: string) => formatDateTime(iso, locale)
  return (
    <section aria-labelledby="user-title">
      <p>
        <Link to="/admin/users">← {a.back}</Link>
      </p>
      <h1 id="user-title">{format(a.userTitle, { name: user.fullName }, locale)}</h1>
      <dl className="facts">
        <dt>{m.auth.fields.identifier}</dt>
        <dd>{user.identifier || '—'}</dd>
        <dt>{m.auth.fields.agency}</dt>
        <dd>{user.agency ?? m.auth.account.noAgency}</dd>
        <dt>{m.auth.fields.jobTitle}</dt>
        <dd>{user.jobTitle ?? '—'}</dd>
      </dl>

      {result && 'error' in result ? <FormAlert>{result.error === 'onlyAdmins' ? a.onlyAdminsGrant : errorText(result.error)}</FormAlert> : null}
      {result && 'done' in result && result.done === 'granted' ? <FormAlert tone="success">{a.granted}</FormAlert> : null}
      {result && 'done' in result && result.done === 'revoked' ? <FormAlert tone="success">{a.revoked}</FormAlert> : null}

      <h2>{a.rolesTitle}</h2>
      <ul className="plain-list">
        <li>{m.auth.account.roleNames.LEARNER}</li>
        {user.grants.map((g) => (
          <li key={g.id}>
            {g.agency ? format(m.auth.account.roleScope, { role: m.auth.account.roleNames[g.role], agency: g.agency }, locale) : m.auth.account.roleNames[g.role]}{' '}
            {admin ? (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="grantId" value={g.id} />
                <button type="submit" className="button-small">
                  {a.revoke}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {admin ? (
        <Form method="post" className="narrow-form">
          <input type="hidden" name="intent" value="grant" />
          <div className="field">
            <label htmlFor="grant-role">{a.grantRole}</label>
            <select id="grant-role" name="role" required>
              <option value="TEACHER">{m.auth.account.roleNames.TEACHER}</option>
              <option value="AGENCY_MANAGER">{m.auth.account.roleNames.AGENCY_MANAGER}</option>
              <option value="ADMIN">{m.auth.account.roleNames.ADMIN}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-agency">{a.grantAgency}</label>
            <select id="grant-agency" name="agencyId">
              <option value="">{a.grantAgencyNone}</option>
              {agencies.map((ag) => (
                <option key={ag.id} value={ag.id}>
                  {ag.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{a.grant}</button>
        </Form>
      ) : null}

      <h2>{a.resetTitle}</h2>
      <p>{a.resetIntro}</p>
      {result && 'done' in result && result.done === 'reset' ? (
        <FormAlert tone="success">
          {format(a.resetCreated, { expires: date(result.expiresAt) }, locale)}
          <br />
          <code className="reset-link" data-testid="reset-link">
            {result.link}
          </code>
          {result.mailedTo ? <span className="mail-note">{format(a.resetMailed, { email: result.mailedTo }, locale)}</span> : null}
          {result.mailFailed ? <span className="mail-note">{a.resetMailFailed}</span> : null}
        </FormAlert>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="reset" />
        <button type="submit">{a.resetCreate}</button>
      </Form>
    </section>
  )
}
