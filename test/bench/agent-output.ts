// Agent output path: spawn → first output (fake CLI, and the real CLI against the scripted model),
// and a 50 MB flood through AgentProcess → OutputPipeline → SQLite (lines persisted per second,
// end-to-end throughput, how far the queue and memory grew).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AgentProcess } from '../../src-main/core/agents/agent-process'
import { buildClaudeArgv, claudeAgentEnv } from '../../src-main/core/agents/adapters/claude'
import { OutputPipeline } from '../../src-main/core/agents/output-pipeline'
import { openStore } from '../../src-main/core/store/db'
import { OutputRepository } from '../../src-main/core/store/output-repository'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../fixtures/claude-env'
import { FAKE_CLAUDE, fakeEnv } from '../fixtures/fake-claude'
import { startModelServer, text } from '../fixtures/model-server'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function firstOutput(command: string, env: Record<string, string>, cwd: string): Promise<{ firstOutputMs: number; resultMs: number }> {
  const agent = new AgentProcess({ ...buildClaudeArgv({ command }), cwd, env })
  let resultAt = 0
  agent.on('result', () => (resultAt = Date.now()))
  agent.send('hello')
  await agent.exited
  const t = agent.timings()
  return { firstOutputMs: t.firstOutputMs ?? -1, resultMs: resultAt - t.spawnedAt }
}

async function flood(dir: string, format: 'json' | 'text', backpressure = true): Promise<Record<string, number>> {
  const store = await openStore({ path: join(dir, `${format}-${backpressure}.db`) })
  try {
    const pipeline = new OutputPipeline({ repo: new OutputRepository(store.db), backpressure })
    const lineBytes = format === 'json' ? 1000 : 40
    const env = fakeEnv('flood', { FAKE_CLAUDE_FLOOD_BYTES: String(50 * 1024 * 1024), FAKE_CLAUDE_FLOOD_FORMAT: format, FAKE_CLAUDE_LINE_BYTES: String(lineBytes) })
    const mem = () => {
      const m = process.memoryUsage()
      return m.heapUsed + m.external + m.arrayBuffers
    }
    const base = mem()
    let peak = 0
    let n = 0
    const started = performance.now()
    const agent = new AgentProcess({ ...buildClaudeArgv({ command: FAKE_CLAUDE }), cwd: dir, env })
    pipeline.attach('bench', agent)
    agent.on('line', () => {
      if (n++ % 2000 === 0) peak = Math.max(peak, mem() - base)
    })
    await agent.exited
    await pipeline.flush()
    const wallMs = performance.now() - started
    const s = pipeline.stats()
    await pipeline.dispose()
    return {
      lineBytes,
      lines: s.persistedLines,
      storeLinesPerSecond: s.linesPerSecond,
      endToEndLinesPerSecond: Math.round(s.persistedLines / (wallMs / 1000)),
      endToEndMBPerSecond: Math.round((s.persistedBytes / 1048576 / (wallMs / 1000)) * 10) / 10,
      transactions: s.transactions,
      maxPendingLines: s.maxPendingLines,
      maxPendingMB: Math.round((s.maxPendingBytes / 1048576) * 10) / 10,
      backpressurePauses: s.backpressurePauses,
      peakMemoryGrowthMB: Math.round(peak / 1048576),
    }
  } finally {
    store.close()
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'makima-bench-agent-'))
  try {
    const fake: number[] = []
    for (let i = 0; i < 5; i++) fake.push((await firstOutput(FAKE_CLAUDE, fakeEnv('ok'), dir)).firstOutputMs)
    let real: Record<string, number> | { skipped: string } = { skipped: 'node_modules/.bin/claude not installed' }
    if (claudeAvailable()) {
      const model = await startModelServer({ respond: () => text('OK') })
      const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-bench' })
      try {
        const first: number[] = []
        const result: number[] = []
        for (let i = 0; i < 3; i++) {
          const r = await firstOutput(CLAUDE_BIN, claudeAgentEnv(env.env, {}).env, dir)
          first.push(r.firstOutputMs)
          result.push(r.resultMs)
        }
        real = { firstOutputMsMedian: median(first), resultMsMedian: median(result), samples: first.length }
      } finally {
        await model.close()
        await env.cleanup()
      }
    }
    return {
      spawnToFirstOutput: { fakeCliMsMedian: median(fake), samples: fake.length, realCli: real },
      // The memory figures moved here from output-pipeline.test.ts (GC-dependent): the control run
      // reads the same flood without backpressure.
      flood50MB: { jsonLines: await flood(dir, 'json'), shortTextLines: await flood(dir, 'text'), shortTextLinesWithoutBackpressure: await flood(dir, 'text', false) },
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
