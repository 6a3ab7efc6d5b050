import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert, useErrorText } from '~/components/form'
import { listActiveAgencies } from '~/modules/agency/tree.server'
import { formatPhone } from '~/modules/auth/identifier'
import { notifyPerson, type NoticeResult } from '~/modules/auth/notify.server'
import { isAdmin, outranks, requirePeopleScope } from '~/modules/auth/permissions.server'
import { linkIdentityByAdmin, listIdentities, unlinkIdentityByAdmin } from '~/modules/auth/oidc-accounts.server'
import { oidcSettings } from '~/modules/auth/oidc.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { createResetLink } from '~/modules/auth/reset.server'
import { UserAdminActionSchema, type AuthErrorKey } from '~/modules/auth/schema'
import { getUserInScope, grantRole, revokeRole, setDeactivated } from '~/modules/auth/users.server'
import { decideLink, pendingLinksFor } from '~/modules/roster/link.server'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { mailConfigured, sendMail } from '~/utils/mail.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed, type FormFailure } from '~/utils/forms'
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
  const provider = oidcSettings(getEnv())
  const identities = admin ? await listIdentities(prisma(), user.id) : []
  return {
    admin,
    // Shown to admins when sign-in through a provider is configured, or when links exist anyway.
    oidc:
      admin && (provider || identities.length > 0)
        ? {
            displayName: provider?.displayName ?? 'OpenID Connect',
            mayLink: provider !== null,
            identities: identities.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), lastSignInAt: i.lastSignInAt?.toISOString() ?? null })),
          }
        : null,
    // Reset and deactivate are offered only where the hierarchy allows them (the action checks again).
    mayAct: outranks(actor, { roles: user.roleGrants }) && user.id !== actor.id,
    links: admin ? (await pendingLinksFor(prisma(), user.id)).map((l) => ({ ...l, createdAt: l.createdAt.toISOString() })) : [],
    user: {
      deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
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

/** What the action answers: done (with whom was told), or the one form-failure shape (docs/decisions/015). */
type ErrorKey = AuthErrorKey | 'onlyAdmins'
type ActionResult =
  | ({ ok: true; done: 'granted' | 'revoked' | 'deactivated' | 'reactivated' | 'linkConfirmed' | 'linkDeclined' | 'identityLinked' | 'identityUnlinked' } & NoticeResult)
  | { ok: true; done: 'reset'; link: string; expiresAt: string; mailedTo: string | null; mailFailed: boolean }
  | FormFailure<ErrorKey>

const ROLE_VI = { TEACHER: 'giáo viên', AGENCY_MANAGER: 'quản lý đơn vị', ADMIN: 'quản trị viên' } as const

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await requirePeopleScope(prisma(), actor).catch(throwAsResponse)
  // Everything below acts on a person inside the actor's scope, or nobody (404).
  const user = await getUserInScope(prisma(), scope, routeParams(params, { userId: param.uuid }).userId).catch(throwAsResponse)
  const parsed = parseForm<typeof UserAdminActionSchema, ErrorKey>(await request.formData(), UserAdminActionSchema)
  if (!parsed.ok) return data<ActionResult>(parsed.failure, { status: 400 })
  const refuse = (key: ErrorKey, status: number) => data<ActionResult>(formFailure(parsed.values, { formError: key }), { status })
  const ip = clientInfo(request, context).ip
  try {
    switch (parsed.data.intent) {
      case 'grant': {
        if (!isAdmin(actor)) return refuse('onlyAdmins', 403)
        await grantRole(prisma(), actor, { userId: user.id, role: parsed.data.role, agencyId: parsed.data.agencyId, ip })
        const notice = await notifyPerson(user, {
          subject: 'tài khoản của bạn được cấp vai trò mới',
          body: `Quản trị viên vừa cấp cho tài khoản Bản Số của bạn vai trò ${ROLE_VI[parsed.data.role]}. Hãy đăng nhập lại để dùng quyền mới.`,
        })
        return data<ActionResult>({ ok: true, done: 'granted', ...notice })
      }
      case 'revoke': {
        if (!isAdmin(actor)) return refuse('onlyAdmins', 403)
        const grantId = parsed.data.grantId
        if (!user.roleGrants.some((g) => g.id === grantId)) return refuse('roleInvalid', 400)
        await revokeRole(prisma(), actor, { grantId, ip })
        const role = user.roleGrants.find((g) => g.id === grantId)!.role
        const notice = await notifyPerson(user, {
          subject: 'một vai trò của bạn đã bị thu hồi',
          body: `Quản trị viên vừa thu hồi vai trò ${ROLE_VI[role]} của tài khoản Bản Số của bạn.`,
        })
        return data<ActionResult>({ ok: true, done: 'revoked', ...notice })
      }
      case 'deactivate':
      case 'reactivate': {
        const deactivated = parsed.data.intent === 'deactivate'
        const target = await setDeactivated(prisma(), actor, { userId: user.id, deactivated, ip })
        const notice = target
          ? await notifyPerson(target, {
              subject: deactivated ? 'tài khoản của bạn đã bị khoá' : 'tài khoản của bạn đã được mở khoá',
              body: deactivated
                ? 'Tài khoản Bản Số của bạn vừa bị khoá: bạn đã được đăng xuất khỏi mọi thiết bị và không đăng nhập được cho tới khi được mở khoá. Kết quả học tập và chứng chỉ của bạn được giữ nguyên.'
                : 'Tài khoản Bản Số của bạn vừa được mở khoá: bạn đăng nhập lại được như trước.',
            })
          : { mailedTo: null, mailFailed: false }
        return data<ActionResult>({ ok: true, done: deactivated ? 'deactivated' : 'reactivated', ...notice })
      }
      case 'link': {
        if (!isAdmin(actor)) return refuse('onlyAdmins', 403)
        const accept = parsed.data.decision === 'confirm'
        const proposalId = parsed.data.proposalId
        // Only a proposal made to the person of this page.
        if (!(await pendingLinksFor(prisma(), user.id)).some((l) => l.id === proposalId))
          return refuse('linkInvalid', 409)
        await decideLink(prisma(), actor, { proposalId, accept, ip })
        const notice = accept
          ? await notifyPerson(user, {
              subject: 'hồ sơ cán bộ đã được liên kết với tài khoản của bạn',
              body: 'Quản trị viên vừa xác nhận liên kết hồ sơ cán bộ với tài khoản Bản Số của bạn: tài khoản đã chuyển sang đơn vị của hồ sơ, và người quản lý đơn vị đó quản lý được tài khoản của bạn.',
            })
          : { mailedTo: null, mailFailed: false }
        return data<ActionResult>({ ok: true, done: accept ? 'linkConfirmed' : 'linkDeclined', ...notice })
      }
      case 'identityLink': {
        if (!isAdmin(actor)) return refuse('onlyAdmins', 403)
        const provider = oidcSettings(getEnv())
        if (!provider) return refuse('identityUnknown', 400)
        const linked = await linkIdentityByAdmin(prisma(), { actorId: actor.id, userId: user.id, issuer: provider.issuer, subject: parsed.data.subject, ip })
        if (!linked.ok) return refuse(linked.error, 409)
        return data<ActionResult>({ ok: true, done: 'identityLinked', mailedTo: null, mailFailed: false })
      }
      case 'identityUnlink': {
        if (!isAdmin(actor)) return refuse('onlyAdmins', 403)
        const unlinked = await unlinkIdentityByAdmin(prisma(), { actorId: actor.id, userId: user.id, identityId: parsed.data.identityId, ip })
        if (!unlinked.ok) return refuse(unlinked.error, 409)
        return data<ActionResult>({ ok: true, done: 'identityUnlinked', mailedTo: null, mailFailed: false })
      }
      case 'reset': {
        const { token, expiresAt, email } = await createResetLink(prisma(), { actor, userId: user.id, ip })
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
        return data<ActionResult>({ ok: true, done: 'reset', link, expiresAt: expiresAt.toISOString(), mailedTo, mailFailed })
      }
    }
  } catch (error) {
    if (isAppError(error) && error.code === 'FORBIDDEN') return refuse('hierarchy', 403)
    if (isAppError(error) && error.code === 'CONFLICT') return refuse(parsed.data.intent === 'link' ? 'linkInvalid' : 'accountDeactivated', 409)
    if (isAppError(error) && error.code === 'BAD_INPUT') return refuse(error.message === 'selfAction' ? 'selfAction' : 'roleInvalid', 400)
    throwAsResponse(error)
  }
}

