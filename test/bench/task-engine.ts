// Task engine figures: spawn → first agent output and spawn → completed with the REAL Claude Code
// CLI against the scripted model (whole path: worktree, version check, agent, persistence), and
// lines persisted per second through the manager while the fake CLI floods its output.
import { ClaudeAgentPort } from '../../src-main/core/tasks/agent-port'
import { claudeAvailable } from '../fixtures/claude-env'
import { FAKE_CLAUDE, fakeEnv } from '../fixtures/fake-claude'
import { TempDirs, makeRepo } from '../fixtures/git/repos'
import { text } from '../fixtures/model-server'
import { completeOf, makeHarness, waitFor } from '../integration/core/tasks/harness'

const id = (n: number) => `88888888-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b)
  return { min: Math.round(s[0]!), median: Math.round(s[Math.floor(s.length / 2)]!), max: Math.round(s.at(-1)!) }
}

async function realCli(runs: number): Promise<Record<string, unknown>> {
  const dirs = new TempDirs()
  const h = await makeHarness({ scenario: { fallback: text('OK') } })
  try {
    const repo = makeRepo(dirs)
    const firstOutput: number[] = []
    const total: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      await h.manager.spawn({ taskId: id(i), taskName: `bench ${i}`, plan: 'Say OK', repoUrl: repo })
      await waitFor(() => completeOf(h.events, id(i)), { timeoutMs: 60_000 })
      total.push(performance.now() - t0)
      firstOutput.push(h.manager.timings(id(i))!.firstOutputMs!)
    }
    return { runs, spawnToFirstOutputMs: stats(firstOutput), spawnToCompletedMs: stats(total) }
  } finally {
    await h.close()
    dirs.cleanup()
  }
}

async function flood(bytes: number): Promise<Record<string, unknown>> {
  const h = await makeHarness({
    extraEnv: fakeEnv('flood', { FAKE_CLAUDE_FLOOD_BYTES: String(bytes), FAKE_CLAUDE_LINE_BYTES: '1000' }),
    agents: ({ log, env }) => new ClaudeAgentPort({ command: process.execPath, preArgs: [FAKE_CLAUDE], output: log, versionEnv: env }),
  })
  try {
    const rss0 = process.memoryUsage().rss
    let peak = rss0
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const t0 = performance.now()
    await h.manager.spawn({ taskId: id(999), taskName: 'flood', plan: 'flood' })
    await waitFor(() => completeOf(h.events, id(999)), { timeoutMs: 300_000 })
    const ms = performance.now() - t0
    clearInterval(sampler)
    const lines = h.output.count(id(999))
    const p = h.log.stats()
    return {
      bytes, lines, wallMs: Math.round(ms), linesPerSecondWall: Math.round(lines / (ms / 1000)),
      storeLinesPerSecond: p.linesPerSecond, transactions: p.transactions, backpressurePauses: p.backpressurePauses,
      peakRssDeltaMb: Math.round((peak - rss0) / (1024 * 1024)),
    }
  } finally {
    await h.close()
  }
}

export async function run(): Promise<Record<string, unknown>> {
  return {
    realCli: claudeAvailable() ? await realCli(5) : { skipped: 'Claude Code CLI not installed' },
    flood20MB: await flood(20 * 1024 * 1024),
  }
}
