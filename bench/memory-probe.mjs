// Loaded into a bench server with NODE_OPTIONS=--import (bench/memory.ts): on SIGUSR2 it writes the
// process's memory split to $BANSO_MEMORY_PROBE as JSON. "external" holds the WASM memories
// (PGlite's PostgreSQL, Prisma's query compiler) besides Buffers; V8 counts them there.
import fs from 'node:fs'

process.on('SIGUSR2', () => {
  const m = process.memoryUsage()
  fs.writeFileSync(process.env.BANSO_MEMORY_PROBE, JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }))
})
