import { describe, expect, it } from 'vitest'
import { buildStatement, XapiPayload } from './statements'

const ORIGIN = 'https://hoc.example.vn'
const payload = XapiPayload.parse({
  statementId: '5f0c7a52-4f5e-4c61-9a59-3f1a4c2b7d10',
  event: { kind: 'quiz.graded', userId: '0b9d8c3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f', course: { slug: 'khoa-thu', title: 'Khoa\u0301 thử' }, attemptNumber: 2, scorePercent: 66.67, passMark: 70, passed: false, at: '2026-12-03T01:02:03.456Z' },
})

describe('buildStatement', () => {
  it('is the same statement every time (a retry PUTs identical content under the same id)', () => {
    expect(buildStatement(payload, ORIGIN)).toEqual(buildStatement(structuredClone(payload), ORIGIN))
    expect(JSON.stringify(buildStatement(payload, ORIGIN))).toBe(JSON.stringify(buildStatement(payload, ORIGIN)))
  })

  it('scales the score to [0, 1], names activities in NFC Vietnamese and uses the ADL verb', () => {
    const s = buildStatement(payload, ORIGIN)
    expect(s.id).toBe(payload.statementId)
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/failed')
    expect(s.result).toEqual({ score: { scaled: 0.6667, raw: 66.67, min: 0, max: 100 }, success: false, completion: true })
    expect(s.object.definition.name['vi-VN']).toBe('Bài kiểm tra cuối khoá: Khoá thử')
    expect(s.object.definition.name['vi-VN']).toBe(s.object.definition.name['vi-VN'].normalize('NFC'))
    expect(s.timestamp).toBe('2026-12-03T01:02:03.456Z')
    expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: ORIGIN, name: payload.event.userId } })
  })
})
