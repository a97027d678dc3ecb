// The slice of node-pty a terminal uses, so tests can replace or count spawns.
import { spawn } from 'node-pty'

export interface TerminalPty {
  readonly pid: number
  onData(listener: (data: string) => void): { dispose(): void }
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void }
  write(data: string): void
  resize(cols: number, rows: number): void
  pause(): void
  resume(): void
  kill(signal?: string): void
}

export interface TerminalSpawnOptions {
  cols: number
  rows: number
  cwd: string
  env: Record<string, string>
}

export type TerminalSpawner = (file: string, args: string[], opts: TerminalSpawnOptions) => TerminalPty

export const spawnTerminalPty: TerminalSpawner = (file, args, opts) =>
  spawn(file, args, { name: opts.env.TERM ?? 'xterm-256color', cols: opts.cols, rows: opts.rows, cwd: opts.cwd, env: opts.env, encoding: 'utf8' })
