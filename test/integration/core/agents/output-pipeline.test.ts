// The output pipeline against a real SQLite file: batched transactions, per-task event batches,
// and backpressure that keeps memory bounded under a 50 MB flood from a real child process.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv } from '../../../../src-main/core/agents/adapters/claude'
import { OutputPipeline } from '../../../../src-main/core/agents/output-pipeline'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository, type OutputLine } from '../../../../src-main/core/store/output-repository'
import { FAKE_CLAUDE, fakeEnv } from '../../../fixtures/fake-claude'
import { tempDir } from './helpers'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function store(): Promise<{ s: Store; repo: OutputRepository }> {
  const dir = await tempDir('makima-pipeline-')
  const s = await openStore({ path: join(dir, 'daemon.db') })
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => s.close())
  return { s, repo: new OutputRepository(s.db) }
}

describe('OutputPipeline', () => {
  it('persists an agent\'s lines in order with their kinds, plus our notices, and reports batches per task', async () => {
    const { repo } = await store()
    const batches: [string, OutputLine[]][] = []
    const pipeline = new OutputPipeline({ repo, onBatch: (t, l) => batches.push([t, l]) })
    const cwd = await tempDir()
    const agent = new AgentProcess({ ...buildClaudeArgv({ command: FAKE_CLAUDE }), cwd, env: fakeEnv('ok') })
    pipeline.push('t1', { kind: 'notice', text: 'Claude Code 2.1.331 ready' })
    const detach = pipeline.attach('t1', agent)
    agent.send('hello')
    await agent.exited
    await pipeline.flush()
    detach()
    const rows = repo.page('t1')
    expect(rows.map((r) => r.kind)).toEqual(['notice', 'system', 'assistant', 'result'])
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4])
    expect(JSON.parse(rows[2]!.data).message.content[0].text).toBe('echo: hello')
    expect(batches.flatMap(([, l]) => l.map((x) => x.seq))).toEqual([1, 2, 3, 4])
    expect(batches.every(([t]) => t === 't1')).toBe(true)
    await pipeline.dispose()
    await rm(cwd, { recursive: true, force: true })
  })

  it("hands on the source's events with a line only when redaction left its text as read", async () => {
    const { repo } = await store()
    const batches: (OutputLine & { parsed?: readonly unknown[] })[] = []
    const pipeline = new OutputPipeline({ repo, redact: (t) => t.replace('sk-ant-secret', '[REDACTED]'), onBatch: (_t, l) => batches.push(...l) })
    let emit: ((line: { kind: string; text: string }, events?: never[]) => void) | undefined
    const source = { on: (_e: 'line', fn: typeof emit) => ((emit = fn), () => undefined), pauseOutput: () => undefined, resumeOutput: () => undefined }
    pipeline.attach('t', source as never)
    const ev = [{ kind: 'text', text: 'hi' }] as never[]
    emit!({ kind: 'assistant', text: '{"said":"hi"}' }, ev)
    emit!({ kind: 'assistant', text: '{"said":"sk-ant-secret"}' }, [{ kind: 'text', text: 'sk-ant-secret' }] as never[])
    await pipeline.flush()
    expect(batches.map((l) => [l.data, l.parsed ?? null])).toEqual([['{"said":"hi"}', ev], ['{"said":"[REDACTED]"}', null]])
    await pipeline.dispose()
  })

  it('writes at most batchLines per transaction and keeps tasks apart', async () => {
    const { repo } = await store()
    const sizes: number[] = []
    const pipeline = new OutputPipeline({ repo, onBatch: (_t, l) => sizes.push(l.length) })
    for (let i = 0; i < 2_500; i++) pipeline.push('a', { kind: 'text', text: `a${i}` })
    for (let i = 0; i < 10; i++) pipeline.push('b', { kind: 'text', text: `b${i}` })
    await pipeline.flush()
    expect(repo.count('a')).toBe(2_500)
    expect(repo.count('b')).toBe(10)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000)
    expect(pipeline.stats()).toMatchObject({ persistedLines: 2_510, pendingLines: 0, transactions: sizes.length })
    expect(repo.page('a', 2_498).map((r) => r.data)).toEqual(['a2498', 'a2499'])
  })

  it('redacts before storing and emitting', async () => {
    const { repo } = await store()
    const seen: string[] = []
    const pipeline = new OutputPipeline({ repo, redact: (t) => t.replaceAll('sk-secret', '[REDACTED]'), onBatch: (_t, l) => seen.push(...l.map((x) => x.data)) })
    pipeline.push('t', { kind: 'text', text: 'key sk-secret here' })
    await pipeline.flush()
    expect(repo.page('t')[0]!.data).toBe('key [REDACTED] here')
    expect(seen).toEqual(['key [REDACTED] here'])
  })

  it('reports a failing store and drops that batch instead of growing', async () => {
    const errors: number[] = []
    const pipeline = new OutputPipeline({ repo: { append: () => { throw new Error('disk full') } }, onError: (_t, _e, n) => errors.push(n) })
    pipeline.push('t', { kind: 'text', text: 'x' })
    await pipeline.flush()
    expect(errors).toEqual([1])
    expect(pipeline.stats()).toMatchObject({ pendingLines: 0, droppedLines: 1 })
  })

  it('on a retryable failure (a full disk) keeps the batch, pauses only that task\'s source, and stores it all on retry', async () => {
    const { repo } = await store()
    let full = true
    const failing = { append: (t: string, l: Parameters<OutputRepository['append']>[1]) => {
      if (full && t === 'a') throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
      return repo.append(t, l)
    } }
    const errors: [string, number][] = []
    const pipeline = new OutputPipeline({ repo: failing, onError: (t, _e, n) => errors.push([t, n]), isRetryable: (e) => (e as { code?: string }).code === 'SQLITE_FULL' })
    const calls: string[] = []
    const source = { on: () => () => undefined, pauseOutput: () => void calls.push('pause'), resumeOutput: () => void calls.push('resume') }
    pipeline.attach('a', source)
    for (let i = 0; i < 5; i++) pipeline.push('a', { kind: 'text', text: `a${i}` })
    pipeline.push('b', { kind: 'text', text: 'b0' })
    await pipeline.flush()
    expect(errors).toEqual([['a', 0]])
    expect(calls).toEqual(['pause'])
    expect(pipeline.isStalled('a')).toBe(true)
    expect(repo.page('b').map((l) => l.data)).toEqual(['b0'])
    expect(repo.page('a')).toEqual([])
    pipeline.push('a', { kind: 'text', text: 'a5' })
    await pipeline.flush() // waits for nothing stalled
    full = false
    pipeline.retry('a')
    await pipeline.flush()
    expect(calls).toEqual(['pause', 'resume'])
    expect(repo.page('a').map((l) => l.data)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5'])
    expect(pipeline.stats()).toMatchObject({ pendingLines: 0, droppedLines: 0 })
  })

  async function flood(backpressure: boolean) {
    const { repo } = await store()
    const highWaterBytes = 2 * 1024 * 1024
    const pipeline = new OutputPipeline({ repo, highWaterBytes, highWaterLines: 50_000, backpressure })
    const cwd = await tempDir()
    cleanups.push(() => rm(cwd, { recursive: true, force: true }))
    // 50 MB of short plain lines: one pipe read holds thousands of them, more than one transaction
    // stores, so without backpressure the queue grows with every read.
    const agent = new AgentProcess({
      ...buildClaudeArgv({ command: FAKE_CLAUDE }), cwd,
      env: fakeEnv('flood', { FAKE_CLAUDE_FLOOD_BYTES: String(50 * 1024 * 1024), FAKE_CLAUDE_FLOOD_FORMAT: 'text', FAKE_CLAUDE_LINE_BYTES: '40' }),
    })
    pipeline.attach('flood', agent)
    const exit = await agent.exited
    await pipeline.flush()
    await pipeline.dispose()
    return { exit, stats: pipeline.stats(), highWaterBytes, rows: repo.count('flood') }
  }

  // What the queue holds is counted exactly; the heap growth that follows from it depends on the
  // garbage collector, so it is measured by `npm run bench -- agent-output` (memory with and
  // without backpressure), not asserted here.
  it('keeps the queue bounded under a 50 MB flood (and the same flood without backpressure does not)', async () => {
    const on = await flood(true)
    const off = await flood(false)
    expect(on.exit.code).toBe(0)
    // Every line arrived and was stored: init + 1.3M text lines + result.
    expect(on.rows).toBe(off.rows)
    expect(on.rows).toBeGreaterThan(1_300_000)
    // Unpersisted data never exceeded the mark by more than what one pipe read delivers.
    expect(on.stats.maxPendingLines).toBeLessThan(50_000 + 5_000)
    expect(on.stats.backpressurePauses).toBeGreaterThan(0)
    // The control: reading freely lets the queue run far past the mark.
    expect(off.stats.maxPendingLines).toBeGreaterThan(4 * 50_000)
    expect(on.stats.maxPendingBytes).toBeLessThan(off.stats.maxPendingBytes / 4)
  }, 60_000)
})
