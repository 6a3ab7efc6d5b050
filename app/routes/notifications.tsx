// /notifications — the person's reminders (in-app, kept whether or not they have an email), marked
// read one by one or all at once, and their choice of reminder emails. Works without JavaScript.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormAlert } from '~/components/form'
import { Pagination } from '~/components/pagination'
import { requireUser } from '~/modules/auth/request.server'
import { renderNotification } from '~/modules/reminders/render'
import { listNotifications, markRead, setEmailReminders } from '~/modules/reminders/service.server'
import { prisma } from '~/utils/db.server'
import { parseForm, type FormFailure } from '~/utils/forms'
import { format, formatDateTime, localeFromCookieHeader, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { pageParam } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reminders.page.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const locale = localeFromCookieHeader(request.headers.get('cookie'))
  const page = pageParam(new URL(request.url))
  const [{ rows, pages }, account] = await Promise.all([
    listNotifications(prisma(), user.id, page),
    prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true, emailReminders: true } }),
  ])
  return {
    page,
    pages,
    email: account.email,
    emailReminders: account.emailReminders,
    notifications: rows.map((n) => ({
      id: n.id,
      ...renderNotification(n.rule, (n.params ?? {}) as Record<string, string | number>, locale),
      link: n.link,
      at: n.createdAt.toISOString(),
      unread: n.readAt === null,
    })),
  }
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.string().uuid({ message: 'invalid' }) }),
  z.object({ intent: z.literal('readAll') }),
  z.object({ intent: z.literal('email'), emailReminders: z.preprocess((v) => v === 'on', z.boolean()) }),
])

type Result = { ok: true; done: 'read' | 'readAll' | 'email' } | FormFailure<'invalid'>

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm<typeof ActionSchema, 'invalid'>(await request.formData(), ActionSchema)
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  const input = parsed.data
  if (input.intent === 'email') {
    await setEmailReminders(prisma(), user.id, input.emailReminders)
    return data<Result>({ ok: true, done: 'email' })
  }
  await markRead(prisma(), user.id, input.intent === 'readAll' ? 'all' : input.id)
  return data<Result>({ ok: true, done: input.intent })
}

export default function Notifications() {
  const { notifications, page, pages, email, emailReminders } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.reminders.page
  const done = result?.ok ? result.done : null
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {result && !result.ok ? <FormAlert>{m.errors.genericTitle}</FormAlert> : null}
      {done ? <FormAlert tone="success">{done === 'email' ? t.saved : done === 'readAll' ? t.allMarked : t.marked}</FormAlert> : null}
      {notifications.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <>
          {notifications.some((n) => n.unread) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="readAll" />
              <button type="submit">{t.markAllRead}</button>
            </Form>
          ) : null}
          <ul className="notification-list" data-testid="notifications">
            {notifications.map((n) => (
              <li key={n.id} className={n.unread ? 'notification notification-unread' : 'notification'}>
                <h2 className="notification-title">
                  {n.unread ? <span className="badge">{t.unread}</span> : null} {n.title}
                </h2>
                <p>{n.body}</p>
                <p className="hint">{format(t.received, { at: formatDateTime(n.at, locale, 'short') })}</p>
                <div className="notification-actions">
                  {n.link ? <Link to={n.link}>{t.open}</Link> : null}
                  {n.unread ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="read" />
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className="button-small">
                        {t.markRead}
                        <span className="visually-hidden">: {n.title}</span>
                      </button>
                    </Form>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          <Pagination page={page} pages={pages} href={(p) => `?page=${p}`} />
        </>
      )}
      <h2>{t.settingsTitle}</h2>
      {email ? (
        <Form method="post" className="narrow-form">
          <input type="hidden" name="intent" value="email" />
          <label className="choice">
            <input type="checkbox" name="emailReminders" defaultChecked={emailReminders} aria-describedby="email-hint" /> {t.emailReminders}
          </label>
          <p className="hint" id="email-hint">
            {format(t.emailHint, { email })}
          </p>
          <button type="submit">{t.save}</button>
        </Form>
      ) : (
        <p>{t.noEmail}</p>
      )}
    </section>
  )
}
