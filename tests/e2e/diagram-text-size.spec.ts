// Every diagram of every lesson is readable on a phone: at a 360 px wide viewport no text of a
// diagram renders smaller than 11 CSS px. SVG diagrams are measured as served; PNG diagrams exported
// from an SVG source (content/sources/render.ts) are measured on that source at the PNG's size. The width each diagram gets is measured on the real lesson
// page (the figure, or the image of a step, with the page's own CSS); then the SVG is opened on its
// own at exactly that size and the browser itself says how big each piece of text is (computed font
// size × the scale of its screen transform: viewBox, nested groups and transforms all count).
import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'

const VIEWPORT = { width: 360, height: 800 }
const MIN_TEXT_PX = 11
const COURSES_DIR = path.resolve('content/courses')
const SOURCES_DIR = path.resolve('content/sources')

/**
 * Raster diagrams drawn as SVG in content/sources and exported by content/sources/render.ts: the lesson
 * shows the PNG, so its text is measured on the SVG source, shown at the PNG's size on the page.
 */
function rasterSources(): Map<string, string> {
  const render = fs.readFileSync(path.join(SOURCES_DIR, 'render.ts'), 'utf8')
  const pairs = [...render.matchAll(/\['([a-z0-9-]+\.svg)',\s*'[^']*?([a-z0-9-]+)\.png'\]/g)]
  return new Map(pairs.map((m) => [m[2]!, path.join(SOURCES_DIR, m[1]!)]))
}

/** Every lesson URL and the SVG files its folder holds, read from content/ as the app reads it. */
function lessonsWithDiagrams(): { url: string; svgs: string[]; rasters: string[] }[] {
  const raster = rasterSources()
  const lessons: { url: string; svgs: string[]; rasters: string[] }[] = []
  for (const course of fs.readdirSync(COURSES_DIR).sort()) {
    const courseDir = path.join(COURSES_DIR, course)
    if (!fs.statSync(courseDir).isDirectory()) continue
    for (const folder of fs.readdirSync(courseDir).sort()) {
      const match = /^\d+-(.+)$/.exec(folder)
      if (!match || !fs.existsSync(path.join(courseDir, folder, 'index.mdx'))) continue
      const mdx = fs.readFileSync(path.join(courseDir, folder, 'index.mdx'), 'utf8')
      const svgs = fs.readdirSync(path.join(courseDir, folder)).filter((f) => f.endsWith('.svg') && mdx.includes(`./${f}`))
      const rasters = [...raster.keys()].filter((name) => mdx.includes(`./${name}.png`))
      if (svgs.length || rasters.length) lessons.push({ url: `/courses/${course}/${match[1]}`, svgs, rasters })
    }
  }
  return lessons
}

interface TextSize {
  text: string
  px: number
}

/**
 * Opens one SVG on its own page, gives its root the size it has in the lesson, and returns the
 * rendered size of every piece of text (text or tspan elements holding characters of their own).
 */
async function renderedTextSizes(page: Page, src: string, width: number, height: number): Promise<TextSize[]> {
  const response = await page.goto(src)
  if (!src.startsWith('file:')) expect(response?.ok(), src).toBe(true)
  return page.evaluate(
    ({ width, height }) => {
      const svg = document.documentElement as unknown as SVGSVGElement
      svg.setAttribute('width', String(width))
      svg.setAttribute('height', String(height))
      const sizes: { text: string; px: number }[] = []
      for (const el of Array.from(svg.querySelectorAll('text, tspan')) as SVGGraphicsElement[]) {
        const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
        if (!own) continue
        const fontSize = parseFloat(getComputedStyle(el).fontSize)
        const m = el.getScreenCTM()
        if (!m) continue
        const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c))
        sizes.push({ text: (el.textContent ?? '').trim().slice(0, 50), px: fontSize * scale })
      }
      return sizes
    },
    { width, height },
  )
}

