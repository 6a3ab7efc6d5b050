// What a certificate's state is, derived from its row (never stored): revoked wins over
// superseded, which wins over expired.
export type CertificateStatus = 'valid' | 'expired' | 'revoked' | 'superseded'

/** What a certificate says, copied at issue: the same on its page, its PDF/PNG and its credential. */
export interface CertificateText {
  number: string
  holderName: string
  agencyName: string | null
  courseTitle: string
  courseVersion: string
  standardCodes: string[]
  issuedAt: Date
  expiresAt: Date | null
}

/** Learners are told this many days before a certificate expires. */
export const RENEWAL_NOTICE_DAYS = 60

export function certificateStatus(c: { revokedAt: Date | string | null; supersededById: string | null; expiresAt: Date | string | null }, now: Date = new Date()): CertificateStatus {
  if (c.revokedAt) return 'revoked'
  if (c.supersededById) return 'superseded'
  if (c.expiresAt && new Date(c.expiresAt).getTime() <= now.getTime()) return 'expired'
  return 'valid'
}

/** A current certificate within the notice period before its expiry, or already expired (not revoked, not renewed). */
export function renewalDue(c: { revokedAt: Date | string | null; supersededById: string | null; expiresAt: Date | string | null }, now: Date = new Date()): boolean {
  if (c.revokedAt || c.supersededById || !c.expiresAt) return false
  return new Date(c.expiresAt).getTime() - now.getTime() <= RENEWAL_NOTICE_DAYS * 86_400_000
}

/** The date part of an instant as read in Vietnam (UTC+7, no daylight saving), e.g. 26/11/2026. */
export function vietnamDate(at: Date | string): string {
  return new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(at))
}
