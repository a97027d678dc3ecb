import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Logger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { RotatingFile } from '../../../../src-main/core/log/rotating-file'

const API_KEY = 'mk_live_9f8e7d6c5b4a39281706'
const TOOL_KEY = 'a'.repeat(16) + '0123456789abcdef0123456789abcdef0123456789abcdef'
const OAUTH_CODE = 'Xy7Qp2Lm9Kd4Rt6#state-abc'
const OAUTH_TOKEN = 'sk-ant-oat01-QWERTYuiopASDFGHjklZXCVbnm1234567890'

function capture(): { sink: { write(l: string): void }; text: () => string } {
  const lines: string[] = []
  return { sink: { write: (l: string) => void lines.push(l) }, text: () => lines.join('') }
}

describe('Logger', () => {
  it('filters by level and writes readable stderr lines', () => {
    const out = capture()
    const log = new Logger({ level: 'warn', redactor: new Redactor(), stderr: out.sink })
    log.info('hidden')
    log.warn('shown', { taskId: 't1' })
    log.child('git').error('failed', { code: 128 })
    expect(out.text()).not.toContain('hidden')
    expect(out.text()).toMatch(/WARN {2}shown taskId=t1/)
    expect(out.text()).toMatch(/ERROR \[git\] failed code=128/)
  })

  it('never lets API keys, tool keys, OAuth codes or tokens through, in messages or fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'makima-log-'))
    const file = new RotatingFile({ path: join(dir, 'daemon.log'), maxBytes: 1 << 20, keep: 2 })
    await file.open()
    const out = capture()
    const redactor = new Redactor()
    redactor.addSecret(API_KEY)
    redactor.addSecret(TOOL_KEY)
    const log = new Logger({ level: 'trace', redactor, stderr: out.sink, file })
    log.info(`connecting with ${API_KEY}`)
    log.debug('spawn env', { env: { MAKIMA_API_KEY: TOOL_KEY, PATH: '/usr/bin' } })
    log.info('login', { apiKey: API_KEY, code: OAUTH_CODE, nested: [{ token: OAUTH_TOKEN }] })
    log.warn(`agent said: AUTH_CODE:${OAUTH_CODE} and token ${OAUTH_TOKEN}`)
    log.error('header', { header: `Authorization: Bearer ${OAUTH_TOKEN}` })
    log.info('frame', { raw: `{"type":"authenticate","apiKey":"${API_KEY}"}` })
    log.info('url', { url: `https://claude.ai/oauth/callback?code=${encodeURIComponent(OAUTH_CODE)}&state=x` })
    log.error('boom', { error: new Error(`bad key ${API_KEY}`) })
    await file.close()
    const fileText = await readFile(join(dir, 'daemon.log'), 'utf8')
    for (const text of [out.text(), fileText]) {
      for (const secret of [API_KEY, TOOL_KEY, OAUTH_CODE, encodeURIComponent(OAUTH_CODE), OAUTH_TOKEN]) {
        expect(text).not.toContain(secret)
      }
      expect(text).toContain('[REDACTED]')
      expect(text).toContain('PATH') // ordinary fields survive
    }
    // the file holds one JSON object per line
    for (const line of fileText.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow()
  })

  it('masks credentials in URLs and secret-looking field names it was never told about', () => {
    const out = capture()
    const log = new Logger({ level: 'trace', redactor: new Redactor(), stderr: out.sink })
    const secrets = ['s3cr3t-push-token', 'hunter2hunter2', 'zzzz-query-key', 'plain-model-key-123', 'abc123def456', 'camel-case-value', 'pw-in-query']
    log.info('clone failed', { url: 'https://x-access-token:s3cr3t-push-token@github.com/o/r.git' })
    log.warn('server connection lost; reconnecting', { url: 'wss://daemon:hunter2hunter2@server.example/ws/daemon?apiKey=zzzz-query-key&x=1' })
    log.debug('spawn', { env: { ANTHROPIC_API_KEY: 'plain-model-key-123', GH_TOKEN: 'abc123def456', PATH: '/usr/bin' }, serverApiKey: 'camel-case-value' })
    log.error(`fatal: unable to access 'https://bob:pw-in-query@git.example/r.git/?password=pw-in-query'`)
    const text = out.text()
    for (const s of secrets) expect(text, s).not.toContain(s)
    // What is not secret survives: user names, hosts, paths, other fields.
    for (const kept of ['x-access-token:', 'github.com/o/r.git', 'daemon:', 'server.example/ws/daemon', 'x=1', 'PATH', '/usr/bin', 'bob:']) expect(text, kept).toContain(kept)
    // Ordinary URLs with ports and '@' in paths are left alone.
    log.info('ok', { a: 'http://localhost:8080/path@x', b: 'ssh://git@github.com:22/o/r.git' })
    expect(out.text()).toContain('http://localhost:8080/path@x')
    expect(out.text()).toContain('ssh://git@github.com:22/o/r.git')
  })

  it('rotates the file by size and keeps every line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'makima-log-'))
    const file = new RotatingFile({ path: join(dir, 'd.log'), maxBytes: 2000, keep: 3 })
    await file.open()
    const log = new Logger({ level: 'info', redactor: new Redactor(), stderr: null, file })
    for (let i = 0; i < 150; i++) log.info(`line ${i}`, { pad: 'x'.repeat(40) })
    await file.close()
    const names = (await readdir(dir)).sort()
    expect(names).toEqual(['d.log', 'd.log.1', 'd.log.2', 'd.log.3'])
    let all = ''
    for (const n of ['d.log.3', 'd.log.2', 'd.log.1', 'd.log']) all += await readFile(join(dir, n), 'utf8')
    const seen = all.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)
    // the newest lines are all there, in order (the oldest fall off the end of the rotation)
    expect(seen.at(-1)).toBe('line 149')
    const nums = seen.map((m) => Number(m.split(' ')[1]))
    expect(nums).toEqual([...nums].sort((a, b) => a - b))
    expect(new Set(nums).size).toBe(nums.length)
  })
})
