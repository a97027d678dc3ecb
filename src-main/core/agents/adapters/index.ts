// The adapters by name. Claude is the default agent.
import { claudeAdapter } from './claude'
import { codexAdapter } from './codex'
import { geminiAdapter } from './gemini'
import type { AgentAdapter, AgentName } from './types'

const ADAPTERS: Record<AgentName, AgentAdapter | undefined> = { claude: claudeAdapter, codex: codexAdapter, gemini: geminiAdapter }

export function adapterFor(name: AgentName | undefined): AgentAdapter {
  const a = ADAPTERS[name ?? 'claude']
  if (!a) throw new Error(`no adapter for agent '${name}'`)
  return a
}
