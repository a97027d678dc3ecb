// The transcript is the same conversation whichever agent runs (real Chromium → real core → the REAL
// Claude Code, Codex, Gemini and OpenCode CLIs, each against its scripted model): the plan and a follow-up as
// user turns, the agent's text, its tool calls, their results, the files it changed, and one result
// per turn with its usage. The renderer reads only the core's common events, never a CLI's JSON.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { CODEX_BIN, codexAvailable, codexEnv, type AgentEnv } from '../../fixtures/codex-env'
import { gcall, gsay, startGeminiServer, type GeminiServer } from '../../fixtures/gemini-server'
import { GEMINI_BIN, geminiAvailable, geminiEnv } from '../../fixtures/gemini-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'
import { call, say, startResponsesServer, type ResponsesServer } from '../../fixtures/openai-responses-server'
import { OPENCODE_BIN, opencodeAvailable, opencodeEnv, opencodeScenario } from '../../fixtures/opencode-env'

const dirs = new TempDirs()
let app: AgentApp | undefined
let page: Page
let openai: ResponsesServer | undefined
let gemini: GeminiServer | undefined
let codex: AgentEnv | undefined
let gem: AgentEnv | undefined
let oc: AgentEnv | undefined
let ocModel: ResponsesServer | undefined

const ready = hasChromium && claudeAvailable() && codexAvailable() && geminiAvailable() && opencodeAvailable()
/** The turn types of a conversation with one tool call that writes a file. */
const TURN_TYPES = ['session', 'user-turn', 'assistant-text', 'tool-call', 'tool-result', 'file-change', 'turn-result']
const PATCH = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: codex.txt\n+from codex\n*** End Patch\nEOF"

beforeAll(async () => {
  if (!ready) return
  openai = await startResponsesServer({ turns: [call('exec_command', { cmd: 'ls' }), call('exec_command', { cmd: PATCH }), say('Codex wrote codex.txt, ZEBRA.'), say('Codex again, OKAPI.')] })
  gemini = await startGeminiServer({ turns: [gcall('write_file', { file_path: 'gemini.txt', content: 'from gemini' }), gsay('Gemini wrote gemini.txt, ZEBRA.'), gsay('Gemini again, OKAPI.')] })
  codex = await codexEnv({ baseUrl: openai.url })
  gem = await geminiEnv({ baseUrl: gemini.url, home: codex.home })
  ocModel = await startResponsesServer(opencodeScenario([call('apply_patch', { patchText: '*** Begin Patch\n*** Add File: opencode.txt\n+from opencode\n*** End Patch' }), say('OpenCode wrote opencode.txt, ZEBRA.'), say('OpenCode again, OKAPI.')]))
  // OpenCode's config sits in the shared HOME too; its key is the Codex one (both speak the Responses API).
  oc = await opencodeEnv({ baseUrl: ocModel.url, home: codex.home })
  app = await startAgentApp({
    model: { turns: [toolUse('Write', { file_path: 'claude.txt', content: 'from claude' }), text('Claude wrote claude.txt, ZEBRA.'), text('Claude again, OKAPI.')] },
    claude: { apiKey: 'sk-test-e2e', home: codex.home, extra: { ...pick(codex.env, 'OPENAI_API_KEY'), ...pick(gem.env, 'GEMINI_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'GEMINI_CLI_TRUST_WORKSPACE'), ...pick(oc.env, 'OPENCODE_DISABLE_MODELS_FETCH', 'OPENCODE_DISABLE_AUTOUPDATE') } },
    env: { MAKIMA_DAEMON_AGENT_CODEX_COMMAND: CODEX_BIN, MAKIMA_DAEMON_AGENT_GEMINI_COMMAND: GEMINI_BIN, MAKIMA_DAEMON_AGENT_OPENCODE_COMMAND: OPENCODE_BIN },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  await openai?.close()
  await gemini?.close()
  await ocModel?.close()
  await codex?.cleanup()
  dirs.cleanup()
})

function pick(env: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, env[k]!]))
}

/** Runs a task on `agent` with a follow-up; answers which turn types the transcript shows. */
async function conversation(agent: 'claude' | 'codex' | 'gemini' | 'opencode', label: string): Promise<string[]> {
  await createTaskInUi(page, { name: `Talk ${agent}`, plan: `Write ${agent}.txt please.`, repo: makeRepo(dirs), agent })
  const out = page.locator('[data-testid="output"]')
  // The new task's own view first: until then the previous task's transcript (its ZEBRA, its
  // "completed") is on screen, and a follow-up typed now would go to a task still being set up.
  await expect.poll(() => out.textContent(), { timeout: 30_000, message: `${label}: the new task is shown` }).toContain(`Write ${agent}.txt please.`)
  await expect.poll(() => out.textContent(), { timeout: 90_000, message: `${label}: first turn text` }).toContain('ZEBRA.')
  await expect.poll(() => shownState(page), { timeout: 60_000, message: `${label}: first turn completed` }).toBe('completed')
  await page.getByLabel('Message to the agent').fill('Once more, please.')
  await page.keyboard.press('Enter')
  await expect.poll(() => out.textContent(), { timeout: 90_000, message: `${label}: follow-up text` }).toContain('OKAPI.')
  await expect.poll(() => shownState(page), { timeout: 60_000, message: `${label}: follow-up completed` }).toBe('completed')
  await expect.poll(() => page.locator('[data-testid="turn-result"]').count(), { timeout: 15_000, message: `${label}: two results` }).toBe(2)

  // In the order the rows are shown (their index in the virtual list), not the order React happens
  // to keep their nodes in after reusing them for another task's rows.
  const userTurns = await out.evaluate((e) =>
    [...e.querySelectorAll('[data-index]')]
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .flatMap((row) => [...row.querySelectorAll('[data-testid="user-turn"]')].map((u) => u.textContent)),
  )
  expect(userTurns).toEqual([`YouWrite ${agent}.txt please.`, 'YouOnce more, please.'])
  const transcript = (await out.textContent()) ?? ''
  expect(transcript.split('ZEBRA.').length - 1).toBe(1)
  expect(await page.locator('[data-testid="file-change"]').first().textContent()).toContain(`${agent}.txt`)
  // Nothing shown as a raw agent line: every JSON line was read by the core.
  expect(await out.locator('.out-raw').count()).toBe(0)
  for (const r of await page.locator('[data-testid="turn-result"]').allTextContents()) expect(r).toMatch(/\d+ in \/ \d+ out tokens$/)
  const shown: string[] = []
  for (const id of TURN_TYPES) if ((await out.locator(`[data-testid="${id}"]`).count()) > 0) shown.push(id)
  return shown
}

describe.runIf(ready)('one transcript for every agent', () => {
  it('Claude Code: the reference conversation', async () => {
    expect(await conversation('claude', 'claude')).toEqual(TURN_TYPES)
  }, 300_000)

  it('a Codex task renders as the same conversation', async () => {
    expect(await conversation('codex', 'codex')).toEqual(TURN_TYPES)
  }, 300_000)

  it('a Gemini task renders as the same conversation', async () => {
    expect(await conversation('gemini', 'gemini')).toEqual(TURN_TYPES)
  }, 300_000)

  it('an OpenCode task renders as the same conversation', async () => {
    expect(await conversation('opencode', 'opencode')).toEqual(TURN_TYPES)
  }, 300_000)
})
