// Structured, levelled logging: a readable line on stderr, a JSON line in a rotating file.
// Every message and field passes through the Redactor first.
import { Redactor } from './redact'
import { RotatingFile } from './rotating-file'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export type LogFields = Record<string, unknown>

export interface LogSink {
  write(line: string): void
}

export interface LoggerOptions {
  level: LogLevel
  redactor: Redactor
  stderr?: LogSink | null
  file?: RotatingFile | null
  scope?: string
}

export class Logger {
  private readonly rank: number

  constructor(private readonly opts: LoggerOptions) {
    this.rank = LOG_LEVELS.indexOf(opts.level)
  }

  get redactor(): Redactor {
    return this.opts.redactor
  }

  child(scope: string): Logger {
    return new Logger({ ...this.opts, scope: this.opts.scope ? `${this.opts.scope}.${scope}` : scope })
  }

  trace(msg: string, fields?: LogFields): void {
    this.log('trace', msg, fields)
  }
  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields)
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields)
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields)
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields)
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LOG_LEVELS.indexOf(level) < this.rank) return
    const r = this.opts.redactor
    const time = new Date().toISOString()
    const safeMsg = r.redactText(msg)
    const safeFields = fields ? (r.redactValue(fields) as LogFields) : undefined
    const scope = this.opts.scope
    this.opts.file?.write(JSON.stringify({ time, level, scope, msg: safeMsg, ...safeFields }) + '\n')
    if (this.opts.stderr) {
      const extra = safeFields
        ? ' ' + Object.entries(safeFields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
        : ''
      this.opts.stderr.write(`${time} ${level.toUpperCase().padEnd(5)} ${scope ? `[${scope}] ` : ''}${safeMsg}${extra}\n`)
    }
  }
}

/** A logger that drops everything; for tests and tools that need none. */
export function silentLogger(): Logger {
  return new Logger({ level: 'error', redactor: new Redactor(), stderr: null, file: null })
}
