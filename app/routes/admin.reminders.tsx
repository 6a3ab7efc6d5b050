// /admin/reminders — reminder settings per agency (managers in their subtree, admins everywhere);
// for admins also a preview of what a run now would send, "send now" (with confirmation) and the
// email delivery log with the mail server's answers (docs/decisions/022).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { DeliveryStatus } from '@prisma/client'
import { FormAlert } from '~/components/form'
import { Pagination } from '~/components/pagination'
import { agencyScope, listAgencyTree } from '~/modules/agency/admin.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { isAdmin } from '~/modules/scope/scope.server'
import {
  listAgencySettings,
  listDeliveries,
  previewReminders,
  runRemindersNow,
  saveAgencySettings,
  SettingsSchema,
} from '~/modules/reminders/service.server'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { isAppError } from '~/utils/errors'
import { allErrors, failureOf, formFailure, parseForm, typed, type FormFailure } from '~/utils/forms'
import { format, formatDateTime, localeFromCookieHeader, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reminders.admin.title)

const STATUSES = ['QUEUED', 'SENT', 'FAILED', 'SKIPPED'] as const satisfies readonly DeliveryStatus[]
type ErrorKey = 'agencyRequired' | 'graceInvalid' | 'confirmRequired' | 'forbidden' | 'notFound'

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const url = new URL(request.url)
  const admin = isAdmin(actor)
  const env = getEnv()
  const statusParam = url.searchParams.get('status')
  const status = (STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as DeliveryStatus) : null
  const page = pageParam(url)
  const locale = localeFromCookieHeader(request.headers.get('cookie'))
  const [agencies, settings, log, preview] = await Promise.all([
    listAgencyTree(prisma(), scope),
    listAgencySettings(prisma(), actor),
    admin ? listDeliveries(prisma(), { page, status }) : null,
    admin && url.searchParams.get('preview') === '1' ? previewReminders(prisma(), new Date(), locale) : null,
  ])
  return {
    admin,
    hour: env.REMINDERS_HOUR,
    mailConfigured: Boolean(env.SMTP_URL),
    agencies: agencies.map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
    settings: settings.map((s) => ({ agencyId: s.agencyId, agency: s.agency.name, graceDays: s.graceDays, paused: s.digestsPaused })),
    status,
    page,
    log: log
      ? {
          pages: log.pages,
          rows: log.rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString(), user: r.user?.fullName ?? null })),
        }
      : null,
    preview: preview ? { personal: preview.personal.slice(0, 100), personalCount: preview.personal.length, digests: preview.digests } : null,
  }
}

type Result = { ok: true; done: 'settings'; agency: string } | { ok: true; done: 'run'; personal: number; digests: number; mails: number } | FormFailure<ErrorKey>

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const form = await request.formData()
  const ip = clientInfo(request, context).ip
  if (form.get('intent') === 'run') {
    if (!isAdmin(actor)) return data<Result>(formFailure({}, { formError: 'forbidden' }), { status: 403 })
    if (form.get('confirm') !== 'yes') return data<Result>(formFailure({}, { formError: 'confirmRequired' }), { status: 400 })
    const result = await runRemindersNow(prisma(), actor, getEnv(), ip)
    return data<Result>({ ok: true, done: 'run', ...result })
  }
  const parsed = parseForm<typeof SettingsSchema, ErrorKey>(form, SettingsSchema)
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  try {
    const { agencyName } = await saveAgencySettings(prisma(), actor, parsed.data, ip)
    return data<Result>({ ok: true, done: 'settings', agency: agencyName })
  } catch (error) {
    if (isAppError(error) && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
      return data<Result>(formFailure(parsed.values, { fieldErrors: { agencyId: ['notFound'] } }), { status: 404 })
    }
    throwAsResponse(error)
  }
}

