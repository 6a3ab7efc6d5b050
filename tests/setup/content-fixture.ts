// A small, valid content/ folder written for a test, to break on purpose or to run the pipeline on
// without depending on the real courses (which the next issues will change).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'

export const FIXTURE_FILES: Record<string, string> = {
  'topics.yaml': `- id: thu-nghiem
  vi: Thử nghiệm
  en: Testing
`,
  'courses/khoa-thu/course.mdx': `---
title: Khoá thử nghiệm
summary: Khoá học nhỏ dùng trong kiểm thử tự động.
audience: [civil-servants]
topic: thu-nghiem
level: basic
estimatedHours: 0.5
standards: [IU01, IU06]
passMark: 70
validityMonths: 24
authors: [Nhóm kiểm thử]
version: 1.0.0
---

Giới thiệu khoá thử, có nói về dịch vụ công trực tuyến.
`,
  'courses/khoa-thu/01-bai-mot/index.mdx': `---
title: Bài một
summary: Bài học thứ nhất của khoá thử.
minutes: 10
standards: [IU01]
---

## Phần đầu

Nội dung bài một với [liên kết tới bài hai](/courses/khoa-thu/bai-hai) và [về đầu](#phan-dau).

<Callout type="tip">Mẹo nhỏ.</Callout>

<Figure src="./so-do.svg" alt="Sơ đồ thử nghiệm" caption="Chú thích" />
`,
  'courses/khoa-thu/01-bai-mot/so-do.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#0b5d3b"/></svg>
`,
  'courses/khoa-thu/02-bai-hai/index.mdx': `---
title: Bài hai
summary: Bài học thứ hai của khoá thử.
minutes: 12
standards: [IU06]
---

## Câu hỏi

<CheckYourself question="cau-mot" />
`,
  'courses/khoa-thu/questions/cau-hoi.yaml': `- id: cau-mot
  type: single
  lesson: bai-hai
  standards: [IU06]
  prompt: Câu hỏi thử?
  options:
    - text: Sai
    - text: Đúng
      correct: true
  explanation: Vì đó là đáp án đúng.
`,
}

export function tempContentDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'banso-content-'))
}

/** Writes the fixture (plus or minus some files) into a new folder and returns it. */
export function writeContentFixture(changes: Record<string, string | null> = {}, root = tempContentDir()): string {
  const files = { ...FIXTURE_FILES, ...changes }
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) continue
    const file = path.join(root, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
  }
  return root
}

/** A real PNG (a green rectangle) of the given size, for the image pipeline. */
export async function writePng(file: string, width: number, height: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  await sharp({ create: { width, height, channels: 3, background: '#0b5d3b' } }).png().toFile(file)
}
