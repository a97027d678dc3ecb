// Numbered migrations, applied in order. Append only: never edit one that has shipped.
import { sql as m001 } from './001-initial'
import { sql as m002 } from './002-outbox'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'outbox', sql: m002 },
]
