// The makima CLI's commands: `supervisor …`, `contract …` and `orchestrate …` (the last behind
// .makima/orchestrate.sh). Flags and outputs follow the original (makima-upstream §7): JSON on
// stdout, a message on stderr and exit 1 on failure.
import { commaList, secondsArg, UsageError, type FlagSpec, type ParsedArgs } from './args'
import { enc, type ApiClient } from './client'

export type Output = { kind: 'json'; value: unknown } | { kind: 'text'; text: string }

export class CliFailure extends Error {}

export interface CommandContext {
  api: ApiClient
  args: ParsedArgs
  readStdin(): Promise<string>
  /** Waits between retries (tests shorten it). */
  sleep(ms: number): Promise<void>
}

export interface Command {
  usage: string
  flags?: FlagSpec
  /** Positional arguments: at least min, at most max. */
  min: number
  max: number
  run(ctx: CommandContext): Promise<Output>
}

/** A long-poll may hold a request this long; the CLI then asks again. */
const POLL_CHUNK_S = 25

const json = (value: unknown): Output => ({ kind: 'json', value })

async function call(ctx: CommandContext, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  const r = await ctx.api.request(method, path, body)
  if (!r.ok) throw new CliFailure(r.message)
  return r.value
}

function contractPath(ctx: CommandContext, rest = ''): string {
  const id = ctx.api.contractId
  if (!id) throw new CliFailure('MAKIMA_CONTRACT_ID is not set: this task is not part of a contract')
  return `api/v1/contracts/${enc(id)}${rest}`
}

const pos = (ctx: CommandContext, i: number) => ctx.args.positionals[i]!
const get = (ctx: CommandContext, path: string) => async () => json(await call(ctx, 'GET', path))

/** Polls a long-poll endpoint until `settled(value)` or the deadline; connection errors are retried. */
async function pollUntil(
  ctx: CommandContext, deadline: number, retryMs: number, path: (chunkS: number) => string, settled: (v: Record<string, unknown>) => boolean,
): Promise<{ value: Record<string, unknown>; settled: boolean }> {
  let last: Record<string, unknown> | null = null
  let lastError = ''
  for (;;) {
    const left = Math.max(0, (deadline - Date.now()) / 1000)
    const r = await ctx.api.request('GET', path(Math.min(POLL_CHUNK_S, Math.ceil(left))), undefined, (POLL_CHUNK_S + 30) * 1000)
    if (r.ok) {
      last = r.value as Record<string, unknown>
      if (settled(last)) return { value: last, settled: true }
    } else if (r.status !== null) {
      throw new CliFailure(r.message)
    } else lastError = r.message
    if (Date.now() >= deadline) {
      if (last) return { value: last, settled: false }
      throw new CliFailure(lastError || 'timed out')
    }
    if (!r.ok) await ctx.sleep(retryMs)
  }
}

