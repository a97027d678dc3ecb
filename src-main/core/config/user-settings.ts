// The settings a user changes in the app. Each change is checked with the very schema the config
// loader uses (settings.ts), refused when a flag or the environment sets that key (those win, so a
// saved value would silently do nothing), written to <data dir>/settings.toml, and applied at once
// where the running core can take it (default agent, concurrency, theme); the rest on restart.
import { readFile } from 'node:fs/promises'
import { parse as parseToml } from 'smol-toml'
import type { EditableSetting, EditableSettingKey } from '../../../src-preload/contract'
import { EDITABLE_SETTINGS } from '../../../src-preload/contract'
import { describeSource, type Config } from './config'
import { fromString } from './load'
import { SETTING_BY_KEY } from './settings'
import { flattenToml, userSettingsPath, writeUserSettings } from './user-settings-file'

export const APPLIES: Record<EditableSettingKey, 'now' | 'restart'> = {
  'agent.default': 'now',
  'agent.model': 'restart',
  'process.enable_permissions': 'restart',
  'process.max_concurrent_tasks': 'now',
  'server.url': 'restart',
  'server.heartbeat_interval_secs': 'restart',
  'ui.theme': 'now',
}

type Value = string | number | boolean | null

/** The value the running core uses, read from (and, for live keys, written to) the Config. */
const RUNNING: Record<EditableSettingKey, { get(c: Config): Value; set?(c: Config, v: unknown): void }> = {
  'agent.default': { get: (c) => c.agents.default, set: (c, v) => (c.agents.default = v as Config['agents']['default']) },
  'agent.model': { get: (c) => c.agents.model ?? null },
  'process.enable_permissions': { get: (c) => c.process.enablePermissions },
  'process.max_concurrent_tasks': { get: (c) => c.process.maxConcurrentTasks, set: (c, v) => (c.process.maxConcurrentTasks = v as number) },
  'server.url': { get: (c) => c.server.url ?? null },
  'server.heartbeat_interval_secs': { get: (c) => c.server.heartbeatIntervalSecs },
  'ui.theme': { get: (c) => c.ui?.theme ?? 'dark', set: (c, v) => (c.ui = { theme: v as 'dark' | 'light' | 'system' }) },
}

export type SettingsUpdate = { ok: true } | { ok: false; message: string }

export class UserSettings {
  private readonly pending = new Map<EditableSettingKey, Value>()

  private constructor(
    private readonly config: Config,
    private readonly file: string,
    /** What the file holds now (every key the app ever saved, even ones the environment overrides). */
    private readonly saved: Map<string, unknown>,
    private readonly apply: (key: EditableSettingKey, value: unknown) => void,
  ) {}

  /** Reads the file the config loader already validated (a missing file is an empty one). */
  static async open(config: Config, apply: (key: EditableSettingKey, value: unknown) => void): Promise<UserSettings> {
    const file = config.userSettingsFile ?? userSettingsPath(config.dataDir)
    const text = await readFile(file, 'utf8').catch(() => '')
    return new UserSettings(config, file, new Map(flattenToml(parseToml(text) as Record<string, unknown>)), apply)
  }

  view(): EditableSetting[] {
    return EDITABLE_SETTINGS.map((key) => {
      const source = this.config.sources?.[key]
      const pendingRestart = this.pending.has(key)
      return {
        key,
        value: pendingRestart ? this.pending.get(key)! : RUNNING[key].get(this.config),
        source: source ? describeSource(source) : 'the default',
        locked: source?.kind === 'env' || source?.kind === 'flag',
        applies: APPLIES[key],
        pendingRestart,
        allowed: SETTING_BY_KEY.get(key)?.schema.description ?? 'a valid value',
      }
    })
  }

  /** All or nothing: every change is checked before anything is written or applied. */
  async update(changes: readonly { key: EditableSettingKey; value: Value }[]): Promise<SettingsUpdate> {
    const checked: [EditableSettingKey, unknown][] = []
    for (const { key, value } of changes) {
      const r = this.check(key, value)
      if (!r.ok) return r
      checked.push([key, r.value])
    }
    const next = new Map(this.saved)
    for (const [key, v] of checked) {
      if (v === undefined) next.delete(key)
      else next.set(key, v)
    }
    await writeUserSettings(this.file, next)
    this.saved.clear()
    for (const [k, v] of next) this.saved.set(k, v)
    for (const [key, v] of checked) {
      const running = RUNNING[key]
      if (APPLIES[key] === 'now' && running.set) {
        running.set(this.config, v)
        this.apply(key, v)
        this.config.sources = { ...this.config.sources, [key]: { kind: 'app', path: this.file } }
      } else if ((v ?? null) === running.get(this.config)) this.pending.delete(key)
      else this.pending.set(key, (v ?? null) as Value)
    }
    return { ok: true }
  }

  private check(key: EditableSettingKey, raw: Value): { ok: true; value: unknown } | { ok: false; message: string } {
    const setting = SETTING_BY_KEY.get(key)
    if (!setting) return { ok: false, message: `${key} is not a setting` }
    const source = this.config.sources?.[key]
    if (source?.kind === 'env' || source?.kind === 'flag') {
      return { ok: false, message: `${key} is set by ${describeSource(source)}, which wins over the app; change it there` }
    }
    // Empty means "not set" for optional settings (no server URL, the CLI's own model).
    const value = raw === null || raw === '' ? undefined : typeof raw === 'string' ? fromString(setting, raw) : raw
    const r = setting.schema.safeParse(value)
    if (r.success) return { ok: true, value: r.data }
    const allowed = setting.schema.description ?? 'a valid value'
    return { ok: false, message: `${key}: got ${JSON.stringify(raw)}, expected ${allowed}` }
  }
}
