// `npm run content:check`: validates every file of content/ and compiles it (through the cache),
// as start-up would, without a database. Prints every problem, one per line; exit code 1 if any.
import { compileCount } from './compile.server'
import { contentConfig } from './config.server'
import { ContentError, prepareContent } from './service.server'
import { formatProblem } from './types'

try {
  const config = contentConfig()
  const { stats, store } = await prepareContent(config)
  const compiled = compileCount()
  for (const warning of store.tree.warnings) process.stdout.write(`Cảnh báo: ${formatProblem(warning)}\n`)
  console.log(
    `Nội dung hợp lệ: ${stats.courses} khoá, ${stats.lessons} bài (${config.contentDir}). ` +
      `Biên dịch ${compiled} tệp MDX, ${stats.images.generated} tệp ảnh/tải về mới, ${stats.images.reused} dùng lại; ${stats.ms} ms.`,
  )
} catch (error) {
  if (error instanceof ContentError) {
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`)
    process.stderr.write(`\nNội dung có ${error.problems.length} lỗi.\n`)
  } else {
    process.stderr.write(`Không kiểm tra được nội dung: ${(error as Error).message}\n`)
  }
  process.exit(1)
}