const SUPERVISOR: Record<string, Command> = {
  spawn: {
    usage: 'spawn "name" "plan" [--parent <task_id>] [--checkpoint <sha>] [--repo <url>] [--agent claude|codex|gemini|opencode|<custom agent>]', min: 2, max: 2,
    flags: { values: ['parent', 'checkpoint', 'repo', 'agent'] },
    run: async (ctx) => {
      const f = ctx.args.flags
      return json(await call(ctx, 'POST', contractPath(ctx, '/tasks'), {
        name: pos(ctx, 0), plan: pos(ctx, 1), parentTaskId: f.get('parent'), checkpointSha: f.get('checkpoint'), repoUrl: f.get('repo'), agent: f.get('agent'),
      }))
    },
  },
  wait: {
    usage: 'wait <task_id> [timeout_seconds] [--poll-interval <s>]', min: 1, max: 2, flags: { values: ['poll-interval'] },
    run: async (ctx) => {
      const timeout = secondsArg(ctx.args.positionals[1], 'timeout', 300)
      const interval = secondsArg(ctx.args.flags.get('poll-interval'), '--poll-interval', 5)
      const id = enc(pos(ctx, 0))
      const r = await pollUntil(ctx, Date.now() + timeout * 1000, Math.max(100, interval * 1000), (s) => `api/v1/mesh/tasks/${id}/wait?timeout=${s}`, (v) => v.isTerminal === true)
      return json({ ...r.value, timedOut: !r.settled })
    },
  },
  tasks: { usage: 'tasks', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx, '/tasks'))() },
  tree: { usage: 'tree', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx, '/tree'))() },
  task: { usage: 'task <task_id>', min: 1, max: 1, run: (ctx) => get(ctx, `api/v1/mesh/tasks/${enc(pos(ctx, 0))}`)() },
  output: { usage: 'output <task_id>', min: 1, max: 1, run: (ctx) => get(ctx, `api/v1/mesh/tasks/${enc(pos(ctx, 0))}/output`)() },
  diff: { usage: 'diff <task_id>', min: 1, max: 1, run: (ctx) => get(ctx, `api/v1/mesh/tasks/${enc(pos(ctx, 0))}/diff`)() },
  'read-file': {
    usage: 'read-file <task_id> <path>', min: 2, max: 2,
    run: (ctx) => get(ctx, `api/v1/mesh/tasks/${enc(pos(ctx, 0))}/file?path=${enc(pos(ctx, 1))}`)(),
  },
  branch: {
    usage: 'branch "name" [--from <task_id_or_sha>]', min: 1, max: 1, flags: { values: ['from'] },
    run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/branches'), { name: pos(ctx, 0), from: ctx.args.flags.get('from') })),
  },
  merge: {
    usage: 'merge <task_id> [--to <branch>] [--squash]', min: 1, max: 1, flags: { values: ['to'], switches: ['squash'] },
    run: async (ctx) =>
      json(await call(ctx, 'POST', contractPath(ctx, '/merges'), { taskId: pos(ctx, 0), to: ctx.args.flags.get('to'), squash: ctx.args.switches.has('squash') })),
  },
  pr: {
    usage: 'pr "branch" --title "Title" [--body "Body"] [--base main]', min: 1, max: 1, flags: { values: ['title', 'body', 'base'] },
    run: async (ctx) => {
      const f = ctx.args.flags
      const title = f.get('title')
      if (!title) throw new UsageError('--title is required')
      return json(await call(ctx, 'POST', contractPath(ctx, '/pull-requests'), { branch: pos(ctx, 0), title, body: f.get('body'), base: f.get('base') }))
    },
  },
  checkpoint: {
    usage: 'checkpoint "message"', min: 1, max: 1,
    run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/checkpoints'), { message: pos(ctx, 0) })),
  },
  checkpoints: {
    usage: 'checkpoints [task_id]', min: 0, max: 1,
    run: (ctx) => {
      const id = ctx.args.positionals[0] ?? ctx.api.taskId
      if (!id) throw new CliFailure('MAKIMA_TASK_ID is not set; name the task: checkpoints <task_id>')
      return get(ctx, `api/v1/mesh/tasks/${enc(id)}/checkpoints`)()
    },
  },
  status: { usage: 'status', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx))() },
  'advance-phase': {
    usage: 'advance-phase <specify|plan|execute|review>', min: 1, max: 1,
    run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/phase'), { phase: pos(ctx, 0) })),
  },
  complete: { usage: 'complete', min: 0, max: 0, run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/complete'), {})) },
  ask: {
    usage: 'ask "question" [--choices "A,B"] [--context "…"] [--timeout <s>]', min: 1, max: 1, flags: { values: ['choices', 'context', 'timeout'] },
    run: async (ctx) => {
      const f = ctx.args.flags
      const timeout = Math.max(1, Math.round(secondsArg(f.get('timeout'), '--timeout', 3600)))
      const asked = (await call(ctx, 'POST', contractPath(ctx, '/questions'), {
        question: pos(ctx, 0), choices: commaList(f.get('choices')), context: f.get('context'), timeoutSeconds: timeout,
      })) as Record<string, unknown>
      if (asked.status !== 'pending') return json(asked)
      // The server times the question out itself; the margin only covers clock and network slack.
      const id = enc(String(asked.questionId))
      const r = await pollUntil(ctx, Date.now() + (timeout + 30) * 1000, 1000, (s) => `api/v1/questions/${id}?wait=${s}`, (v) => v.status !== 'pending')
      return json(r.value)
    },
  },
}

