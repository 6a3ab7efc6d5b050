// The pipeline without the HTTP server: MDX compiled once per version of a file (memory, then disk
// across a restart), one compile for two callers at once, and the image variants sharp makes.
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { clearMemoryCache, compileCount, compileMdx } from '~/modules/content/compile.server'
import type { ContentConfig } from '~/modules/content/config.server'
import { prepareContent } from '~/modules/content/service.server'
import { assetKey } from '~/modules/content/types'
import { FIXTURE_FILES, tempContentDir, writeContentFixture, writePng } from '../setup/content-fixture'

const made: string[] = []
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

function fixtureConfig(changes: Record<string, string | null> = {}): ContentConfig {
  const contentDir = writeContentFixture(changes)
  const cacheDir = tempContentDir()
  made.push(contentDir, cacheDir)
  return { contentDir, cacheDir, mediaDir: path.join(cacheDir, 'media') }
}

describe('the MDX cache', () => {
  it('compiles each file once; a restart reads the disk cache; an edit compiles that file only', async () => {
    const config = fixtureConfig()
    const start = compileCount()
    const first = await prepareContent(config)
    expect(first.stats.compiles).toBe(3) // course introduction + 2 lessons
    expect(compileCount() - start).toBe(3)

    const second = await prepareContent(config)
    expect(second.stats.compiles).toBe(0)

    clearMemoryCache() // as after a restart: only the disk cache is left
    const restarted = await prepareContent(config)
    expect(restarted.stats.compiles).toBe(0)
    expect(restarted.store.courses[0]!.lessons[0]!.compiled.code).toBe(first.store.courses[0]!.lessons[0]!.compiled.code)

    const lesson = path.join(config.contentDir, 'courses/khoa-thu/02-bai-hai/index.mdx')
    fs.writeFileSync(lesson, FIXTURE_FILES['courses/khoa-thu/02-bai-hai/index.mdx']!.replace('## Câu hỏi', '## Câu hỏi đã sửa'))
    const edited = await prepareContent(config)
    expect(edited.stats.compiles).toBe(1)
    expect(edited.store.courses[0]!.lessons[1]!.compiled.toc).toEqual([{ id: 'cau-hoi-da-sua', text: 'Câu hỏi đã sửa', depth: 2 }])
  })

  it('two requests for the same new file wait for one compile', async () => {
    const config = fixtureConfig()
    const file = path.join(config.contentDir, 'courses/khoa-thu/01-bai-mot/index.mdx')
    const start = compileCount()
    const [a, b] = await Promise.all([
      compileMdx({ file, relFile: 'a.mdx', cacheDir: config.cacheDir }),
      compileMdx({ file, relFile: 'a.mdx', cacheDir: config.cacheDir }),
    ])
    expect(compileCount() - start).toBe(1)
    expect(a).toBe(b)
    expect(a.toc).toEqual([{ id: 'phan-dau', text: 'Phần đầu', depth: 2 }])
  })
})

describe('images', () => {
  it('makes WebP at 480/960/1440 px and a PNG fallback of a large PNG, never enlarges a small one, and reuses its work', async () => {
    const config = fixtureConfig({
      'courses/khoa-thu/01-bai-mot/index.mdx': FIXTURE_FILES['courses/khoa-thu/01-bai-mot/index.mdx']! + '\n![Ảnh lớn](./anh-lon.png)\n\n![Ảnh nhỏ](./anh-nho.jpg)\n',
    })
    const dir = path.join(config.contentDir, 'courses/khoa-thu/01-bai-mot')
    await writePng(path.join(dir, 'anh-lon.png'), 2000, 1000)
    await sharp({ create: { width: 600, height: 300, channels: 3, background: '#b35c00' } }).jpeg().toFile(path.join(dir, 'anh-nho.jpg'))

    const { store, stats } = await prepareContent(config)
    const assets = store.courses[0]!.lessons[0]!.assets
    const large = assets[assetKey('./anh-lon.png', 'picture')]!
    expect(large.kind).toBe('image')
    if (large.kind !== 'image') return
    expect(large.webp.map((v) => v.width)).toEqual([480, 960, 1440])
    expect([large.width, large.height]).toEqual([1440, 720])
    expect(large.fallback.type).toBe('image/png')
    const onDisk = (url: string) => path.join(config.mediaDir, url.replace(/^\/media\//, ''))
    for (const variant of large.webp) {
      const meta = await sharp(onDisk(variant.url)).metadata()
      expect([meta.format, meta.width]).toEqual(['webp', variant.width])
    }
    expect(large.webp[0]!.url).toMatch(/^\/media\/[0-9a-f]{16}\/anh-lon-480\.webp$/)

    const small = assets[assetKey('./anh-nho.jpg', 'picture')]!
    expect(small.kind === 'image' && small.webp.map((v) => v.width)).toEqual([480, 600])
    expect(small.kind === 'image' && small.fallback.type).toBe('image/jpeg')

    const svg = assets[assetKey('./so-do.svg', 'picture')]!
    expect(svg).toMatchObject({ kind: 'svg', width: 200, height: 100 })
    expect(fs.readFileSync(onDisk(svg.kind === 'svg' ? svg.url : ''), 'utf8')).toContain('<svg') // passed through as it is
    expect(stats.images.generated).toBe(3)

    const again = await prepareContent(config)
    expect(again.stats.images).toEqual({ generated: 0, reused: 3 })
  })
})
