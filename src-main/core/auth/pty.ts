// The slice of node-pty the login flow uses, so tests can count or replace spawns.
import { spawn } from 'node-pty'

export interface PtyLike {
  readonly pid: number
  onData(listener: (data: string) => void): { dispose(): void }
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void }
  write(data: string): void
  kill(signal?: string): void
}

export interface PtySpawnOptions {
  cols: number
  rows: number
  cwd: string
  env: Record<string, string>
}

export type PtySpawner = (file: string, args: string[], opts: PtySpawnOptions) => PtyLike

export const spawnPty: PtySpawner = (file, args, opts) =>
  spawn(file, args, { name: opts.env.TERM ?? 'dumb', cols: opts.cols, rows: opts.rows, cwd: opts.cwd, env: opts.env, encoding: 'utf8' })
