import { describe, expect, it } from 'vitest'
import { assignmentStage, daysUntil, escalationLevel, expiryStage, vietnamDay, vietnamHour } from './stages'

describe('reminder stages', () => {
  it('counts calendar days in Vietnam time, whatever the hour', () => {
    // 23:30 UTC on 1 Dec is 06:30 on 2 Dec in Vietnam.
    const now = new Date('2026-12-01T23:30:00Z')
    expect(vietnamDay(now)).toBe('2026-12-02')
    expect(vietnamHour(now)).toBe(6)
    expect(daysUntil(new Date('2026-12-02T16:59:00Z'), now)).toBe(0) // 23:59 on 2 Dec in Vietnam
    expect(daysUntil(new Date('2026-12-02T17:00:00Z'), now)).toBe(1) // 00:00 on 3 Dec
    expect(daysUntil(new Date('2026-11-30T12:00:00Z'), now)).toBe(-2)
  })

  it('sends each assignment stage in its window', () => {
    expect(assignmentStage(15)).toBeNull()
    expect(assignmentStage(14)).toBe('assignment.due14')
    expect(assignmentStage(4)).toBe('assignment.due14')
    expect(assignmentStage(3)).toBe('assignment.due3')
    expect(assignmentStage(0)).toBe('assignment.due3')
    expect(assignmentStage(-1)).toBe('assignment.overdue')
    expect(assignmentStage(-400)).toBe('assignment.overdue')
  })

  it('sends each certificate stage in its window, and no "expired" for long-expired ones', () => {
    expect(expiryStage(61)).toBeNull()
    expect(expiryStage(60)).toBe('certificate.exp60')
    expect(expiryStage(31)).toBe('certificate.exp60')
    expect(expiryStage(30)).toBe('certificate.exp30')
    expect(expiryStage(8)).toBe('certificate.exp30')
    expect(expiryStage(7)).toBe('certificate.exp7')
    expect(expiryStage(0)).toBe('certificate.exp7')
    expect(expiryStage(-1)).toBe('certificate.expired')
    expect(expiryStage(-90)).toBe('certificate.expired')
    expect(expiryStage(-91)).toBeNull()
  })

  it('escalates after the grace period, and one level up after twice it', () => {
    expect(escalationLevel(7, 7)).toBe(0)
    expect(escalationLevel(8, 7)).toBe(1)
    expect(escalationLevel(14, 7)).toBe(1)
    expect(escalationLevel(15, 7)).toBe(2)
    expect(escalationLevel(1, 0)).toBe(2)
  })
})
