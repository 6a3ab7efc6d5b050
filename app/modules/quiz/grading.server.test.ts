import { describe, expect, it } from 'vitest'
import { attemptsLeftOf, countedAttempts, reviewMode, reviewShowsAnswers } from './grading.server'

const at = (day: number) => new Date(Date.UTC(2026, 0, day))
const attempt = (day: number, passed: boolean | null, status = 'SUBMITTED') => ({ startedAt: at(day), passed, status })

describe('the attempts that count', () => {
  const all = [attempt(1, false), attempt(2, true), attempt(3, false), attempt(40, false)]
  it('are all of them, or in a renewal those started after the last completion', () => {
    expect(countedAttempts(all, null)).toHaveLength(4)
    expect(countedAttempts(all, at(2))).toEqual([all[2], all[3]])
    expect(attemptsLeftOf(3, countedAttempts(all, at(2)))).toBe(1)
    expect(attemptsLeftOf(3, all)).toBe(0)
    expect(attemptsLeftOf(null, all)).toBeNull()
  })

  it('the review shows answers only as showAnswers says, never while an attempt remains for after-last-attempt', () => {
    const renewal = countedAttempts(all, at(3)) // one renewal attempt, failed; an old pass before it
    expect(reviewShowsAnswers('after-last-attempt', 3, renewal)).toBe(false)
    expect(reviewShowsAnswers('after-passing', 3, renewal)).toBe(false) // the old pass is not this round's
    expect(reviewShowsAnswers('after-passing', 3, all)).toBe(true)
    expect(reviewShowsAnswers('after-last-attempt', 3, all.slice(0, 3))).toBe(true)
    expect(reviewShowsAnswers('after-last-attempt', 3, [...all.slice(0, 2), attempt(3, null, 'OPEN')])).toBe(false)
    expect(reviewShowsAnswers('after-last-attempt', null, all)).toBe(false) // unlimited: never
    expect(reviewShowsAnswers('never', 3, all)).toBe(false)
    expect(reviewShowsAnswers('after-each-attempt', 3, renewal)).toBe(true)
  })

  it('by default (verdicts-until-done) shows verdicts only, until a pass or the last attempt', () => {
    expect(reviewMode('verdicts-until-done', 3, [attempt(1, false)])).toBe('verdicts')
    expect(reviewMode('verdicts-until-done', 3, [attempt(1, false), attempt(2, false)])).toBe('verdicts')
    expect(reviewMode('verdicts-until-done', 3, [attempt(1, false), attempt(2, true)])).toBe('answers')
    expect(reviewMode('verdicts-until-done', 3, [attempt(1, false), attempt(2, false), attempt(3, false)])).toBe('answers')
    expect(reviewMode('verdicts-until-done', null, [attempt(1, false), attempt(2, false)])).toBe('verdicts') // unlimited: until a pass
    expect(reviewMode('verdicts-until-done', 2, [attempt(1, false), attempt(2, null, 'OPEN')])).toBe('verdicts')
    // The other settings show everything or nothing, as before.
    expect(reviewMode('after-last-attempt', 3, [attempt(1, false)])).toBe('none')
    expect(reviewMode('after-each-attempt', 3, [attempt(1, false)])).toBe('answers')
    expect(reviewMode('never', 1, [attempt(1, true)])).toBe('none')
  })
})
