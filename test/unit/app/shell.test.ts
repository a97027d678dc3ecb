import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Notification, safeStorage } from 'electron'
import { describe, expect, it } from 'vitest'
import { wireNotifications } from '../../../src-main/app/notifications'
import { SafeStorageTokenStore } from '../../../src-main/app/safe-token-store'
import { trayStateOf, wireTrayState } from '../../../src-main/app/tray-state'
import { CoreEvents } from '../../../src-main/core/events'
import { Redactor } from '../../../src-main/core/log/redact'
import type { Question, TaskSummary } from '../../../src-preload/contract'

const stubStorage = safeStorage as unknown as { available: boolean }
const stubNotification = Notification as unknown as { shown: { title: string; body: string }[] }

const task = (id: string, state: TaskSummary['state']): TaskSummary => ({
  id, name: id, state, parentTaskId: null, contractId: null, isOrchestrator: false, isSupervisor: false, repoUrl: null,
  worktreePath: null, errorMessage: state === 'failed' ? 'exit 1' : null, createdAt: '', updatedAt: '', mergedInto: null, archivedAt: null, agent: 'claude',
})
const question = (id: string, state: Question['state']): Question => ({
  id, taskId: 't', contractId: null, question: 'Ship it?', choices: ['yes', 'no'], context: null, state, answer: null, createdAt: '', expiresAt: null,
})

describe('SafeStorageTokenStore', () => {
  it('stores the token encrypted in a 0600 file and reads it back, registering it as a secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'makima-safe-'))
    const redactor = new Redactor()
    const store = new SafeStorageTokenStore(dir, redactor)
    const token = 'sk-ant-oat01-abcdefghijklmnopqrstuvwxyz'
    await store.save(token)
    const raw = await readFile(store.path)
    expect(raw.toString('utf8')).not.toContain(token)
    expect((await stat(store.path)).mode & 0o777).toBe(0o600)
    expect(await new SafeStorageTokenStore(dir, new Redactor()).load()).toBe(token)
    expect(redactor.redactText(`t=${token}`)).not.toContain(token)
    await store.clear()
    expect(await store.load()).toBeNull()
  })

  it('refuses to store a token without a keychain instead of writing plaintext', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'makima-safe-'))
    stubStorage.available = false
    try {
      await expect(new SafeStorageTokenStore(dir, new Redactor()).save('sk-ant-oat01-zzzzzzzzzzzz')).rejects.toThrow(/keychain/)
    } finally {
      stubStorage.available = true
    }
  })
})

describe('tray state', () => {
  it('is attention for questions or login, busy while agents run, idle otherwise', () => {
    const base = { tasks: new Map(), pendingQuestions: new Set<string>(), loginNeeded: false }
    expect(trayStateOf(base).state).toBe('idle')
    expect(trayStateOf({ ...base, tasks: new Map([['a', 'running' as const]]) })).toEqual({ state: 'busy', tooltip: 'Makima — 1 agent(s) working' })
    expect(trayStateOf({ ...base, tasks: new Map([['a', 'completed' as const]]) }).state).toBe('idle')
    expect(trayStateOf({ ...base, pendingQuestions: new Set(['q']) }).state).toBe('attention')
    expect(trayStateOf({ ...base, loginNeeded: true }).tooltip).toContain('login')
  })

  it('follows core events', () => {
    const events = new CoreEvents()
    const seen: string[] = []
    wireTrayState(events, { tasks: new Map(), pendingQuestions: new Set(), loginNeeded: false }, (s) => seen.push(s))
    events.emit('taskUpdated', task('a', 'running'))
    events.emit('questionUpdated', question('q', 'pending'))
    events.emit('questionUpdated', question('q', 'answered'))
    events.emit('taskUpdated', task('a', 'completed'))
    expect(seen).toEqual(['idle', 'busy', 'attention', 'busy', 'idle'])
  })
})

describe('notifications', () => {
  it('notify once per new question, on failures and logins, and only when the window is not focused', () => {
    const events = new CoreEvents()
    let focused = false
    let shown = 0
    stubNotification.shown.length = 0
    wireNotifications({ events, show: () => shown++, focused: () => focused })
    events.emit('questionUpdated', question('q1', 'pending'))
    events.emit('questionUpdated', question('q1', 'pending'))
    events.emit('taskUpdated', task('t', 'failed'))
    events.emit('taskUpdated', task('t2', 'running'))
    focused = true
    events.emit('questionUpdated', question('q2', 'pending'))
    expect(stubNotification.shown.map((n) => n.title)).toEqual(['An agent has a question', 'Task failed: t'])
    expect(shown).toBe(0)
  })
})
