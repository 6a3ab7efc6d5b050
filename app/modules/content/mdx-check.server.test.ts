// checkMdx keeps its results between content loads (the same source is not parsed again): a kept
// result is used only while what it read beside the file is unchanged, and every caller gets its own copy.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkMdx } from './mdx-check.server'

const dirs: string[] = []
function lessonDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-mdx-check-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b5a2d30000000049454e44ae426082', 'hex')
const lesson = (figure: string) => `---\ntitle: Bài mẫu\n---\n\n## Một mục\n\nVăn bản của bài.\n\n<Figure src="${figure}" alt="Hình minh hoạ" />\n`

function check(dir: string, source: string) {
  return checkMdx(source, path.join(dir, 'index.mdx'), 'khoa/bai/index.mdx', { allowChecks: true })
}

describe('checkMdx between loads', () => {
  it('gives the same result again for the same source and files', () => {
    const dir = lessonDir()
    fs.writeFileSync(path.join(dir, 'hinh.png'), PNG)
    const first = check(dir, lesson('./hinh.png'))
    expect(first.problems).toEqual([])
    expect(first.facts.assets).toEqual([{ ref: './hinh.png', absPath: path.join(dir, 'hinh.png'), kind: 'image' }])
    expect(first.facts.headings).toEqual([{ id: 'mot-muc', text: 'Một mục', depth: 2 }])
    expect(check(dir, lesson('./hinh.png'))).toEqual(first)
  })

  it('sees an image removed or added beside the lesson although the source is the same', () => {
    const dir = lessonDir()
    const image = path.join(dir, 'hinh.png')
    fs.writeFileSync(image, PNG)
    expect(check(dir, lesson('./hinh.png')).problems).toEqual([])
    fs.rmSync(image)
    const missing = check(dir, lesson('./hinh.png'))
    expect(missing.problems.map((p) => p.message)).toEqual([expect.stringContaining('không tìm thấy ảnh "./hinh.png"')])
    expect(missing.facts.assets).toEqual([])
    fs.writeFileSync(image, PNG)
    expect(check(dir, lesson('./hinh.png')).problems).toEqual([])
  })

  it('sees an SVG that gained a script, and a folder where the image was', () => {
    const dir = lessonDir()
    const svg = path.join(dir, 'so-do.svg')
    fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>')
    expect(check(dir, lesson('./so-do.svg')).problems).toEqual([])
    fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    expect(check(dir, lesson('./so-do.svg')).problems.map((p) => p.message)).toEqual([expect.stringContaining('SVG không được chứa script')])
    fs.rmSync(svg)
    fs.mkdirSync(svg)
    expect(check(dir, lesson('./so-do.svg')).problems.map((p) => p.message)).toEqual([expect.stringContaining('không tìm thấy ảnh')])
  })

  it('gives each caller a copy: changing one result does not change the next', () => {
    const dir = lessonDir()
    fs.writeFileSync(path.join(dir, 'hinh.png'), PNG)
    for (let i = 0; i < 3; i++) {
      const result = check(dir, lesson('./hinh.png'))
      expect(result.facts.assets).toHaveLength(1)
      expect(result.facts.headings[0]!.text).toBe('Một mục')
      expect(result.problems).toEqual([])
      result.facts.assets.length = 0
      result.facts.headings[0]!.text = 'đã sửa'
      result.problems.push({ file: 'x', message: 'y' })
    }
  })

  it('keys a result on the file names too: the same source elsewhere is checked there', () => {
    const withImage = lessonDir()
    const without = lessonDir()
    fs.writeFileSync(path.join(withImage, 'hinh.png'), PNG)
    expect(check(withImage, lesson('./hinh.png')).problems).toEqual([])
    expect(check(without, lesson('./hinh.png')).problems).toHaveLength(1)
  })
})
