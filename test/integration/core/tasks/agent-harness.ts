// A task manager whose tasks may run Codex or Gemini (the real CLIs) beside Claude, each against its
// scripted model server; every common event each run produced is kept per task, to compare agents.
import { join } from 'node:path'
import type { AgentEvent, AgentName } from '../../../../src-main/core/agents/adapters/types'
import { adapterFor } from '../../../../src-main/core/agents/adapters'
import { AgentPorts, ClaudeAgentPort, CliAgentPort } from '../../../../src-main/core/tasks/agent-port'
import type { AgentPort, AuthPort } from '../../../../src-main/core/tasks/ports'
import { CLAUDE_BIN } from '../../../fixtures/claude-env'
import type { AgentEnv } from '../../../fixtures/codex-env'
import { makeHarness, type Harness } from './harness'

export interface AgentHarness extends Harness {
  /** Common events per task, in order, over all its runs. */
  agentEvents(taskId: string): AgentEvent[]
}

export async function agentHarness(o: { agent: AgentName; bin: string; env: AgentEnv; auth?: AuthPort; sandbox?: boolean }): Promise<AgentHarness> {
  const seen = new Map<string, AgentEvent[]>()
  const recording = (port: AgentPort): AgentPort => ({
    checkVersion: (a) => port.checkVersion(a),
    launch: (spec, onLine) =>
      port.launch(spec, (line, events) => {
        seen.set(spec.taskId, [...(seen.get(spec.taskId) ?? []), ...events])
        onLine(line, events)
      }),
  })
  // The agent's HOME holds its config; its keys and base URL come in through extraEnv.
  const { HOME: _home, PATH: _path, ...extraEnv } = o.env.env
  const h = await makeHarness({
    home: o.env.home,
    extraEnv,
    ...(o.auth ? { auth: o.auth } : {}),
    agents: ({ log, env }) =>
      recording(
        new AgentPorts({
          claude: new ClaudeAgentPort({ command: CLAUDE_BIN, output: log, versionEnv: env }),
          [o.agent]: new CliAgentPort(adapterFor(o.agent), {
            command: o.bin, output: log, versionEnv: env, killGraceMs: 2000,
            ...(o.sandbox ? { sandbox: { bwrapPath: '/usr/bin/bwrap', tmpRoot: join(o.env.home, 'agent-tmp') } } : {}),
          }),
        }),
      ),
  })
  return Object.assign(h, { agentEvents: (taskId: string) => seen.get(taskId) ?? [] })
}

/** The kinds in order, each once (what a transcript would show, by type). */
export const kindsOf = (events: AgentEvent[]): string[] => [...new Set(events.map((e) => e.kind))]
