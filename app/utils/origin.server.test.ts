// keptOrigin() without APP_ORIGIN (the newcomer's setup): files kept on disk never name a host a
// request merely chose; the request's host is believed only when the connection proves it.
import { describe, expect, it } from 'vitest'

delete process.env.APP_ORIGIN
delete process.env.TRUST_PROXY
const { keptOrigin, publicOrigin } = await import('./origin.server')

const request = (url: string) => new Request(url)

describe('keptOrigin without APP_ORIGIN', () => {
  it('believes the Host header when it is the address the connection reached', () => {
    expect(keptOrigin(request('http://192.168.1.20:3000/x'), 'http://192.168.1.20:3000')).toBe('http://192.168.1.20:3000')
  })

  it('believes localhost on a loopback connection to the same port', () => {
    expect(keptOrigin(request('http://localhost:3000/x'), 'http://127.0.0.1:3000')).toBe('http://localhost:3000')
    expect(keptOrigin(request('http://localhost:3000/x'), 'http://[::1]:3000')).toBe('http://localhost:3000')
  })

  it('replaces any other host by the address the connection reached', () => {
    expect(keptOrigin(request('http://evil.example/x'), 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000')
    expect(keptOrigin(request('http://localhost:3000/x'), 'http://192.168.1.20:3000'), 'localhost, but not a loopback connection').toBe('http://192.168.1.20:3000')
    expect(keptOrigin(request('http://127.0.0.1:9999/x'), 'http://127.0.0.1:3000'), 'another port').toBe('http://127.0.0.1:3000')
  })

  it('pages for one request still use its own address (publicOrigin)', () => {
    expect(publicOrigin(request('http://evil.example/x'))).toBe('http://evil.example')
    expect(publicOrigin(null)).toBe('')
  })
})
