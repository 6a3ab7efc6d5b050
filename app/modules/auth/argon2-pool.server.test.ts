// The Argon2 pool's two guards (docs/decisions/029): one worker left idle while the event loop is
// busy with pages, and a bounded queue beyond which sign-ins are turned away. Counted, never timed:
// the pool starts its jobs synchronously in run(), so what runs and what waits is known right after.
import { hash } from '@node-rs/argon2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool } from './argon2-pool.server'
import { ARGON2_OPTIONS } from './password.server'

let stored: string
const password = 'Đăng nhập giờ cao điểm 2026'
beforeAll(async () => {
  stored = await hash(password, ARGON2_OPTIONS)
})

const pools: { close(): Promise<void> }[] = []
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()))
})

function pool(options: { size: number; cores?: number; yieldToPages?: boolean; queueMax?: number; pagesBusy?: () => boolean; busyNice?: number }) {
  const p = createPool({ nice: 0, yieldToPages: true, queueMax: 100, cores: 2, ...options })
  pools.push(p)
  return p
}
const verify = (p: ReturnType<typeof pool>, guess = password) => p.run<boolean>({ op: 'verify', args: [stored, guess] })

describe('a fair limit while pages are served', () => {
  it('uses every worker when the event loop is idle', async () => {
    const p = pool({ size: 2, pagesBusy: () => false })
    const jobs = Array.from({ length: 4 }, (_, i) => verify(p, i % 2 ? password : 'sai'))
    expect(p.running).toBe(2)
    expect(p.waiting).toBe(2)
    expect(await Promise.all(jobs)).toEqual([false, true, false, true])
  })

  it('leaves one worker to the pages while the event loop is busy, and takes it back when it is not', async () => {
    let busy = true
    const p = pool({ size: 2, pagesBusy: () => busy })
    const jobs = Array.from({ length: 4 }, () => verify(p))
    expect(p.running).toBe(1)
    expect(p.waiting).toBe(3)
    busy = false
    // The next job to end starts two.
    await jobs[0]
    expect(p.running).toBe(2)
    expect(await Promise.all(jobs)).toEqual([true, true, true, true])
  })

  it('counts the cores, not the workers: four workers on two cores run one job while pages are served', async () => {
    const p = pool({ size: 4, cores: 2, pagesBusy: () => true })
    const jobs = Array.from({ length: 4 }, () => verify(p))
    expect(p.running).toBe(1)
    expect(await Promise.all(jobs)).toEqual([true, true, true, true])
    const idle = pool({ size: 4, cores: 2, pagesBusy: () => false })
    const more = Array.from({ length: 4 }, () => verify(idle))
    expect(idle.running).toBe(4)
    await Promise.all(more)
  })

  it('with a low-priority spare: only the spare starts jobs while pages are served, every worker otherwise', async () => {
    let busy = true
    const p = pool({ size: 2, pagesBusy: () => busy, busyNice: 19 })
    const jobs = Array.from({ length: 5 }, () => verify(p))
    expect(p.running).toBe(1)
    expect(p.waiting).toBe(4)
    busy = false
    await jobs[0]
    expect(p.running).toBe(3)
    expect(await Promise.all(jobs)).toEqual([true, true, true, true, true])
  })

  it('never stops a one-worker pool, and can be turned off', async () => {
    const one = pool({ size: 1, pagesBusy: () => true })
    const a = [verify(one), verify(one)]
    expect(one.running).toBe(1)
    const off = pool({ size: 2, yieldToPages: false, pagesBusy: () => true })
    const b = [verify(off), verify(off)]
    expect(off.running).toBe(2)
    expect(await Promise.all([...a, ...b])).toEqual([true, true, true, true])
  })
})

describe('admission', () => {
  it('turns sign-ins away while the queue is full, with a Retry-After of at least a second, and admits them again once it drains', async () => {
    const p = pool({ size: 1, queueMax: 2, pagesBusy: () => false })
    const jobs = [verify(p)]
    expect(p.admits()).toBe(true)
    jobs.push(verify(p), verify(p))
    expect(p.waiting).toBe(2)
    expect(p.admits()).toBe(false)
    expect(p.retryAfterSeconds()).toBeGreaterThanOrEqual(1)
    await Promise.all(jobs)
    expect(p.waiting).toBe(0)
    expect(p.admits()).toBe(true)
  })
})
