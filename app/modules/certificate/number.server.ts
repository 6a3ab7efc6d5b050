// Certificate numbers (LC-2026-000123) and verification codes.
//
// Numbers come from a per-year counter row taken with one upsert inside the issuing transaction:
// concurrent issues queue on the row, so no two certificates share a number; a rolled-back issue
// rolls its number back too. Codes are 128 random bits in lower-case base32 (26 characters, no
// padding): they are what makes /verify/<code> unguessable, not the number.
import { randomBytes } from 'node:crypto'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import type { Prisma } from '@prisma/client'

export const NUMBER_PREFIX = 'LC'
export const NUMBER_PATTERN = /^LC-(\d{4})-(\d{6,})$/

export function formatNumber(year: number, n: number): string {
  return `${NUMBER_PREFIX}-${year}-${String(n).padStart(6, '0')}`
}

/** The year of an instant in Vietnam time (a certificate issued at 23:30 on 31 Dec. UTC belongs to the next year there). */
export function vietnamYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3_600_000).getUTCFullYear()
}

export async function nextNumber(tx: Prisma.TransactionClient, at: Date): Promise<string> {
  const year = vietnamYear(at)
  const [row] = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO certificate_counter (year, last) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last = certificate_counter.last + 1
    RETURNING last`
  return formatNumber(year, row!.last)
}

/** 128 random bits, 26 characters of [a-z2-7]. */
export function newVerificationCode(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(16))
}

export const CODE_PATTERN = /^[a-z2-7]{26}$/

/** Normalises what a person typed as a number: spaces removed, upper case. */
export function cleanNumber(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, '').toUpperCase()
}
