// `npm start` builds the app when there is no build, or when the sources are newer than it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const SOURCES = ['app', 'public', 'remix.config.js', 'vite.config.ts', 'package-lock.json', 'tsconfig.json']

function newestMtime(entry: string): number {
  let stat: fs.Stats
  try {
    stat = fs.statSync(entry)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)))
  return newest
}

export function buildState(root: string): 'missing' | 'stale' | 'fresh' {
  const marker = path.join(root, 'build', 'server', 'index.js')
  if (!fs.existsSync(marker)) return 'missing'
  const built = fs.statSync(marker).mtimeMs
  const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))))
  return newest > built ? 'stale' : 'fresh'
}

/**
 * The environment of the build `npm start` runs: always NODE_ENV=production. Vite makes a
 * development build when NODE_ENV is anything else (`import.meta.env.DEV` true), and such a build
 * ships scripts on every page, the no-JavaScript ones too — which is what a server started with
 * NODE_ENV=test (Playwright's) once served after rebuilding a stale build.
 */
export function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_ENV: 'production' }
}

export function runBuild(root: string): void {
  const cli = path.join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js')
  if (!fs.existsSync(cli)) {
    throw new Error('Chưa có bản build và không có công cụ build (@remix-run/dev). Chạy "npm install" rồi "npm run build".')
  }
  const result = spawnSync(process.execPath, [cli, 'vite:build'], { cwd: root, stdio: 'inherit', env: buildEnv(process.env) })
  if (result.status !== 0) throw new Error(`Build thất bại (mã thoát ${result.status}).`)
}
