// Store repositories for contracts, their phase log, their documents and progress reports.
import type Database from 'better-sqlite3'
import type { ContractPhase, ContractStatus, ContractType } from './phases'

export interface ContractRecord {
  id: string
  name: string
  type: ContractType
  phase: ContractPhase
  status: ContractStatus
  goal: string
  repoUrl: string | null
  targetBranch: string | null
  supervisorTaskId: string | null
  createdAt: string
  updatedAt: string
  completedAt: string | null
}

export interface ContractFileRecord {
  id: string
  contractId: string
  name: string
  content: string
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface ProgressReport {
  seq: number
  contractId: string | null
  taskId: string
  kind: 'report' | 'completion' | 'done'
  text: string
  data: unknown
  createdAt: string
}

export interface PhaseLogEntry {
  fromPhase: ContractPhase | null
  toPhase: ContractPhase
  by: string
  at: string
}

type Row = Record<string, string | number | null>
const now = () => new Date().toISOString()

function toContract(r: Row): ContractRecord {
  return {
    id: String(r.id), name: String(r.name), type: r.type as ContractType, phase: r.phase as ContractPhase, status: r.status as ContractStatus,
    goal: String(r.goal), repoUrl: (r.repo_url as string | null) ?? null, targetBranch: (r.target_branch as string | null) ?? null,
    supervisorTaskId: (r.supervisor_task_id as string | null) ?? null, createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    completedAt: (r.completed_at as string | null) ?? null,
  }
}

function toFile(r: Row): ContractFileRecord {
  return {
    id: String(r.id), contractId: String(r.contract_id), name: String(r.name), content: String(r.content),
    createdBy: (r.created_by as string | null) ?? null, createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  }
}

export class ContractRepository {
  constructor(private readonly db: Database.Database) {}

  insert(c: Omit<ContractRecord, 'createdAt' | 'updatedAt' | 'completedAt'>): ContractRecord {
    const at = now()
    this.db
      .prepare(
        `INSERT INTO contracts (id, name, type, phase, status, goal, repo_url, target_branch, supervisor_task_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.name, c.type, c.phase, c.status, c.goal, c.repoUrl, c.targetBranch, c.supervisorTaskId, at, at)
    this.db.prepare('INSERT INTO contract_phase_log (contract_id, from_phase, to_phase, by, at) VALUES (?, NULL, ?, ?, ?)').run(c.id, c.phase, 'created', at)
    return this.get(c.id)!
  }

  get(id: string): ContractRecord | undefined {
    const r = this.db.prepare('SELECT * FROM contracts WHERE id = ?').get(id) as Row | undefined
    return r ? toContract(r) : undefined
  }

  list(): ContractRecord[] {
    return (this.db.prepare('SELECT * FROM contracts ORDER BY created_at DESC, id').all() as Row[]).map(toContract)
  }

  setSupervisor(id: string, taskId: string | null): void {
    this.db.prepare('UPDATE contracts SET supervisor_task_id = ?, updated_at = ? WHERE id = ?').run(taskId, now(), id)
  }

  /** Moves the phase and logs who did it, in one transaction. */
  setPhase(id: string, from: ContractPhase, to: ContractPhase, by: string): ContractRecord {
    const at = now()
    this.db.transaction(() => {
      this.db.prepare('UPDATE contracts SET phase = ?, updated_at = ? WHERE id = ?').run(to, at, id)
      this.db.prepare('INSERT INTO contract_phase_log (contract_id, from_phase, to_phase, by, at) VALUES (?, ?, ?, ?, ?)').run(id, from, to, by, at)
    })()
    return this.get(id)!
  }

  complete(id: string): ContractRecord {
    const at = now()
    this.db.prepare("UPDATE contracts SET status = 'completed', completed_at = ?, updated_at = ? WHERE id = ?").run(at, at, id)
    return this.get(id)!
  }

  phaseLog(id: string): PhaseLogEntry[] {
    const rows = this.db.prepare('SELECT from_phase, to_phase, by, at FROM contract_phase_log WHERE contract_id = ? ORDER BY seq').all(id) as Row[]
    return rows.map((r) => ({ fromPhase: (r.from_phase as ContractPhase | null) ?? null, toPhase: r.to_phase as ContractPhase, by: String(r.by), at: String(r.at) }))
  }

  // ── Files ──

  addFile(f: { id: string; contractId: string; name: string; content: string; createdBy: string | null }): ContractFileRecord {
    const at = now()
    this.db
      .prepare('INSERT INTO contract_files (id, contract_id, name, content, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(f.id, f.contractId, f.name, f.content, f.createdBy, at, at)
    return this.getFile(f.contractId, f.id)!
  }

  getFile(contractId: string, id: string): ContractFileRecord | undefined {
    const r = this.db.prepare('SELECT * FROM contract_files WHERE contract_id = ? AND id = ?').get(contractId, id) as Row | undefined
    return r ? toFile(r) : undefined
  }

  updateFile(contractId: string, id: string, content: string): ContractFileRecord | undefined {
    const r = this.db.prepare('UPDATE contract_files SET content = ?, updated_at = ? WHERE contract_id = ? AND id = ?').run(content, now(), contractId, id)
    return r.changes ? this.getFile(contractId, id) : undefined
  }

  listFiles(contractId: string): ContractFileRecord[] {
    return (this.db.prepare('SELECT * FROM contract_files WHERE contract_id = ? ORDER BY created_at, id').all(contractId) as Row[]).map(toFile)
  }

  // ── Progress reports ──

  addReport(r: { contractId: string | null; taskId: string; kind: ProgressReport['kind']; text: string; data?: unknown }): ProgressReport {
    const at = now()
    const info = this.db
      .prepare('INSERT INTO progress_reports (contract_id, task_id, kind, text, data, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.contractId, r.taskId, r.kind, r.text, r.data === undefined ? null : JSON.stringify(r.data), at)
    return { seq: Number(info.lastInsertRowid), contractId: r.contractId, taskId: r.taskId, kind: r.kind, text: r.text, data: r.data ?? null, createdAt: at }
  }

  reports(filter: { contractId?: string; taskId?: string }, limit = 200): ProgressReport[] {
    const where = filter.contractId !== undefined ? 'contract_id = ?' : 'task_id = ?'
    const rows = this.db
      .prepare(`SELECT * FROM progress_reports WHERE ${where} ORDER BY seq DESC LIMIT ?`)
      .all(filter.contractId ?? filter.taskId ?? '', limit) as Row[]
    return rows.reverse().map((r) => ({
      seq: Number(r.seq), contractId: (r.contract_id as string | null) ?? null, taskId: String(r.task_id), kind: r.kind as ProgressReport['kind'],
      text: String(r.text), data: r.data === null ? null : (JSON.parse(String(r.data)) as unknown), createdAt: String(r.created_at),
    }))
  }
}