test.describe('diagrams at 360 px wide', () => {
  test.use({ viewport: VIEWPORT })

  test('the measurement sees a scaled-down diagram as small text (the check itself can fail)', async ({ page }) => {
    // A made-up 720-unit-wide diagram with 16-unit text inside a group scaled by 0.5, shown 360 px wide:
    // 16 × 0.5 × 360/720 = 4 px.
    await page.setContent('<!doctype html><title>svg</title>')
    const px = await page.evaluate(() => {
      const host = document.createElement('div')
      host.innerHTML =
        '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="100" viewBox="0 0 720 200">' +
        '<g font-size="16" transform="scale(0.5)"><text x="10" y="40">chữ nhỏ</text></g></svg>'
      document.body.appendChild(host)
      const el = host.querySelector('text') as SVGGraphicsElement
      const m = el.getScreenCTM()!
      return parseFloat(getComputedStyle(el).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c))
    })
    expect(px).toBeCloseTo(4, 5)
  })

  test(`no diagram text renders under ${MIN_TEXT_PX} px`, async ({ page, context }) => {
    test.setTimeout(240_000)
    const lessons = lessonsWithDiagrams()
    expect(lessons.length).toBeGreaterThan(10)
    const raster = rasterSources()
    // render.ts lists its sources; if its format changes this finds none, and the test says so.
    expect(raster.size, 'content/sources/render.ts lists no SVG → PNG pairs').toBeGreaterThan(0)
    let rastersMeasured = 0
    const svgPage = await context.newPage()
    const failures: string[] = []
    let measured = 0
    for (const lesson of lessons) {
      await page.goto(lesson.url)
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      const images = await page.locator('main img[src*=".svg"]').evaluateAll((imgs) =>
        imgs.map((img) => {
          const box = img.getBoundingClientRect()
          return { src: (img as HTMLImageElement).getAttribute('src') ?? '', width: box.width, height: box.height }
        }),
      )
      // Each SVG of the lesson folder that the lesson uses is on the page.
      for (const svg of lesson.svgs) {
        expect(images.some((i) => i.src.includes(svg.replace(/\.svg$/, ''))), `${lesson.url}: ${svg}`).toBe(true)
      }
      for (const image of images) {
        expect(image.width, `${lesson.url}: ${image.src} has no width`).toBeGreaterThan(100)
        expect(image.width, `${lesson.url}: ${image.src} wider than the screen`).toBeLessThanOrEqual(VIEWPORT.width)
        const sizes = await renderedTextSizes(svgPage, image.src, image.width, image.height)
        expect(sizes.length, `${image.src}: no text found`).toBeGreaterThan(0)
        measured += sizes.length
        for (const size of sizes) {
          if (size.px < MIN_TEXT_PX - 0.01) {
            failures.push(`${lesson.url} ${path.basename(image.src)} (${Math.round(image.width)} px wide): “${size.text}” ${size.px.toFixed(1)} px`)
          }
        }
      }
      for (const name of lesson.rasters) {
        const img = page.locator(`main img[src*="${name}"]`).first()
        await expect(img, `${lesson.url}: ${name}.png`).toBeAttached()
        const box = await img.evaluate((el) => {
          const r = el.getBoundingClientRect()
          return { width: r.width, height: r.height }
        })
        expect(box.width, `${lesson.url}: ${name}.png has no width`).toBeGreaterThan(100)
        const source = raster.get(name)!
        const sizes = await renderedTextSizes(svgPage, `file://${source}`, box.width, box.height)
        expect(sizes.length, `${source}: no text found`).toBeGreaterThan(0)
        rastersMeasured += 1
        for (const size of sizes) {
          if (size.px < MIN_TEXT_PX - 0.01) {
            failures.push(`${lesson.url} ${name}.png from ${path.basename(source)} (${Math.round(box.width)} px wide): “${size.text}” ${size.px.toFixed(1)} px`)
          }
        }
      }
    }
    expect(measured).toBeGreaterThan(100)
    expect(rastersMeasured).toBe(raster.size)
    expect(failures, failures.join('\n')).toEqual([])
  })

  test('no lesson scrolls sideways at 360 px (tables, diagrams and long words stay inside the screen)', async ({ page }) => {
    test.setTimeout(240_000)
    const urls: string[] = []
    for (const course of fs.readdirSync(COURSES_DIR).sort()) {
      const courseDir = path.join(COURSES_DIR, course)
      if (!fs.statSync(courseDir).isDirectory()) continue
      for (const folder of fs.readdirSync(courseDir).sort()) {
        const match = /^\d+-(.+)$/.exec(folder)
        if (match && fs.existsSync(path.join(courseDir, folder, 'index.mdx'))) urls.push(`/courses/${course}/${match[1]}`)
      }
    }
    expect(urls.length).toBeGreaterThan(30)
    const wide: string[] = []
    for (const url of urls) {
      await page.goto(url)
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      if (overflow > 0) wide.push(`${url}: ${overflow} px too wide`)
    }
    expect(wide, wide.join('\n')).toEqual([])
  })
})