export default function RemindersAdmin() {
  const { admin, hour, mailConfigured, agencies, settings, log, preview, status, page } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.reminders.admin
  const failure = failureOf<ErrorKey>(result)
  const errors = allErrors(failure)
  const errorText: Record<ErrorKey, string> = {
    agencyRequired: m.reminders.admin.chooseAgency,
    graceInvalid: t.graceHint,
    confirmRequired: t.sendNowConfirm,
    forbidden: m.errors.forbiddenTitle,
    notFound: m.errors.notFoundTitle,
  }
  const values = failure?.values ?? null
  const ruleName = (rule: string) => (t.ruleNames as Record<string, string>)[rule] ?? rule
  const success =
    result?.ok && result.done === 'settings'
      ? format(t.settingsSaved, { agency: result.agency })
      : result?.ok && result.done === 'run'
        ? format(t.sent, { personal: result.personal, digests: result.digests, mails: result.mails }, locale)
        : null
  return (
    <section aria-labelledby="reminders-title">
      <h1 id="reminders-title">{t.title}</h1>
      <p className="lead">{format(t.lead, { hour })}</p>
      {!mailConfigured ? <p className="hint">{t.noMail}</p> : null}
      {errors.form ? <FormAlert>{errorText[errors.form[0]!]}</FormAlert> : null}
      {success ? <FormAlert tone="success">{success}</FormAlert> : null}

      <h2>{t.settingsTitle}</h2>
      <p>{t.settingsLead}</p>
      {settings.length === 0 ? (
        <p>{t.noSettings}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="reminder-settings">
            <thead>
              <tr>
                <th scope="col">{t.columnsSettings.agency}</th>
                <th scope="col">{t.columnsSettings.grace}</th>
                <th scope="col">{t.columnsSettings.digests}</th>
              </tr>
            </thead>
            <tbody>
              {settings.map((s) => (
                <tr key={s.agencyId}>
                  <td>{s.agency}</td>
                  <td>{s.graceDays ?? t.inherited}</td>
                  <td>{s.paused ? t.paused : t.active}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form method="post" className="narrow-form">
        <input type="hidden" name="intent" value="settings" />
        <div className={errors.agencyId ? 'field field-invalid' : 'field'}>
          <label htmlFor="rs-agency">{t.agency}</label>
          <select
            id="rs-agency"
            name="agencyId"
            required
            defaultValue={typed(values, 'agencyId')}
            aria-invalid={errors.agencyId ? true : undefined}
            aria-describedby={errors.agencyId ? 'rs-agency-error' : undefined}
          >
            <option value="">{t.chooseAgency}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {'\u00a0\u00a0'.repeat(a.depth)}
                {a.name}
              </option>
            ))}
          </select>
          {errors.agencyId ? (
            <p className="field-error" id="rs-agency-error">
              {errorText[errors.agencyId[0]!]}
            </p>
          ) : null}
        </div>
        <div className={errors.graceDays ? 'field field-invalid' : 'field'}>
          <label htmlFor="rs-grace">{t.graceDays}</label>
          <input
            id="rs-grace"
            name="graceDays"
            inputMode="numeric"
            defaultValue={typed(values, 'graceDays')}
            aria-invalid={errors.graceDays ? true : undefined}
            aria-describedby={errors.graceDays ? 'rs-grace-hint rs-grace-error' : 'rs-grace-hint'}
          />
          <p className="hint" id="rs-grace-hint">
            {t.graceHint}
          </p>
          {errors.graceDays ? (
            <p className="field-error" id="rs-grace-error">
              {errorText[errors.graceDays[0]!]}
            </p>
          ) : null}
        </div>
        <label className="choice">
          <input type="checkbox" name="digestsPaused" defaultChecked={typed(values, 'digestsPaused') === 'on'} /> {t.pauseDigests}
        </label>
        <button type="submit" className="button-primary">
          {t.saveSettings}
        </button>
      </Form>

      {admin ? (
        <>
          <h2>{t.previewTitle}</h2>
          <p>{t.previewLead}</p>
          <p>
            <Link to="?preview=1">{t.preview}</Link>
          </p>
          {preview ? (
            preview.personalCount + preview.digests.length === 0 ? (
              <p data-testid="reminder-preview">{t.previewNone}</p>
            ) : (
              <div data-testid="reminder-preview">
                <p>{format(t.previewCounts, { personal: preview.personalCount, digests: preview.digests.length }, locale)}</p>
                <ul>
                  {preview.personal.map((p) => (
                    <li key={p.key}>
                      {p.to}: {p.title}
                    </li>
                  ))}
                  {preview.digests.map((d) => (
                    <li key={d.key}>
                      {d.to}: {ruleName('digest')} ({d.count})
                    </li>
                  ))}
                </ul>
              </div>
            )
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="run" />
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" required /> {t.sendNowConfirm}
            </label>
            <button type="submit">{t.sendNow}</button>
          </Form>

          <h2>{t.logTitle}</h2>
          <Form method="get" className="inline-form">
            <label htmlFor="rl-status">{t.filter}</label>
            <select id="rl-status" name="status" defaultValue={status ?? ''}>
              <option value="">{t.filterAll}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.status[s]}
                </option>
              ))}
            </select>
            <button type="submit">{t.filterApply}</button>
          </Form>
          {log && log.rows.length > 0 ? (
            <>
              <div className="table-wrap">
                <table data-testid="delivery-log">
                  <thead>
                    <tr>
                      <th scope="col">{t.columns.at}</th>
                      <th scope="col">{t.columns.to}</th>
                      <th scope="col">{t.columns.rule}</th>
                      <th scope="col">{t.columns.subject}</th>
                      <th scope="col">{t.columns.status}</th>
                      <th scope="col">{t.columns.response}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {log.rows.map((r) => (
                      <tr key={r.id}>
                        <td>{formatDateTime(r.updatedAt, locale, 'short')}</td>
                        <td>
                          {r.user ?? '—'} &lt;{r.toAddress}&gt;
                        </td>
                        <td>{ruleName(r.rule)}</td>
                        <td>{r.subject}</td>
                        <td>{t.status[r.status]}</td>
                        <td>{r.response ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination page={page} pages={log.pages} href={(p) => `?${new URLSearchParams({ ...(status ? { status } : {}), page: String(p) })}`} />
            </>
          ) : (
            <p>{t.logNone}</p>
          )}
        </>
      ) : null}
    </section>
  )
}
