// Benchmark: our createWorktree on a 2,000-file repo against a raw `git worktree add` of the same
// repo. Goal: ours within 1.25x of raw. Runs interleaved so both see the same cache state.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createWorktree } from '../../src-main/core/git'
import { makeBigRepo, TempDirs } from '../fixtures/git/repos'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: 'ignore' })
}

export async function benchGitWorktree(opts: { files?: number; rounds?: number } = {}): Promise<Record<string, unknown>> {
  const files = opts.files ?? 2000
  const rounds = opts.rounds ?? 7
  const dirs = new TempDirs()
  try {
    const repo = makeBigRepo(dirs, files)
    const base = dirs.make('makima-bench-wt-')
    const ours: number[] = []
    const raw: number[] = []
    // One warm-up of each, untimed.
    for (let i = -1; i < rounds; i++) {
      const id = `${String(i + 1).padStart(8, '0')}-0000-4000-8000-000000000000`
      const t0 = performance.now()
      const out = await createWorktree({ repoPath: repo, worktreesDir: base, taskId: id, name: 'bench', baseRef: 'main' })
      const t1 = performance.now()
      if (out.kind !== 'created') throw new Error(`bench: ${out.kind}`)
      const rawDir = join(base, `raw-${i + 1}`)
      const t2 = performance.now()
      execFileSync('git', ['worktree', 'add', '--quiet', '-b', `raw-${i + 1}`, rawDir, 'main'], { cwd: repo, env: { ...process.env, LC_ALL: 'C' }, stdio: 'ignore' })
      const t3 = performance.now()
      if (i >= 0) {
        ours.push(t1 - t0)
        raw.push(t3 - t2)
      }
      git(repo, 'worktree', 'remove', '--force', out.worktree.path)
      git(repo, 'worktree', 'remove', '--force', rawDir)
    }
    const oursMs = median(ours)
    const rawMs = median(raw)
    const ratio = oursMs / rawMs
    return {
      name: 'git-worktree',
      files,
      rounds,
      oursMedianMs: Number(oursMs.toFixed(1)),
      rawMedianMs: Number(rawMs.toFixed(1)),
      ratio: Number(ratio.toFixed(3)),
      goalRatio: 1.25,
      withinGoal: ratio <= 1.25,
    }
  } finally {
    dirs.cleanup()
  }
}

export default benchGitWorktree
