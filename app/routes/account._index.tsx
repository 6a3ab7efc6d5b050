import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AccountNav } from '~/components/account-nav'
import { Field, FormAlert, useErrorText, type FormErrors } from '~/components/form'
import { formatPhone } from '~/modules/auth/identifier'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { fieldErrors, LinkDecisionSchema, ProfileSchema } from '~/modules/auth/schema'
import { updateProfile } from '~/modules/auth/service.server'
import { decideLink, pendingLinksFor } from '~/modules/roster/link.server'
import { isAppError } from '~/utils/errors'
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
    const decision = LinkDecisionSchema.safeParse(Object.fromEntries(form))
    const bad = (status: number) => data({ ok: false as const, link: null, values: null, errors: { form: ['linkInvalid'] } as FormErrors }, { status })
    if (!decision.success) return bad(400)
    try {
      const accept = decision.data.decision === 'confirm'
      await decideLink(prisma(), user, { proposalId: decision.data.proposalId, accept, ip: clientInfo(request, context).ip })
      return { ok: true as const, link: accept ? ('linkConfirmed' as const) : ('linkDeclined' as const), values: null, errors: {} as FormErrors }
    } catch (error) {
      if (isAppError(error) && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND')) return bad(error.status)
      throw error
    }
  }
  const parsed = ProfileSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const values = { fullName: String(form.get('fullName') ?? '').slice(0, 500), jobTitle: String(form.get('jobTitle') ?? '').slice(0, 500) }
    return data({ ok: false as const, link: null, values, errors: fieldErrors(parsed.error) as FormErrors }, { status: 400 })
  }
  await updateProfile(prisma(), { userId: user.id, ...parsed.data })
  return { ok: true as const, link: null, values: null, errors: {} as FormErrors }
}

export default function Account() {
  const { user, links } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const errorText = useErrorText()
  const errors = actionData?.errors ?? {}
  const values = actionData?.values ?? { fullName: user.fullName, jobTitle: user.jobTitle ?? '' }
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
      {actionData?.link ? <FormAlert tone="success">{a[actionData.link]}</FormAlert> : null}
      {errors.form ? <FormAlert>{errorText(errors.form[0])}</FormAlert> : null}
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
      {actionData?.ok && !actionData.link ? <FormAlert tone="success">{a.saved}</FormAlert> : null}
      {Object.keys(errors).length > 0 && !errors.form ? <FormAlert>{m.auth.errors.formInvalid}</FormAlert> : null}
      <Form method="post" noValidate>
        <Field name="fullName" label={m.auth.fields.fullName} required autoComplete="name" defaultValue={values.fullName} error={errorText(errors.fullName?.[0])} />
        <Field name="jobTitle" label={m.auth.fields.jobTitle} hint={m.auth.fields.jobTitleHint} defaultValue={values.jobTitle} error={errorText(errors.jobTitle?.[0])} />
        <button type="submit" className="button-primary">
          {a.save}
        </button>
      </Form>
    </section>
  )
}
