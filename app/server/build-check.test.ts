import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildEnv, buildState } from './build-check'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-build-check-'))
  dirs.push(root)
  fs.mkdirSync(path.join(root, 'app', 'routes'), { recursive: true })
  fs.writeFileSync(path.join(root, 'app', 'routes', '_index.tsx'), 'export default 1\n')
  return root
}

function touch(file: string, when: Date) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  if (!fs.existsSync(file)) fs.writeFileSync(file, '')
  fs.utimesSync(file, when, when)
}

describe('the build `npm start` makes', () => {
  it('is a production build whatever NODE_ENV the server runs with (a test server’s rebuild once shipped scripts on no-JS pages)', () => {
    for (const NODE_ENV of ['test', 'development', undefined] as const) {
      const env = buildEnv({ NODE_ENV, PORT: '3210' } as NodeJS.ProcessEnv)
      expect(env.NODE_ENV).toBe('production')
      expect(env.PORT).toBe('3210')
    }
  })

  it('is missing, stale when a source is newer than it, fresh otherwise', () => {
    const root = project()
    expect(buildState(root)).toBe('missing')
    const built = path.join(root, 'build', 'server', 'index.js')
    touch(path.join(root, 'app', 'routes', '_index.tsx'), new Date(Date.now() - 60_000))
    touch(built, new Date())
    expect(buildState(root)).toBe('fresh')
    touch(path.join(root, 'public', 'offline.js'), new Date(Date.now() + 60_000))
    expect(buildState(root)).toBe('stale')
  })
})
