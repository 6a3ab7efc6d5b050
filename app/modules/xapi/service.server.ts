// xAPI statements to an optional Learning Record Store (docs/decisions/026). An event (lesson done,
// quiz graded, certificate issued) enqueues one `xapi.send` job in the transaction that records it,
// so a statement exists exactly when its event does; the job runner sends it later, with its
// retries, so a page never waits on the LRS. The statement's id is made once, at the event, and
// kept in the job: a retry after a lost answer PUTs the same id, which the LRS stores once.
import { randomUUID } from 'node:crypto'
import type { Prisma } from '@prisma/client'
import { enqueueJob, type JobHandler } from '~/modules/jobs/runner.server'
import { getEnv, type Env } from '~/utils/env.server'
import { buildStatement, XAPI_VERSION, XapiPayload, type Statement, type XapiEvent } from './statements'

export const XAPI_JOB = 'xapi.send'

/** 1 + 4 + 16 + 64 + 256 min, then every 6 h: about two days of an LRS being down before a statement is given up (FAILED, kept in the job table). */
export const XAPI_MAX_ATTEMPTS = 12

/** How long one PUT may take before it counts as failed (and is retried). */
const SEND_TIMEOUT_MS = 20_000

export type XapiEnv = Pick<Env, 'XAPI_LRS_URL' | 'XAPI_LRS_AUTH' | 'APP_ORIGIN'>

/** Whether statements are made at all: only with an LRS configured. */
function configured(env: XapiEnv = getEnv()): boolean {
  return Boolean(env.XAPI_LRS_URL)
}

/** An event as the modules have it: dates as Dates. */
type Dated<E> = E extends unknown ? Omit<E, 'at' | 'expiresAt'> & { at: Date } & ('expiresAt' extends keyof E ? { expiresAt: Date | null } : unknown) : never
export type EventInput = Dated<XapiEvent>

/**
 * Queues the statement of an event, in the caller's transaction (nothing when no LRS is set).
 * Returns the statement's id, or null.
 */
export async function recordXapi(tx: Prisma.TransactionClient, input: EventInput, env: XapiEnv = getEnv()): Promise<string | null> {
  if (!configured(env)) return null
  const statementId = randomUUID()
  const event = { ...input, at: input.at.toISOString(), ...('expiresAt' in input ? { expiresAt: input.expiresAt?.toISOString() ?? null } : {}) }
  const payload = XapiPayload.parse({ statementId, event })
  await enqueueJob(tx, { kind: XAPI_JOB, key: `xapi:${statementId}`, payload, runAt: input.at, maxAttempts: XAPI_MAX_ATTEMPTS })
  return statementId
}

export class LrsError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
    this.name = 'LrsError'
  }
}

/**
 * PUTs one statement (xAPI 1.0.3 §2.1.1 "PUT Statements"). 204 (and any 2xx) is stored; 409 means
 * the LRS already holds a statement with this id — ours, sent before an answer was lost (the ids are
 * random UUIDs made here) — so it is delivered too. Anything else throws, and the job is retried.
 */
export async function sendStatement(env: XapiEnv, statement: Statement): Promise<number> {
  if (!env.XAPI_LRS_URL) throw new LrsError('XAPI_LRS_URL is not set', null)
  const url = new URL(`statements?statementId=${encodeURIComponent(statement.id)}`, env.XAPI_LRS_URL)
  const headers: Record<string, string> = { 'X-Experience-API-Version': XAPI_VERSION, 'Content-Type': 'application/json; charset=utf-8' }
  if (env.XAPI_LRS_AUTH) headers.Authorization = `Basic ${Buffer.from(env.XAPI_LRS_AUTH, 'utf8').toString('base64')}`
  let response: Response
  try {
    response = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(statement), signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: 'error' })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause
    throw new LrsError(`LRS unreachable: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}`, null)
  }
  const body = (await response.text().catch(() => '')).slice(0, 500)
  if (response.ok || response.status === 409) return response.status
  throw new LrsError(`LRS answered ${response.status}${body ? `: ${body}` : ''}`, response.status)
}

/** The job handler, for the runner (app/server/start.ts). */
export function xapiJobs(env: () => XapiEnv): Record<string, JobHandler> {
  return {
    [XAPI_JOB]: async (job) => {
      const payload = XapiPayload.parse(job.payload)
      const current = env()
      // The LRS was unset since the event: the statement waits (retried) rather than being lost.
      if (!current.XAPI_LRS_URL || !current.APP_ORIGIN) throw new LrsError('XAPI_LRS_URL or APP_ORIGIN is not set', null)
      await sendStatement(current, buildStatement(payload, current.APP_ORIGIN))
    },
  }
}
