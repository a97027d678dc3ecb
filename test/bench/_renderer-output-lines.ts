// A realistic, deterministic mix of Claude Code stream-json lines for the renderer benchmark:
// assistant text (some with fenced code and `inline code`), tool_use, tool_result (some errors,
// some long), and the odd result/stderr line — shaped like the real CLI's `--verbose` output.

export interface MixLine {
  kind: string
  data: string
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = 'the a module test function returns value when config store task output agent line batch renderer window frame because then we should check update file error path request event handler state'.split(' ')
const CODE = [
  'export function parseLine(line: OutputLine): OutputItem[] {',
  '  const { seq, kind, data } = line',
  "  if (kind === 'stderr') return [{ kind: 'stderr', seq, text: data }]",
  '  for (const [taskId, lines] of Object.entries(batch)) {',
  '    const merged = prev.lines.concat(fresh)',
  '  }',
  '  return items',
  '}',
  "import { describe, expect, it } from 'vitest'",
  "  it('keeps a bounded window', async () => {",
  '    expect(await page.locator(\'.out-row\').count()).toBeLessThan(200)',
  '  })',
]
const FILES = ['src-main/core/tasks/manager.ts', 'src-renderer/src/store/app-store.ts', 'test/unit/core/agents/classify.test.ts', 'src-main/core/git/run.ts', 'package.json']

export function makeMix(count: number, seed: number, endMarker: string): MixLine[] {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ')
  const code = (n: number) => Array.from({ length: n }, () => pick(CODE)).join('\n')
  const session = `sess-${seed}`
  const id = (p: string, i: number) => `${p}_${seed.toString(36)}${i.toString(36).padStart(8, '0')}`
  const usage = () => ({ input_tokens: 4, cache_creation_input_tokens: Math.floor(r() * 3000), cache_read_input_tokens: Math.floor(r() * 60000), output_tokens: Math.floor(r() * 800), service_tier: 'standard' })
  const assistant = (i: number, content: unknown[]) => ({
    kind: 'assistant',
    data: JSON.stringify({ type: 'assistant', message: { id: id('msg', i), type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: null, stop_sequence: null, usage: usage() }, parent_tool_use_id: null, session_id: session, uuid: id('uuid', i) }),
  })
  const text = () => {
    const parts = [`${words(8 + Math.floor(r() * 30))}, see \`${pick(FILES)}\`.`]
    if (r() < 0.4) parts.push('```ts\n' + code(5 + Math.floor(r() * 25)) + '\n```')
    if (r() < 0.5) parts.push(words(10 + Math.floor(r() * 40)) + '.')
    return parts.join('\n\n')
  }
  const toolUse = (i: number) => {
    const k = r()
    if (k < 0.4) return { type: 'tool_use', id: id('toolu', i), name: 'Bash', input: { command: `npx vitest run ${pick(FILES)}`, description: words(5) } }
    if (k < 0.7) return { type: 'tool_use', id: id('toolu', i), name: 'Read', input: { file_path: `/wt/${pick(FILES)}` } }
    if (k < 0.9) return { type: 'tool_use', id: id('toolu', i), name: 'Edit', input: { file_path: `/wt/${pick(FILES)}`, old_string: code(3), new_string: code(4) } }
    return { type: 'tool_use', id: id('toolu', i), name: 'Grep', input: { pattern: pick(WORDS), path: '/wt/src' } }
  }
  const out: MixLine[] = []
  for (let i = 0; i < count - 1; i++) {
    const k = r()
    if (k < 0.33) out.push(assistant(i, [{ type: 'text', text: text() }]))
    else if (k < 0.45) out.push(assistant(i, [{ type: 'text', text: words(12) + '.' }, toolUse(i)]))
    else if (k < 0.7) out.push(assistant(i, [toolUse(i)]))
    else if (k < 0.97) {
      const long = r() < 0.15
      const content = Array.from({ length: long ? 80 + Math.floor(r() * 300) : 1 + Math.floor(r() * 20) }, (_, n) => `${String(n + 1).padStart(5)}→${pick(CODE)}`).join('\n')
      const isError = r() < 0.05
      out.push({
        kind: 'user',
        data: JSON.stringify({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id('toolu', i - 1), type: 'tool_result', content: isError ? `Error: ${words(6)}` : content, is_error: isError }] }, parent_tool_use_id: null, session_id: session, uuid: id('uuid', i) }),
      })
    } else if (k < 0.985) out.push({ kind: 'stderr', data: `warning: ${words(6)}` })
    else out.push(result(session, `Turn ${i} finished: ${words(6)}.`, r))
  }
  out.push(result(session, endMarker, r))
  return out
}

function result(session: string, text: string, r: () => number): MixLine {
  return {
    kind: 'result',
    data: JSON.stringify({ type: 'result', subtype: 'success', is_error: false, duration_ms: Math.floor(r() * 90000), duration_api_ms: Math.floor(r() * 80000), num_turns: Math.floor(r() * 40), result: text, session_id: session, total_cost_usd: r(), usage: { input_tokens: 10, output_tokens: 900 } }),
  }
}
