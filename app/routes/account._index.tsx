import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AccountNav } from '~/components/account-nav'
import { Field, FormAlert, useErrorText } from '~/components/form'
import { formatPhone } from '~/modules/auth/identifier'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { LinkDecisionSchema, ProfileSchema, type AuthErrorKey } from '~/modules/auth/schema'
import { updateProfile } from '~/modules/auth/service.server'
import { decideLink, pendingLinksFor } from '~/modules/roster/link.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed } from '~/utils/forms'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.account.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const links = await pendingLinksFor(prisma(), user.id)
  return {
    links: links.map((l) => ({ id: l.id, staffCode: l.staffCode, fullName: l.fullName, jobTitle: l.jobTitle, agencyName: l.agencyName, proposedBy: l.proposedBy })),
    user: {
      fullName: user.fullName,
      email: user.email,
      phone: user.phone ? formatPhone(user.phone) : null,
      kind: user.kind,
      jobTitle: user.jobTitle,
      agency: user.agency?.name ?? null,
      roles: user.roles.map((r) => ({ role: r.role, agencyName: r.agencyName })),
    },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  if (form.get('intent') === 'link') {
    // The person's own answer to a proposed staff record link (docs/decisions/013).
    const decision = parseForm<typeof LinkDecisionSchema, AuthErrorKey>(form, LinkDecisionSchema)
    if (!decision.ok) return data(formFailure<AuthErrorKey>(decision.failure.values, { formError: 'linkInvalid' }), { status: 400 })
    try {
      const accept = decision.data.decision === 'confirm'
      await decideLink(prisma(), user, { proposalId: decision.data.proposalId, accept, ip: clientInfo(request, context).ip })
      return { ok: true as const, done: accept ? ('linkConfirmed' as const) : ('linkDeclined' as const) }
    } catch (error) {
      if (isAppError(error) && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND'))
        return data(formFailure<AuthErrorKey>(decision.values, { formError: 'linkInvalid' }), { status: error.status })
      throw error
    }
  }
  const parsed = parseForm<typeof ProfileSchema, AuthErrorKey>(form, ProfileSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  await updateProfile(prisma(), { userId: user.id, ...parsed.data })
  return { ok: true as const, done: 'saved' as const }
}

export default function Account() {
  const { user, links } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = failureOf<AuthErrorKey>(actionData)
  const done = actionData && 'done' in actionData ? actionData.done : null
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  // A refused profile keeps what was typed; a refused link answer leaves the profile as saved.
  const profile = failure && typed(failure.values, 'intent') !== 'link' ? failure.values : null
  const a = m.auth.account
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{a.title}</h1>
      <AccountNav />
      <dl className="facts">
        <dt>{m.auth.fields.identifier}</dt>
        <dd>{user.email ?? user.phone}</dd>
        <dt>{m.auth.fields.kind}</dt>
        <dd>{m.auth.fields.kinds[user.kind as keyof typeof m.auth.fields.kinds]}</dd>
        <dt>{m.auth.fields.agency}</dt>
        <dd>{user.agency ?? a.noAgency}</dd>
        <dt>{a.roles}</dt>
        <dd>
          <ul className="plain-list">
            <li>{a.roleNames.LEARNER}</li>
            {user.roles.map((r) => (
              <li key={`${r.role}-${r.agencyName}`}>
                {r.agencyName ? format(a.roleScope, { role: a.roleNames[r.role], agency: r.agencyName }, locale) : a.roleNames[r.role]}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {done === 'linkConfirmed' || done === 'linkDeclined' ? <FormAlert tone="success">{a[done]}</FormAlert> : null}
      {failure?.formError ? <FormAlert>{errorText(failure.formError)}</FormAlert> : null}
      {links.length > 0 ? (
        <section aria-labelledby="links-title" className="notice">
          <h2 id="links-title">{a.linksTitle}</h2>
          <p>{a.linksIntro}</p>
          <ul className="plain-list">
            {links.map((l) => (
              <li key={l.id}>
                <p>
                  {format(a.linkItem, { agency: l.agencyName, code: l.staffCode, name: l.fullName }, locale)}
                  {l.jobTitle ? ` (${l.jobTitle})` : null}
                  {l.proposedBy ? (
                    <>
                      <br />
                      {format(a.linkProposedBy, { name: l.proposedBy }, locale)}
                    </>
                  ) : null}
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="link" />
                  <input type="hidden" name="proposalId" value={l.id} />
                  <button type="submit" name="decision" value="confirm">
                    {a.linkConfirm}
                  </button>{' '}
                  <button type="submit" name="decision" value="decline">
                    {a.linkDecline}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{a.profileTitle}</h2>
      {done === 'saved' ? <FormAlert tone="success">{a.saved}</FormAlert> : null}
      {profile ? <FormAlert>{m.auth.errors.formInvalid}</FormAlert> : null}
      <Form method="post" noValidate>
        <Field name="fullName" label={m.auth.fields.fullName} required autoComplete="name" defaultValue={profile ? typed(profile, 'fullName') : user.fullName} error={errorText(failure?.fieldErrors.fullName?.[0])} />
        <Field name="jobTitle" label={m.auth.fields.jobTitle} hint={m.auth.fields.jobTitleHint} defaultValue={profile ? typed(profile, 'jobTitle') : (user.jobTitle ?? '')} error={errorText(failure?.fieldErrors.jobTitle?.[0])} />
        <button type="submit" className="button-primary">
          {a.save}
        </button>
      </Form>
    </section>
  )
}
