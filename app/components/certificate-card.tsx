import type { ReactNode } from 'react'
import { format, useMessages, type Locale } from '~/utils/i18n'

/** A date as printed on certificates: day/month/year in Vietnam time (month/day/year in English). */
export function certificateDate(d: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(d))
}

export interface CertificateFacts {
  number: string
  holderName: string
  agencyName: string | null
  courseTitle: string
  courseVersion: string
  standardCodes: string[]
  issuedAt: string | Date
  expiresAt: string | Date | null
  status: 'valid' | 'expired' | 'revoked' | 'superseded'
  revokedAt?: string | Date | null
  revokedReason?: string | null
}

/** The facts of a certificate as a description list, with its status first. */
export function CertificateFactsList({ c, children }: { c: CertificateFacts; children?: ReactNode }) {
  const { m, locale } = useMessages()
  const t = m.certificates
  const date = (d: string | Date) => certificateDate(d, locale)
  return (
    <dl className="certificate-facts">
      <dt>{t.fields.status}</dt>
      <dd>
        <strong className={`certificate-status certificate-status-${c.status}`} data-status={c.status}>
          {t.status[c.status]}
        </strong>
        {c.status === 'revoked' && c.revokedAt ? <p>{format(t.verify.revokedOn, { date: date(c.revokedAt), reason: c.revokedReason ?? '' })}</p> : null}
        {children}
      </dd>
      <dt>{t.fields.holder}</dt>
      <dd>{c.holderName}</dd>
      {c.agencyName ? (
        <>
          <dt>{t.fields.agency}</dt>
          <dd>{c.agencyName}</dd>
        </>
      ) : null}
      <dt>{t.fields.course}</dt>
      <dd>
        {c.courseTitle} ({t.fields.version} {c.courseVersion})
      </dd>
      {c.standardCodes.length ? (
        <>
          <dt>{t.fields.standards}</dt>
          <dd>{c.standardCodes.join(', ')}</dd>
        </>
      ) : null}
      <dt>{t.fields.number}</dt>
      <dd>{c.number}</dd>
      <dt>{t.fields.issuedAt}</dt>
      <dd>{date(c.issuedAt)}</dd>
      <dt>{t.fields.expiresAt}</dt>
      <dd>{c.expiresAt ? date(c.expiresAt) : t.fields.noExpiry}</dd>
    </dl>
  )
}
