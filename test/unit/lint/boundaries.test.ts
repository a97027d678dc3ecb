// The dependency rules of docs/ARCHITECTURE.md are enforced by lint: prove each rule fires.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

describe('import boundaries', () => {
  it('core may not import electron', async () => {
    expect(await ruleIds('src-main/core/tasks/probe.ts', "import { app } from 'electron'\nexport const a = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src-main/core/git/probe.ts', "export { ipcMain } from 'electron'\n")).toContain('no-restricted-imports')
  })

  it('main signals children only through killChild (never ChildProcess.kill)', async () => {
    const spawned = "import { spawn } from 'node:child_process'\nconst child = spawn('git')\n"
    expect(await ruleIds('src-main/core/git/probe.ts', `${spawned}child.kill('SIGKILL')\n`)).toContain('no-restricted-syntax')
    expect(await ruleIds('src-main/core/git/probe.ts', `${spawned}process.kill(child.pid ?? -1, 0)\n`)).toEqual([])
  })

  it('the Electron shell may import electron', async () => {
    expect(await ruleIds('src-main/app/probe.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([])
  })

  it('core may not import the shell or the renderer', async () => {
    expect(await ruleIds('src-main/core/tasks/probe.ts', "import { createTray } from '../../app/tray'\nexport const t = createTray\n")).toContain('import-x/no-restricted-paths')
  })

  it('lower core layers may not point back up', async () => {
    expect(await ruleIds('src-main/core/store/probe.ts', "import { createHandlers } from '../bridge/handlers'\nexport const h = createHandlers\n")).toContain('import-x/no-restricted-paths')
  })

  it('the renderer may not import main, Node built-ins or electron', async () => {
    expect(await ruleIds('src-renderer/src/probe.ts', "import { startCore } from '../../src-main/core/start'\nexport const s = startCore\n")).toContain('import-x/no-restricted-paths')
    expect(await ruleIds('src-renderer/src/probe.ts', "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src-renderer/src/probe.ts', "import { ipcRenderer } from 'electron'\nexport const r = ipcRenderer\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src-renderer/src/probe.ts', "import { requests } from '../../src-preload/contract'\nexport const r = requests\n")).toEqual([])
  })

  it('the contract imports only zod', async () => {
    expect(await ruleIds('src-preload/contract.ts', "import { z } from 'zod'\nimport { join } from 'node:path'\nexport const a = [z, join]\n")).toContain('no-restricted-imports')
  })
})
