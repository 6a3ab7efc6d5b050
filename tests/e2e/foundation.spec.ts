import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations } from './axe'

test.describe('home page', () => {
  test('is in Vietnamese, shows the agencies from the database and passes axe', async ({ page }) => {
    const response = await page.goto('/')
    expect(response!.status()).toBe(200)
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Học kỹ năng số, từng bước một')
    await expect(page.getByTestId('agency-counts')).toHaveText(
      'Hệ thống đã có 120 đơn vị của tỉnh: 20 sở, ban, ngành và tổ chức cấp tỉnh, 10 phường và 89 xã.',
    )
    await expect(page).toHaveTitle(/^Bản Số — /)
    await expectNoSeriousA11yViolations(page)
  })

  test('ships no JavaScript', async ({ page }) => {
    const scripts: string[] = []
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url())
    })
    await page.goto('/')
    expect(await page.locator('script').count()).toBe(0)
    expect(scripts).toEqual([])
  })

  test('fits a small phone screen without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 })
    await page.goto('/')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
  })

  test('the keyboard reaches a skip link first, and it leads to the content', async ({ page }) => {
    await page.goto('/')
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' })
    await expect(skip).toBeFocused()
    await expect(skip).toBeInViewport()
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(/#main$/)
  })
})

test.describe('language switch', () => {
  test.use({ javaScriptEnabled: false })

  test('switches to English and back with JavaScript disabled', async ({ page }) => {
    await page.goto('/')
    await page.getByRole('button', { name: 'Chuyển sang tiếng Anh' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Digital skills, one step at a time')
    await expect(page.getByTestId('agency-counts')).toContainText('The system holds 120 agencies')
    await page.getByRole('button', { name: 'Switch to Vietnamese' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Học kỹ năng số, từng bước một')
  })
})

test('the English page passes axe too', async ({ page, context, baseURL }) => {
  // axe runs as a script in the page, so this one has JavaScript (the page itself ships none).
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }])
  await page.goto('/')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expectNoSeriousA11yViolations(page)
})

test.describe('errors', () => {
  test('an unknown address gets a Vietnamese 404 page in the site layout', async ({ page }) => {
    const response = await page.goto('/khong-co-trang-nay')
    expect(response!.status()).toBe(404)
    await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang')
    await expect(page.getByRole('link', { name: 'Về trang chủ' })).toHaveAttribute('href', '/')
    await expectNoSeriousA11yViolations(page)
  })
})

test.describe('HTTP basics', () => {
  test('/healthz checks the database', async ({ request }) => {
    const response = await request.get('/healthz')
    expect(response.status()).toBe(200)
    expect(response.headers()['cache-control']).toBe('no-store')
    const body = await response.json()
    expect(body.status).toBe('ok')
    expect(['pglite', 'postgres']).toContain(body.database)
  })

  test('security headers are on pages and on static files, with a per-response CSP nonce', async ({ page, request }) => {
    const response = await page.goto('/')
    const headers = response!.headers()
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/)
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    const css = await page.locator('link[rel="stylesheet"]').getAttribute('href')
    const asset = await request.get(css!)
    expect(asset.status()).toBe(200)
    expect(asset.headers()['content-security-policy']).toBeTruthy()
    expect(asset.headers()['x-content-type-options']).toBe('nosniff')
    expect(asset.headers()['cache-control']).toContain('immutable')
  })

  test('pages are compressed', async ({ request }) => {
    const response = await request.get('/', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(response.headers()['content-encoding']).toBe('gzip')
  })

  test('a POST from another site is refused with 403; the same form from this site works', async ({ request, baseURL }) => {
    const foreign = await request.post('/language', {
      form: { lang: 'en', redirectTo: '/' },
      headers: { Origin: 'https://evil.example' },
      maxRedirects: 0,
    })
    expect(foreign.status()).toBe(403)
    const own = await request.post('/language', {
      form: { lang: 'en', redirectTo: '/' },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    })
    expect(own.status()).toBe(303)
  })
})
