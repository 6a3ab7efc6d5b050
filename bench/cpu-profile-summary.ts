// Summary of a V8 CPU profile (from BENCH_CPU_PROF, e.g. bench/profile-sign-in.ts): where the main
// thread's time went over the last `--seconds` of the profile, by self time per package or file, and
// by inclusive time for the frames named with `--frame` (a function name, or name@file-part).
//   node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--seconds 9] [--frame name]...
import fs from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
const file = args[0]
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [--seconds N] [--frame name]...')
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 9) || 9
const frames = args.flatMap((a, i) => (a === '--frame' ? [args[i + 1]!] : []))
/** --detail <bucket>: that bucket's self time by function. */
const details = args.flatMap((a, i) => (a === '--detail' ? [args[i + 1]!] : []))

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

/** The bucket of a frame: a package, a file of the app, node's own code, or V8's pseudo-frames. */
function bucket(node: Node): string {
  const { url, functionName } = node.callFrame
  if (!url) return `(${functionName || 'anonymous'})`.replace(/^\(\((.*)\)\)$/, '($1)')
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return url
  const app = /\/(app\/.*|build\/.*|bench\/.*)$/.exec(url)
  return app ? app[1]! : url
}

// Sample times: timeDeltas[i] is the time before sample i.
const times: number[] = []
let t = 0
for (const d of profile.timeDeltas) times.push((t += d))
const end = t
const start = end - seconds * 1e6
const self = new Map<string, number>()
const inclusive = new Map<string, number>()
const detail = new Map<string, number>()
let total = 0
for (let i = 0; i < profile.samples.length; i++) {
  if (times[i]! < start) continue
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000
  total += dt
  const node = byId.get(profile.samples[i]!)!
  const b = bucket(node)
  self.set(b, (self.get(b) ?? 0) + dt)
  if (details.includes(b)) {
    const key = `${b}: ${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`
    detail.set(key, (detail.get(key) ?? 0) + dt)
  }
  const seen = new Set<string>()
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id)!
    for (const f of frames) {
      const [name, part] = f.split('@')
      if (seen.has(f) || n.callFrame.functionName !== name || (part && !n.callFrame.url.includes(part))) continue
      seen.add(f)
      inclusive.set(f, (inclusive.get(f) ?? 0) + dt)
    }
  }
}
const idle = self.get('(idle)') ?? 0
console.log(`${file}: last ${seconds} s, ${total.toFixed(0)} ms sampled, busy ${(total - idle).toFixed(0)} ms`)
for (const [b, ms] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 30)) console.log(`  self ${ms.toFixed(0).padStart(6)} ms  ${b}`)
for (const f of frames) console.log(`  incl ${(inclusive.get(f) ?? 0).toFixed(0).padStart(6)} ms  ${f}`)
for (const [k, ms] of [...detail].sort((x, y) => y[1] - x[1]).slice(0, 40)) console.log(`  detail ${ms.toFixed(0).padStart(6)} ms  ${k}`)
