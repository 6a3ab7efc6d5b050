// A test server (the real HTTP stack on a fresh seeded database) serving the learning fixture
// course (tests/setup/learning-fixture.ts), and its clean-up: the content store unset, the server
// closed, the fixture's folders removed. One helper for the tests that need both.
import fs from 'node:fs'
import { setContentStore } from '~/modules/content/service.server'
import { startLearningContent } from './learning-fixture'
import { startTestServer, type TestServer } from './test-server'

export interface LearningServer extends TestServer {
  /** The fixture's content folder, and the folder it is compiled into (media, packs). */
  contentDir: string
  cacheDir: string
}

export async function startLearningServer({
  env,
  changes,
  cleanUp = [],
  packsBesideContent = false,
}: {
  env?: Record<string, string>
  /** Changes to the fixture's files (path → text, or null to delete). */
  changes?: Record<string, string | null>
  /** More folders to remove when it closes. */
  cleanUp?: string[]
  /** Offline packs read the fixture's compiled media and are cached beside it (CONTENT_CACHE_DIR). */
  packsBesideContent?: boolean
} = {}): Promise<LearningServer> {
  const server = await startTestServer({ env })
  const { contentDir, cacheDir } = await startLearningContent(server.t.db.prisma, changes)
  if (packsBesideContent) process.env.CONTENT_CACHE_DIR = cacheDir
  return {
    ...server,
    contentDir,
    cacheDir,
    async close() {
      if (packsBesideContent) delete process.env.CONTENT_CACHE_DIR
      setContentStore(undefined)
      await server.close()
      for (const dir of [contentDir, cacheDir, ...cleanUp]) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
