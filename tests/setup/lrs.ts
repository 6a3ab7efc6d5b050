// A tiny Learning Record Store for tests (xAPI 1.0.3 PUT /statements?statementId=…), on 127.0.0.1:
// it checks the version header and Basic credentials, stores statements by id (a same-id PUT with
// the same content is a 204 no-op, with other content a 409, as the spec asks), records every
// request, and can be switched to answer 503, to drop connections, or to store a statement and
// then drop the connection before answering (a lost answer).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { isDeepStrictEqual } from 'node:util'

export type LrsMode = 'up' | '503' | 'drop' | 'store-then-drop'

export interface LrsRequest {
  method: string
  path: string
  statementId: string | null
  version: string | undefined
  authorization: string | undefined
  answered: number | 'dropped'
}

export interface TestLrs {
  /** The base to set as XAPI_LRS_URL (ends with a slash). */
  url: string
  mode: LrsMode
  requests: LrsRequest[]
  statements: Map<string, Record<string, unknown>>
  close(): Promise<void>
}

export async function startLrs({ user, password }: { user: string; password: string }): Promise<TestLrs> {
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  const lrs: TestLrs = { url: '', mode: 'up', requests: [], statements: new Map(), close: async () => undefined }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://lrs.test')
      const record: LrsRequest = {
        method: req.method ?? '',
        path: url.pathname,
        statementId: url.searchParams.get('statementId'),
        version: req.headers['x-experience-api-version'] as string | undefined,
        authorization: req.headers.authorization,
        answered: 0,
      }
      lrs.requests.push(record)
      const answer = (status: number, body = '') => {
        record.answered = status
        res.writeHead(status, { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' }).end(body)
      }
      const drop = () => {
        record.answered = 'dropped'
        req.socket.destroy()
      }
      if (lrs.mode === 'drop') return drop()
      if (lrs.mode === '503') return answer(503, '{"error":"maintenance"}')
      if (req.method !== 'PUT' || url.pathname !== '/xapi/statements' || !record.statementId) return answer(400, '{"error":"not a PUT of a statement"}')
      if (!record.version?.startsWith('1.0.')) return answer(400, '{"error":"X-Experience-API-Version missing"}')
      if (record.authorization !== expectedAuth) return answer(401, '{"error":"bad credentials"}')
      let statement: Record<string, unknown>
      try {
        statement = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      } catch {
        return answer(400, '{"error":"not JSON"}')
      }
      if (statement.id !== undefined && statement.id !== record.statementId) return answer(400, '{"error":"id differs from statementId"}')
      const known = lrs.statements.get(record.statementId)
      if (known && !isDeepStrictEqual(known, statement)) return answer(409, '{"error":"another statement has this id"}')
      if (!known) lrs.statements.set(record.statementId, statement)
      if (lrs.mode === 'store-then-drop') return drop()
      answer(204)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  lrs.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`
  lrs.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return lrs
}
