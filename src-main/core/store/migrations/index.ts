// Numbered migrations, applied in order. Append only: never edit one that has shipped.
import { sql as m001 } from './001-initial'
import { sql as m002 } from './002-outbox'
import { sql as m003 } from './003-control-plane'
import { sql as m004 } from './004-agent-pid'
import { sql as m005 } from './005-task-lifecycle'
import { sql as m006 } from './006-task-agent'
import { sql as m007 } from './007-output-chunks'

export interface Migration {
  version: number
  name: string
  sql: string
  /** Rebuild the file afterwards (VACUUM, outside the migration's transaction), with incremental auto-vacuum on. */
  vacuumAfter?: boolean
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'outbox', sql: m002 },
  { version: 3, name: 'control-plane', sql: m003 },
  { version: 4, name: 'agent-pid', sql: m004 },
  { version: 5, name: 'task-lifecycle', sql: m005 },
  { version: 6, name: 'task-agent', sql: m006 },
  { version: 7, name: 'output-chunks', sql: m007, vacuumAfter: true },
]
