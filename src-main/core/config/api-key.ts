// The server API key: from TOML, MAKIMA_API_KEY, a file (--api-key-file, server.api_key_file) or
// -k. A key on the command line sits in /proc/<pid>/cmdline, which every local user can read, so it
// still works but is warned about; the file and the environment keep it out of sight.
import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, describeSource, type Source } from './config'

export interface KeyLayer {
  value: unknown
  source: Source
  /** Later layers win: TOML files in order, then the environment, then flags. */
  rank: number
}

export interface ResolvedKey {
  apiKey: string | undefined
  warnings: string[]
}

export const ARGV_KEY_WARNING =
  'the server API key was given on the command line (-k/--api-key), where every user on this machine can read it (ps, /proc/<pid>/cmdline); use --api-key-file <file> or the MAKIMA_API_KEY environment variable instead'

/** `key` and `file` are the validated values of server.api_key and server.api_key_file. */
export async function resolveApiKey(
  key: { value: string | undefined; layer: KeyLayer | undefined },
  file: { value: string | undefined; layer: KeyLayer | undefined },
  cwd: string,
): Promise<ResolvedKey> {
  const warnings: string[] = []
  const fromFile = file.value !== undefined && file.layer !== undefined
  if (fromFile && key.value !== undefined && key.layer) {
    if (key.layer.rank === file.layer!.rank) {
      throw new ConfigError('server.api_key_file', file.layer!.source, `server.api_key is set as well (from ${describeSource(key.layer.source)}); set only one of them`)
    }
    // The higher layer wins, as for every other setting.
    if (key.layer.rank > file.layer!.rank) return withArgvWarning(key.value, key.layer, warnings)
  }
  if (!fromFile) return key.layer ? withArgvWarning(key.value, key.layer, warnings) : { apiKey: key.value, warnings }
  const path = resolve(cwd, file.value!)
  const source = file.layer!.source
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new ConfigError('server.api_key_file', source, `${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
  const apiKey = text.trim()
  if (!apiKey) throw new ConfigError('server.api_key_file', source, `${path} is empty; put the API key in it`)
  if (/\s/.test(apiKey)) throw new ConfigError('server.api_key_file', source, `${path} holds more than one word; put only the API key in it`)
  const mode = (await stat(path)).mode & 0o777
  if (mode & 0o077) warnings.push(`the API key file ${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`)
  return { apiKey, warnings }
}

function withArgvWarning(apiKey: string | undefined, layer: KeyLayer, warnings: string[]): ResolvedKey {
  if (layer.source.kind === 'flag') warnings.push(ARGV_KEY_WARNING)
  return { apiKey, warnings }
}
