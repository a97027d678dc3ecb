// Vitest global setup: fail the whole run at once when a tool the suite needs is missing, and say
// at the end what was skipped when the run opted out of one. Every temporary directory of the run
// (the tests', the cores', the agents') goes under one directory removed at the end: a run used to
// leave ~1.8 GB in /tmp.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLAUDE_BIN } from '../fixtures/claude-env'
import { CODEX_BIN } from '../fixtures/codex-env'
import { GEMINI_BIN } from '../fixtures/gemini-env'
import { OPENCODE_BIN } from '../fixtures/opencode-env'
import { BWRAP_PATH, CHROMIUM_PATH, MissingToolError, optedOut, TOOL_HINTS, type Tool } from '../fixtures/tools'

const PATHS: Record<Tool, string> = { chromium: CHROMIUM_PATH, bwrap: BWRAP_PATH, claude: CLAUDE_BIN, codex: CODEX_BIN, gemini: GEMINI_BIN, opencode: OPENCODE_BIN }

export function setup(): () => void {
  const skipped: Tool[] = []
  for (const tool of Object.keys(PATHS) as Tool[]) {
    if (existsSync(PATHS[tool])) continue
    if (!optedOut(tool)) throw new MissingToolError(tool)
    skipped.push(tool)
  }
  // The forks inherit it (they start after this); MAKIMA_TEST_KEEP_TMP=1 keeps it to look into.
  const runTmp = mkdtempSync(join(tmpdir(), 'makima-test-run-'))
  // Traversable by other users, as /tmp is (the other-user tests run a probe as nobody from here);
  // not listable, and each test's own directories are 0700 as before.
  chmodSync(runTmp, 0o711)
  process.env.TMPDIR = runTmp
  return () => {
    if (process.env.MAKIMA_TEST_KEEP_TMP === '1') process.stdout.write(`\nTemporary files of this run kept in ${runTmp}\n`)
    else rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 })
    for (const tool of skipped) {
      process.stdout.write(`\nSKIPPED on request (MAKIMA_TEST_SKIP=${tool}): every suite that needs ${tool}. Not proven in this run. To run them: ${TOOL_HINTS[tool]}.\n`)
    }
  }
}
