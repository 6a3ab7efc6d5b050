// Reliability 1 — the Content-Security-Policy, in a real browser: should markup ever slip through
// escaping, the browser still refuses to run an inline script or an inline event handler (the
// policy allows only scripts of this site carrying the request's nonce). Proven by injecting them
// into a real page on its way to the browser, with the server's own headers; and, as a control,
// that the same injection does run once the policy is taken away (so the test can fail).
import { expect, test, type Page } from '@playwright/test'

const INJECTION = '<script>window.__xss = "script"</script><img src="/favicon.svg" alt="" onload="window.__xssAttr = \'attribute\'">'

async function injectInto(page: Page, path: string, { keepPolicy }: { keepPolicy: boolean }) {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] }
    w.__violations = []
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(e.effectiveDirective))
  })
  await page.route(`**${path}`, async (route) => {
    const response = await route.fetch()
    const headers = { ...response.headers() }
    if (!keepPolicy) delete headers['content-security-policy']
    delete headers['content-length']
    delete headers['content-encoding']
    const body = (await response.text()).replace('</main>', `${INJECTION}</main>`)
    await route.fulfill({ status: response.status(), headers, body })
  })
}

const state = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __xss?: string; __xssAttr?: string; __violations: string[] }
    return { script: w.__xss ?? null, attribute: w.__xssAttr ?? null, violations: w.__violations }
  })

test.describe('Content-Security-Policy', () => {
  test('blocks an inline script and an inline event handler injected into a page', async ({ page }) => {
    await injectInto(page, '/courses', { keepPolicy: true })
    const response = await page.goto('/courses')
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/)
    await page.waitForLoadState('load')
    await expect.poll(async () => (await state(page)).violations.length).toBeGreaterThanOrEqual(2)
    const { script, attribute, violations } = await state(page)
    expect(script).toBeNull()
    expect(attribute).toBeNull()
    expect(violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']))
  })

  test('control: without the policy the same injection runs (so the test above can fail)', async ({ page }) => {
    await injectInto(page, '/courses', { keepPolicy: false })
    await page.goto('/courses')
    await expect.poll(async () => (await state(page)).attribute).toBe('attribute')
    expect((await state(page)).script).toBe('script')
  })

  test('a name with markup, signed up through the form, shows as text and runs nothing', async ({ page, baseURL }) => {
    const dialogs: string[] = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    const name = 'Lò <img src=x onerror=alert(1)> <script>alert(2)</script>'
    const email = `csp.${Date.now()}@example.com`
    const response = await page.request.post('/signup', {
      headers: { Origin: baseURL! },
      form: { fullName: name, identifier: email, password: 'Mat-khau-rat-dai-2026', passwordConfirm: 'Mat-khau-rat-dai-2026', kind: 'CITIZEN', agencyId: '', jobTitle: '' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(303)
    await page.goto('/account')
    await expect(page.getByText('<script>alert(2)</script>').first()).toBeVisible()
    expect(dialogs).toEqual([])
    expect(await page.locator('main img[src="x"]').count()).toBe(0)
  })
})