export default function AdminUser() {
  const { admin, mayAct, links, user, agencies, oidc } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const failure = failureOf<ErrorKey>(result)
  const done = result && 'done' in result ? result : null
  // A refused grant shows the role and agency that were chosen, and the error beside its field.
  const grantSent = failure && typed(failure.values, 'intent') === 'grant' ? failure.values : null
  const fieldError = (name: string) => (grantSent ? failure?.fieldErrors[name]?.[0] : undefined)
  // The identity forms have one field each (the subject, the confirmation box): its message is the form's.
  const identitySent = failure && ['identityLink', 'identityUnlink'].includes(typed(failure.values, 'intent'))
  const identityError = identitySent ? Object.values(failure.fieldErrors).flat()[0] : undefined
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const a = m.auth.admin
  const say = (key: ErrorKey) => (key === 'onlyAdmins' ? a.onlyAdminsGrant : errorText(key))
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

      {failure ? <FormAlert>{failure.formError ? say(failure.formError) : identityError ? say(identityError) : errorText('formInvalid')}</FormAlert> : null}
      {done && done.done !== 'reset' ? (
        <FormAlert tone="success">
          {a[done.done]}
          {done.mailedTo ? <span className="mail-note">{format(a.notified, { email: done.mailedTo }, locale)}</span> : null}
          {done.mailFailed ? <span className="mail-note">{a.resetMailFailed}</span> : null}
        </FormAlert>
      ) : null}

      <h2>{a.statusTitle}</h2>
      <p data-testid="account-status">{user.deactivatedAt ? format(a.statusDeactivated, { at: date(user.deactivatedAt) }, locale) : a.statusActive}</p>
      {mayAct ? (
        <>
          <p>{a.deactivateIntro}</p>
          <Form method="post">
            <input type="hidden" name="intent" value={user.deactivatedAt ? 'reactivate' : 'deactivate'} />
            <button type="submit">{user.deactivatedAt ? a.reactivate : a.deactivate}</button>
          </Form>
        </>
      ) : (
        <p>{a.protectedNote}</p>
      )}

      {links.length > 0 ? (
        <>
          <h2>{a.linksTitle}</h2>
          <p>{a.linksIntro}</p>
          <ul className="plain-list">
            {links.map((l) => (
              <li key={l.id}>
                {format(m.auth.account.linkItem, { agency: l.agencyName, code: l.staffCode, name: l.fullName }, locale)}
                {l.proposedBy ? ` (${format(m.auth.account.linkProposedBy, { name: l.proposedBy }, locale)})` : null}{' '}
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="link" />
                  <input type="hidden" name="proposalId" value={l.id} />
                  <button type="submit" name="decision" value="confirm" className="button-small">
                    {a.linkConfirm}
                  </button>{' '}
                  <button type="submit" name="decision" value="decline" className="button-small">
                    {a.linkDecline}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}

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
          <div className={fieldError('role') ? 'field field-invalid' : 'field'}>
            <label htmlFor="grant-role">{a.grantRole}</label>
            <select
              id="grant-role"
              name="role"
              required
              defaultValue={typed(grantSent, 'role', 'TEACHER')}
              aria-invalid={fieldError('role') ? true : undefined}
              aria-describedby={fieldError('role') ? 'grant-role-error' : undefined}
            >
              <option value="TEACHER">{m.auth.account.roleNames.TEACHER}</option>
              <option value="AGENCY_MANAGER">{m.auth.account.roleNames.AGENCY_MANAGER}</option>
              <option value="ADMIN">{m.auth.account.roleNames.ADMIN}</option>
            </select>
            {fieldError('role') ? (
              <p id="grant-role-error" className="field-error">
                {say(fieldError('role')!)}
              </p>
            ) : null}
          </div>
          <div className={fieldError('agencyId') ? 'field field-invalid' : 'field'}>
            <label htmlFor="grant-agency">{a.grantAgency}</label>
            <select
              id="grant-agency"
              name="agencyId"
              defaultValue={typed(grantSent, 'agencyId')}
              aria-invalid={fieldError('agencyId') ? true : undefined}
              aria-describedby={fieldError('agencyId') ? 'grant-agency-error' : undefined}
            >
              <option value="">{a.grantAgencyNone}</option>
              {agencies.map((ag) => (
                <option key={ag.id} value={ag.id}>
                  {ag.name}
                </option>
              ))}
            </select>
            {fieldError('agencyId') ? (
              <p id="grant-agency-error" className="field-error">
                {say(fieldError('agencyId')!)}
              </p>
            ) : null}
          </div>
          <button type="submit">{a.grant}</button>
        </Form>
      ) : null}

      {oidc ? (
        <>
          <h2>{format(a.identitiesTitle, { provider: oidc.displayName }, locale)}</h2>
          <p>{a.identitiesIntro}</p>
          {oidc.identities.length === 0 ? <p>{a.identitiesNone}</p> : null}
          <ul className="plain-list" data-testid="identities">
            {oidc.identities.map((i) => (
              <li key={i.id}>
                <code>{format(a.identityItem, { subject: i.subject }, locale)}</code>
                {' — '}
                {a.identityHow[i.linkedBy as keyof typeof a.identityHow] ?? i.linkedBy}
                {i.linkedByName ? `, ${format(a.identityLinkedByName, { name: i.linkedByName }, locale)}` : null}
                {i.email ? `; ${format(a.identityEmail, { email: i.email }, locale)}` : null}
                {i.lastSignInAt ? `; ${format(a.identityLastSignIn, { date: date(i.lastSignInAt) }, locale)}` : null}
                <Form method="post" className="narrow-form">
                  <input type="hidden" name="intent" value="identityUnlink" />
                  <input type="hidden" name="identityId" value={i.id} />
                  <label className="choice">
                    <input type="checkbox" name="confirm" value="yes" required /> {a.identityUnlinkConfirm}
                  </label>
                  <button type="submit" className="button-small">
                    {a.identityUnlink}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          {oidc.mayLink ? (
            <Form method="post" className="narrow-form">
              <input type="hidden" name="intent" value="identityLink" />
              <div className="field">
                <label htmlFor="identity-subject">{a.identitySubject}</label>
                <p className="hint" id="identity-subject-hint">
                  {a.identitySubjectHint}
                </p>
                <input id="identity-subject" name="subject" required maxLength={255} aria-describedby="identity-subject-hint" />
              </div>
              <button type="submit">{a.identityLink}</button>
            </Form>
          ) : null}
        </>
      ) : null}

      <h2>{a.resetTitle}</h2>
      <p>{a.resetIntro}</p>
      {done && done.done === 'reset' ? (
        <FormAlert tone="success">
          {format(a.resetCreated, { expires: date(done.expiresAt) }, locale)}
          <br />
          <code className="reset-link" data-testid="reset-link">
            {done.link}
          </code>
          {done.mailedTo ? <span className="mail-note">{format(a.resetMailed, { email: done.mailedTo }, locale)}</span> : null}
          {done.mailFailed ? <span className="mail-note">{a.resetMailFailed}</span> : null}
        </FormAlert>
      ) : null}
      {mayAct && !user.deactivatedAt ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reset" />
          <button type="submit">{a.resetCreate}</button>
        </Form>
      ) : null}
    </section>
  )
}
