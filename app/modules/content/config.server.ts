// Where content lives and where its compiled form is kept: CONTENT_DIR and CONTENT_CACHE_DIR, two
// variables of the one environment schema (app/utils/env.server.ts).
import path from 'node:path'
import { contentEnv } from '~/utils/env.server'

export interface ContentConfig {
  contentDir: string
  cacheDir: string
  /** Where generated images and published files are written, served under MEDIA_URL_PREFIX. */
  mediaDir: string
}

export const MEDIA_URL_PREFIX = '/media'

export function contentConfig(source: Record<string, string | undefined> = process.env, root = process.cwd()): ContentConfig {
  const env = contentEnv(source)
  const cacheDir = path.resolve(root, env.CONTENT_CACHE_DIR)
  return { contentDir: path.resolve(root, env.CONTENT_DIR), cacheDir, mediaDir: path.join(cacheDir, 'media') }
}
