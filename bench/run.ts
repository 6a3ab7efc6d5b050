// `npm run bench`: every scenario as its own child process (a fresh heap, its own server and
// database, nothing left over from the scenario before), each bounded in time and the whole run
// under 10 minutes; one table of product vs anchor (measured in the same run), printed and written
// to bench/RESULTS.md with the date and the machine. `npm run bench -- lesson sign-in` runs some.
//
// A scenario is a script bench/<name>.ts that ends with emitResults() (bench/result.ts). A script
// that is not there yet (the report scenario comes with the reports branch) is reported as
// "not available", which is not a failure of the runner.
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { buildState, runBuild } from '~/server/build-check'
import { poolConfigFromUrl } from '~/utils/db.server'
import { parseResults, type BenchRow } from './result'
import { postgresServerUrl } from './support'

interface Scenario {
  name: string
  file: string
  /** Longest this scenario may run, in seconds. */
  budgetS: number
  about: string
}

export const SCENARIOS: Scenario[] = [
  { name: 'lesson', file: 'bench/lesson.ts', budgetS: 150, about: 'lesson page req/s and p50/p95/p99 vs nginx and a bare Remix route; server RSS (PostgreSQL, PGlite)' },
  { name: 'report', file: 'bench/report.ts', budgetS: 240, about: 'report loader vs raw SQL on the province-scale data set (issue 8)' },
  { name: 'mdx', file: 'bench/mdx.ts', budgetS: 90, about: 'MDX cold compile of the whole tree; compiles per request after warm-up' },
  { name: 'sign-in', file: 'bench/sign-in.ts', budgetS: 150, about: 'sign-ins/s and CPU per sign-in vs raw Argon2id; signed-in and anonymous lesson p95 during a sign-in flood' },
  { name: 'processes', file: 'bench/processes.ts', budgetS: 150, about: 'signed-in lesson req/s and sign-ins/s, two server processes on one PostgreSQL vs one (issue 21)' },
  { name: 'uploads', file: 'bench/uploads.ts', budgetS: 120, about: 'lesson p95 while decompression bombs and 10,000-row rosters are uploaded; server RSS (issue 23)' },
  { name: 'page-weight', file: 'bench/page-weight.ts', budgetS: 150, about: 'compressed HTML/CSS/JS per page type in Chromium vs the budget' },
]

/** The whole run stays under 10 minutes: a scenario gets what is left, at most its own budget. */
const TOTAL_BUDGET_S = 570

interface Outcome {
  scenario: Scenario
  status: 'ok' | 'not available' | 'failed' | 'timed out'
  seconds: number
  rows: BenchRow[]
  detail?: string
}

function runScenario(scenario: Scenario, timeoutS: number): Promise<Outcome> {
  const started = Date.now()
  return new Promise((resolve) => {
    // Its own process group, so a time-out also ends the servers and nginx it started.
    const child = spawn(process.execPath, ['--import', 'tsx', scenario.file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let pending = ''
    let stderrTail = ''
    const prefix = `[${scenario.name}] `
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) if (!line.startsWith('BENCH_RESULT ')) process.stdout.write(prefix + line + '\n')
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString()).slice(-2000)
      process.stderr.write(chunk.toString().replace(/^(?=.)/gm, prefix))
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGTERM')
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL')
          } catch {
            // gone
          }
        }, 10_000).unref()
      } catch {
        // gone
      }
    }, timeoutS * 1000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      const seconds = Math.round((Date.now() - started) / 1000)
      let rows: BenchRow[] | null = null
      try {
        rows = parseResults(stdout)
      } catch {
        rows = null
      }
      if (timedOut) resolve({ scenario, status: 'timed out', seconds, rows: rows ?? [], detail: `stopped after ${timeoutS} s` })
      else if (rows === null) resolve({ scenario, status: 'failed', seconds, rows: [], detail: `exit code ${code}, no BENCH_RESULT line: ${stderrTail.trim().split('\n').slice(-3).join(' / ')}` })
      else resolve({ scenario, status: code === 0 ? 'ok' : 'failed', seconds, rows, detail: code === 0 ? undefined : `exit code ${code}` })
    })
  })
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ ...poolConfigFromUrl(postgresServerUrl()), database: 'postgres', connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version')
    return rows[0]?.server_version ?? 'unknown'
  } catch (error) {
    return `unreachable (${(error as Error).message})`
  } finally {
    await client.end().catch(() => undefined)
  }
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== ''
    return dirty ? `${sha} (with uncommitted changes)` : sha
  } catch {
    return 'unknown (not a git checkout)'
  }
}

const fmt = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : String(n))