const CONTRACT: Record<string, Command> = {
  status: { usage: 'status', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx))() },
  checklist: { usage: 'checklist', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx, '/checklist'))() },
  files: { usage: 'files', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx, '/files'))() },
  file: { usage: 'file <file_id>', min: 1, max: 1, run: (ctx) => get(ctx, contractPath(ctx, `/files/${enc(pos(ctx, 0))}`))() },
  report: { usage: 'report "text"', min: 1, max: 1, run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/reports'), { text: pos(ctx, 0) })) },
  'create-file': {
    usage: 'create-file "name"   (content on stdin)', min: 1, max: 1,
    run: async (ctx) => json(await call(ctx, 'POST', contractPath(ctx, '/files'), { name: pos(ctx, 0), content: await ctx.readStdin() })),
  },
  'update-file': {
    usage: 'update-file <file_id>   (content on stdin)', min: 1, max: 1,
    run: async (ctx) => json(await call(ctx, 'PUT', contractPath(ctx, `/files/${enc(pos(ctx, 0))}`), { content: await ctx.readStdin() })),
  },
  'suggest-action': { usage: 'suggest-action', min: 0, max: 0, run: (ctx) => get(ctx, contractPath(ctx, '/suggest-action'))() },
  'completion-action': {
    usage: 'completion-action [--files "a,b"] [--code]', min: 0, max: 0, flags: { values: ['files'], switches: ['code'] },
    run: async (ctx) =>
      json(await call(ctx, 'POST', contractPath(ctx, '/completion-action'), { files: commaList(ctx.args.flags.get('files')) ?? [], code: ctx.args.switches.has('code') })),
  },
}

const SUB = 'api/v1/orchestrator/subtasks'
const ORCHESTRATE: Record<string, Command> = {
  list: { usage: 'list', min: 0, max: 0, run: (ctx) => get(ctx, SUB)() },
  create: {
    usage: 'create "Name" "Plan" [--continue-from <task_id>] [--files "a,b"]', min: 2, max: 2, flags: { values: ['continue-from', 'files'] },
    run: async (ctx) => {
      const f = ctx.args.flags
      const r = (await call(ctx, 'POST', SUB, { name: pos(ctx, 0), plan: pos(ctx, 1), continueFrom: f.get('continue-from'), files: commaList(f.get('files')) })) as { taskId: string }
      // The prompt uses the printed id directly: ID=$(./.makima/orchestrate.sh create …)
      return { kind: 'text', text: r.taskId }
    },
  },
  start: { usage: 'start <task_id>', min: 1, max: 1, run: async (ctx) => json(await call(ctx, 'POST', `${SUB}/${enc(pos(ctx, 0))}/start`, {})) },
  stop: { usage: 'stop <task_id>', min: 1, max: 1, run: async (ctx) => json(await call(ctx, 'POST', `${SUB}/${enc(pos(ctx, 0))}/stop`, {})) },
  status: { usage: 'status <task_id>', min: 1, max: 1, run: (ctx) => get(ctx, `${SUB}/${enc(pos(ctx, 0))}`)() },
  output: { usage: 'output <task_id>', min: 1, max: 1, run: (ctx) => get(ctx, `${SUB}/${enc(pos(ctx, 0))}/output`)() },
  worktree: {
    usage: 'worktree <task_id>', min: 1, max: 1,
    run: async (ctx) => ({ kind: 'text', text: ((await call(ctx, 'GET', `${SUB}/${enc(pos(ctx, 0))}/worktree`)) as { worktreePath: string }).worktreePath }),
  },
  done: { usage: 'done "summary"', min: 1, max: 1, run: async (ctx) => json(await call(ctx, 'POST', 'api/v1/orchestrator/done', { summary: pos(ctx, 0) })) },
}

export const GROUPS: Record<string, Record<string, Command>> = { supervisor: SUPERVISOR, contract: CONTRACT, orchestrate: ORCHESTRATE }
