import { describe, expect, it } from 'vitest'
import { action } from './language'

function post(fields: Record<string, string>) {
  const body = new URLSearchParams(fields)
  return action({ request: new Request('http://localhost/language', { method: 'POST', body }), params: {}, context: { cspNonce: '', clientIp: '127.0.0.1' } })
}

describe('language switch', () => {
  it('sets the cookie and goes back to the page', async () => {
    const response = await post({ lang: 'en', redirectTo: '/courses?q=1' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/courses?q=1')
    expect(response.headers.get('set-cookie')).toBe('lang=en; Path=/; Max-Age=31536000; SameSite=Lax')
  })

  it('never redirects to another site', async () => {
    for (const target of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      expect((await post({ lang: 'vi', redirectTo: target })).headers.get('location')).toBe('/')
    }
  })

  it('refuses an unknown language with a 400', async () => {
    const response = await post({ lang: 'fr', redirectTo: '/' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Ngôn ngữ không hợp lệ')
  })
})
