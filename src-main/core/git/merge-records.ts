// Which subtasks an orchestrator has merged or skipped. It must survive restarts, so it lives in
// a small JSON file inside the repository's common git dir (`.git/makima/merge-state.json`):
// shared by every worktree of the repo, invisible to the working tree, gone with the repo.
// Callers that prefer SQLite implement MergeRecordStore themselves.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { commonGitDir } from './inspect'

export interface MergedEntry {
  branch: string
  taskId: string | null
  sha: string
  at: string
}

export interface SkippedEntry {
  reason: string
  at: string
}

export interface MergeRecord {
  /** Keyed by branch name. */
  merged: Record<string, MergedEntry>
  /** Keyed by subtask id. */
  skipped: Record<string, SkippedEntry>
}

export interface MergeRecordStore {
  get(orchestratorTaskId: string): Promise<MergeRecord>
  markMerged(orchestratorTaskId: string, entry: MergedEntry): Promise<void>
  markSkipped(orchestratorTaskId: string, subtaskId: string, reason: string): Promise<void>
  forget(orchestratorTaskId: string): Promise<void>
}

const FileSchema = z.object({
  version: z.literal(1),
  orchestrators: z.record(
    z.string(),
    z.object({
      merged: z.record(z.string(), z.object({ branch: z.string(), taskId: z.string().nullable(), sha: z.string(), at: z.string() })),
      skipped: z.record(z.string(), z.object({ reason: z.string(), at: z.string() })),
    }),
  ),
})
type FileShape = z.infer<typeof FileSchema>

const empty = (): MergeRecord => ({ merged: {}, skipped: {} })

/** The JSON-file store. Writes are serialized per instance and land atomically (temp + rename). */
export class JsonMergeRecordStore implements MergeRecordStore {
  private chain: Promise<unknown> = Promise.resolve()

  constructor(readonly file: string) {}

  /** The store of the repository that `cwd` (any of its worktrees) belongs to. */
  static async forRepo(cwd: string): Promise<JsonMergeRecordStore> {
    return new JsonMergeRecordStore(join(await commonGitDir(cwd), 'makima', 'merge-state.json'))
  }

  private async read(): Promise<FileShape> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch {
      return { version: 1, orchestrators: {} }
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      raw = null
    }
    const parsed = FileSchema.safeParse(raw)
    // A corrupt file must not block merging: start over rather than throw forever.
    return parsed.success ? parsed.data : { version: 1, orchestrators: {} }
  }

  private update(fn: (data: FileShape) => void): Promise<void> {
    const next = this.chain.then(async () => {
      const data = await this.read()
      fn(data)
      await mkdir(dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`
      await writeFile(tmp, JSON.stringify(data, null, 2))
      await rename(tmp, this.file)
    })
    this.chain = next.catch(() => undefined)
    return next
  }

  async get(orchestratorTaskId: string): Promise<MergeRecord> {
    await this.chain
    return (await this.read()).orchestrators[orchestratorTaskId] ?? empty()
  }

  markMerged(orchestratorTaskId: string, entry: MergedEntry): Promise<void> {
    return this.update((d) => {
      const rec = (d.orchestrators[orchestratorTaskId] ??= empty())
      rec.merged[entry.branch] = entry
    })
  }

  markSkipped(orchestratorTaskId: string, subtaskId: string, reason: string): Promise<void> {
    return this.update((d) => {
      const rec = (d.orchestrators[orchestratorTaskId] ??= empty())
      rec.skipped[subtaskId] = { reason, at: new Date().toISOString() }
    })
  }

  forget(orchestratorTaskId: string): Promise<void> {
    return this.update((d) => {
      delete d.orchestrators[orchestratorTaskId]
    })
  }
}