function table(outcomes: Outcome[]): string {
  const lines = ['| scenario | metric | product | anchor | unit | ratio | target | met | note |', '| --- | --- | ---: | ---: | --- | ---: | --- | --- | --- |']
  for (const o of outcomes) {
    if (o.rows.length === 0) {
      lines.push(`| ${o.scenario.name} | ${o.scenario.about} | — | — | — | — | — | ${o.status} | ${o.detail ?? ''} |`)
      continue
    }
    for (const r of o.rows) {
      const met = r.pass === null ? '—' : r.pass ? 'yes' : '**NO**'
      const note = [r.note, o.status !== 'ok' ? `scenario ${o.status}: ${o.detail ?? ''}` : ''].filter(Boolean).join('; ')
      lines.push(`| ${r.scenario} | ${r.metric} | ${fmt(r.product)} | ${fmt(r.anchor)} | ${r.unit} | ${fmt(r.ratio)} | ${r.target ?? '—'} | ${met} | ${note.replace(/\|/g, '/')} |`)
    }
  }
  return lines.join('\n')
}

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const unknown = only.filter((name) => !SCENARIOS.some((s) => s.name === name))
  if (unknown.length) {
    console.error(`Không có kịch bản: ${unknown.join(', ')}. Có: ${SCENARIOS.map((s) => s.name).join(', ')}`)
    process.exit(2)
  }
  const chosen = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS
  const started = Date.now()

  const state = buildState(process.cwd())
  if (state !== 'fresh') {
    console.log(state === 'missing' ? '[bench] chưa có bản build, đang build…' : '[bench] mã nguồn đã đổi, đang build lại…')
    runBuild(process.cwd())
  }

  const cpus = os.cpus()
  const machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: await postgresVersion(),
    commit: gitCommit(),
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  }
  console.log(`[bench] ${machine.date}; ${machine.cpu}, ${machine.cores} lõi, ${machine.ramGiB} GiB; Node ${machine.node}; PostgreSQL ${machine.postgres}; commit ${machine.commit}; tải máy ${machine.load}`)

  const outcomes: Outcome[] = []
  for (const scenario of chosen) {
    if (!fs.existsSync(scenario.file)) {
      console.log(`[bench] ${scenario.name}: chưa có ${scenario.file} — báo là "not available".`)
      outcomes.push({ scenario, status: 'not available', seconds: 0, rows: [], detail: `${scenario.file} is not in this checkout yet` })
      continue
    }
    const left = TOTAL_BUDGET_S - (Date.now() - started) / 1000
    if (left < 15) {
      outcomes.push({ scenario, status: 'timed out', seconds: 0, rows: [], detail: 'no time left in the 10-minute budget' })
      continue
    }
    const timeout = Math.min(scenario.budgetS, Math.floor(left))
    console.log(`\n[bench] ${scenario.name} (tối đa ${timeout} s): ${scenario.about}`)
    const outcome = await runScenario(scenario, timeout)
    console.log(`[bench] ${scenario.name}: ${outcome.status} sau ${outcome.seconds} s${outcome.detail ? ` — ${outcome.detail}` : ''}`)
    outcomes.push(outcome)
  }

  const totalS = Math.round((Date.now() - started) / 1000)
  const markdown = table(outcomes)
  console.log(`\n${markdown}\n`)
  const missed = outcomes.flatMap((o) => o.rows.filter((r) => r.pass === false).map((r) => `${r.scenario}: ${r.metric} = ${r.product} ${r.unit} (ratio ${fmt(r.ratio)}, target ${r.target})`))
  const broken = outcomes.filter((o) => o.status === 'failed' || o.status === 'timed out')
  console.log(`[bench] ${totalS} s; ${outcomes.reduce((n, o) => n + o.rows.filter((r) => r.pass === true).length, 0)} mục tiêu đạt, ${missed.length} không đạt, ${broken.length} kịch bản lỗi.`)

  if (only.length === 0) {
    const doc = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); the latest run replaces this file. Every figure is the
product measured against an anchor in the same run on the same machine (these machines are shared
and noisy: read the ratios, not the absolute numbers). What each scenario does: the header comment
of its script in \`bench/\`; why it is built this way: docs/decisions/011-benchmarks-and-reliability.md.

- Date: ${machine.date}
- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, load average at start ${machine.load}
- Node.js ${machine.node}, PostgreSQL ${machine.postgres}
- Commit: ${machine.commit}
- Whole run: ${totalS} s

${markdown}

${missed.length ? `Targets missed:\n\n${missed.map((m) => `- ${m}`).join('\n')}\n` : 'Every target with a figure was met.\n'}${broken.length ? `\nScenarios that did not finish: ${broken.map((o) => `${o.scenario.name} (${o.status}: ${o.detail ?? ''})`).join('; ')}\n` : ''}`
    fs.writeFileSync(path.join('bench', 'RESULTS.md'), doc)
    console.log('[bench] đã ghi bench/RESULTS.md')
  }
  // Missed targets are results, not errors; a scenario that broke is an error of the run.
  process.exit(broken.length > 0 ? 1 : 0)
}

await main()
