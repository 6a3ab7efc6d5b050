// One parser for the addresses' parameters ($param in app/routes). A parameter that cannot be what
// the route expects is a 404 before any query runs: a malformed id never reaches PostgreSQL (which
// would reject it with an error, i.e. a 500), and the answer is the app's own "not found" page.
import { z } from 'zod'
import { SLUG_PATTERN } from '~/modules/content/schema'

/** What a parameter may be. */
export const param = {
  /** A database id: a UUID in its canonical 8-4-4-4-12 hex form. */
  uuid: z.string().uuid(),
  /** A course or lesson slug, as the content schema allows them. */
  slug: z.string().max(120).regex(SLUG_PATTERN),
  /** A secret or a code carried by the address (a reset token, a certificate's check code). */
  token: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/),
  /** One of a fixed set of values (a file format). */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values),
}

export function notFound(): never {
  throw new Response('404 — Không tìm thấy trang này. (Not found.)', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The route's parameters, each checked by its schema; any one missing or malformed → 404.
 * `const { userId } = routeParams(params, { userId: param.uuid })`
 */
export function routeParams<S extends Record<string, z.ZodTypeAny>>(params: Readonly<Record<string, string | undefined>>, shape: S): { [K in keyof S]: z.output<S[K]> } {
  const out: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(params[name])
    if (!parsed.success) notFound()
    out[name] = parsed.data
  }
  return out as { [K in keyof S]: z.output<S[K]> }
}

/** A lesson's address: /courses/:course/:lesson. */
export function lessonParams(params: Readonly<Record<string, string | undefined>>): { courseSlug: string; lessonSlug: string } {
  const { course, lesson } = routeParams(params, { course: param.slug, lesson: param.slug })
  return { courseSlug: course, lessonSlug: lesson }
}
