// The report's filters, as they arrive in the query string (shared by the page, the exports, the
// print view and the people list).
import { z } from 'zod'
import { AGENCY_TYPES } from '~/modules/agency/types'
import { PEOPLE_METRICS } from './sql.server'

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional())
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00+07:00`)))

export const ReportFiltersSchema = z
  .object({
    agency: optional(uuid),
    course: optional(uuid),
    from: optional(date),
    to: optional(date),
    type: optional(z.enum(AGENCY_TYPES)),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'period', path: ['to'] })

export type ReportFilters = z.infer<typeof ReportFiltersSchema>

export const PeopleQuerySchema = z.object({
  agency: uuid,
  metric: z.enum(PEOPLE_METRICS),
  subtree: z.preprocess((v) => v === '1' || v === 'true', z.boolean()),
})

/** The filters from a URL; a bad value is a 400 with the field named, never a 500. */
export function parseReportFilters(params: URLSearchParams): { ok: true; filters: ReportFilters } | { ok: false; field: string } {
  const raw = Object.fromEntries(['agency', 'course', 'from', 'to', 'type'].map((k) => [k, params.get(k) ?? undefined]))
  const result = ReportFiltersSchema.safeParse(raw)
  if (!result.success) return { ok: false, field: String(result.error.issues[0]?.path[0] ?? '') }
  return { ok: true, filters: result.data }
}

/** Period in Vietnam time: from 00:00 of `from` to 00:00 of the day after `to`. */
export function periodBounds(filters: ReportFilters): { from: Date | null; to: Date | null } {
  return {
    from: filters.from ? new Date(`${filters.from}T00:00:00+07:00`) : null,
    to: filters.to ? new Date(new Date(`${filters.to}T00:00:00+07:00`).getTime() + 86_400_000) : null,
  }
}

/** The filters back as a query string (links keep them). */
export function filtersQuery(filters: ReportFilters, extra: Record<string, string> = {}): string {
  const entries = Object.entries({ ...filters, ...extra }).filter(([, v]) => v !== undefined && v !== '') as [string, string][]
  return entries.length ? `?${new URLSearchParams(entries)}` : ''
}
