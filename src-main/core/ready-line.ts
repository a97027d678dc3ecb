// The one line a headless core prints when it is ready: supervisors and tests wait for it.
import type { Core } from './start'

export function readyLine(core: Core, version: string, host: 'node' | 'electron'): string {
  const c = core.config
  return `makima daemon ${version} ready${host === 'electron' ? ' (electron)' : ''}: data ${c.dataDir}, db ${c.localDb.path}, worktrees ${c.worktree.baseDir}, repos ${c.worktree.reposDir}, log ${c.log.file}, web ${core.web?.openUrl ?? 'off'}`
}
