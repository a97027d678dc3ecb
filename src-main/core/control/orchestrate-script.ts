// `.makima/orchestrate.sh` in an orchestrator's worktree: a thin script that hands every argument,
// unchanged, to `makima orchestrate` (the CLI does the parsing, validation and HTTP). It is kept out
// of git through the repository's info/exclude, so it never shows up in diffs or merges.
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { shQuote } from '../../cli/launcher'
import { commonGitDir } from '../git'
import type { WorkspacePort, WorkspaceResult, WorkspaceInfo } from '../tasks/ports'

export const ORCHESTRATE_SCRIPT = join('.makima', 'orchestrate.sh')
const EXCLUDE_LINE = '/.makima/'

export function orchestrateScript(makimaCommand?: string): string {
  const cmd = makimaCommand ? shQuote(makimaCommand) : 'makima'
  return `#!/bin/sh\n# Orchestrator helper written by Makima: list | create | start | stop | status | output | worktree | done.\nexec ${cmd} orchestrate "$@"\n`
}

/** Writes the script (0755) and excludes .makima/ from git when the directory is a worktree. */
export async function writeOrchestrateScript(dir: string, makimaCommand?: string): Promise<string> {
  await mkdir(join(dir, '.makima'), { recursive: true })
  const path = join(dir, ORCHESTRATE_SCRIPT)
  await writeFile(path, orchestrateScript(makimaCommand), { mode: 0o755 })
  await chmod(path, 0o755)
  const gitDir = await commonGitDir(dir).catch(() => null)
  if (gitDir) {
    const info = join(gitDir, 'info')
    const exclude = join(info, 'exclude')
    const current = await readFile(exclude, 'utf8').catch(() => '')
    if (!current.split('\n').some((l) => l.trim() === EXCLUDE_LINE)) {
      await mkdir(info, { recursive: true })
      await appendFile(exclude, `${current && !current.endsWith('\n') ? '\n' : ''}${EXCLUDE_LINE}\n`)
    }
  }
  return path
}

export interface OrchestratorScriptOptions {
  /** Whether the task is an orchestrator (its record is saved before its workspace is made). */
  isOrchestrator(taskId: string): boolean
  /** The launcher's absolute path; `makima` from PATH when absent. */
  makimaCommand?: string
}

/** The workspace, plus orchestrate.sh in every new working directory of an orchestrator task. */
export function withOrchestrateScript(ws: WorkspacePort, opts: OrchestratorScriptOptions): WorkspacePort {
  const after = async (taskId: string, r: WorkspaceResult<WorkspaceInfo>): Promise<WorkspaceResult<WorkspaceInfo>> => {
    if (!r.ok || !opts.isOrchestrator(taskId)) return r
    try {
      await writeOrchestrateScript(r.value.path, opts.makimaCommand)
      return r
    } catch (e) {
      return { ok: false, message: `Could not write ${ORCHESTRATE_SCRIPT}: ${e instanceof Error ? e.message : String(e)}` }
    }
  }
  return {
    // A resumed orchestrator reuses its worktree: refresh the script (the launcher may have moved).
    findWorktree: async (id, recorded) => {
      const dir = await ws.findWorktree(id, recorded)
      if (dir && opts.isOrchestrator(id)) await writeOrchestrateScript(dir, opts.makimaCommand).catch(() => undefined)
      return dir
    },
    isNewRepoRequest: (s) => ws.isNewRepoRequest(s),
    initNewRepo: async (id, name, source) => after(id, await ws.initNewRepo(id, name, source)),
    ensureRepo: (s, p) => ws.ensureRepo(s, p),
    defaultBranch: (r) => ws.defaultBranch(r),
    createWorktree: async (repo, id, name, base) => after(id, await ws.createWorktree(repo, id, name, base)),
    createWorktreeFromTask: async (src, id, name) => after(id, await ws.createWorktreeFromTask(src, id, name)),
    restoreFromPatch: async (src, id, name, sha, data) => after(id, await ws.restoreFromPatch(src, id, name, sha, data)),
    createTempDir: async (id) => {
      const dir = await ws.createTempDir(id)
      if (opts.isOrchestrator(id)) await writeOrchestrateScript(dir, opts.makimaCommand)
      return dir
    },
    copyFiles: (from, to, files) => ws.copyFiles(from, to, files),
    applyIdentity: (dir, id) => ws.applyIdentity(dir, id),
    fingerprint: (dir) => ws.fingerprint(dir),
    isIntact: (dir, git) => ws.isIntact(dir, git),
    heartbeat: (id, wt) => ws.heartbeat(id, wt),
    completionAction: (req) => ws.completionAction(req),
  }
}
