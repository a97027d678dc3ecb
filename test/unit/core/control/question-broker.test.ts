// The question broker over a real SQLite file: ask → long-poll answered, timeout, restart.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { QuestionBroker } from '../../../../src-main/core/control/question-broker'
import { QuestionRepository, type QuestionRecord } from '../../../../src-main/core/control/records-repository'
import { openStore, type Store } from '../../../../src-main/core/store/db'

const TASK = '11111111-1111-4111-8111-111111111111'

describe('QuestionBroker', () => {
  let dir: string
  let store: Store
  let updates: QuestionRecord[]
  let broker: QuestionBroker
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'makima-questions-'))
    store = await openStore({ path: join(dir, 'db.sqlite') })
    updates = []
    broker = new QuestionBroker({ repo: new QuestionRepository(store.db), onUpdate: (q) => updates.push(q) })
  })
  afterEach(() => {
    broker.dispose()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores the question, and a waiting long-poll resolves with the answer', async () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Ready?', choices: [' Yes ', 'No', ''], context: 'after X' })
    expect(q).toMatchObject({ state: 'pending', question: 'Ready?', choices: ['Yes', 'No'], context: 'after X', timeoutSeconds: 3600 })
    expect(updates.map((u) => u.state)).toEqual(['pending'])
    const waiting = broker.wait(q.id, 30_000)
    const r = broker.answer(q.id, 'Yes')
    expect(r.ok).toBe(true)
    const settled = await waiting
    expect(settled).toMatchObject({ id: q.id, state: 'answered', answer: 'Yes' })
    expect(settled!.answeredAt).toBeTruthy()
    expect(updates.map((u) => u.state)).toEqual(['pending', 'answered'])
    // Stored: a second broker over the same file sees it.
    expect(new QuestionRepository(store.db).get(q.id)).toMatchObject({ state: 'answered', answer: 'Yes' })
  })

  it('a second answer is refused; an unknown question is not found', () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Pick' })
    expect(broker.answer(q.id, 'A').ok).toBe(true)
    expect(broker.answer(q.id, 'B')).toMatchObject({ ok: false, code: 'not-pending' })
    expect(broker.answer('nope', 'B')).toMatchObject({ ok: false, code: 'not-found' })
    expect(broker.get(q.id)!.answer).toBe('A')
  })

  it('times out: the waiter resolves with state timed-out', async () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Anyone?', timeoutSeconds: 1 })
    const settled = await broker.wait(q.id, 10_000)
    expect(settled).toMatchObject({ state: 'timed-out', answer: null })
    expect(broker.answer(q.id, 'late')).toMatchObject({ ok: false, code: 'not-pending' })
  })

  it('a wait shorter than the question returns it still pending', async () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Later?' })
    expect(await broker.wait(q.id, 50)).toMatchObject({ state: 'pending' })
  })

  it('an aborted wait resolves at once', async () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Abort?' })
    const ac = new AbortController()
    const w = broker.wait(q.id, 60_000, ac.signal)
    ac.abort()
    expect(await w).toMatchObject({ state: 'pending' })
  })

  it('cancels the questions of a task that ended', async () => {
    const q = broker.ask({ taskId: TASK, contractId: null, question: 'Still there?' })
    const other = broker.ask({ taskId: '22222222-2222-4222-8222-222222222222', contractId: null, question: 'Other' })
    const w = broker.wait(q.id, 30_000)
    broker.cancelForTask(TASK)
    expect(await w).toMatchObject({ state: 'cancelled' })
    expect(broker.get(other.id)!.state).toBe('pending')
  })

  it('restore() re-arms pending questions after a restart; expired ones time out', async () => {
    const repo = new QuestionRepository(store.db)
    const past = new Date(Date.now() - 5000).toISOString()
    repo.insert({ id: 'old', taskId: TASK, contractId: null, question: 'Old', choices: [], context: null, timeoutSeconds: 1, createdAt: past, expiresAt: past })
    const soon = new Date(Date.now() + 300).toISOString()
    repo.insert({ id: 'soon', taskId: TASK, contractId: null, question: 'Soon', choices: [], context: null, timeoutSeconds: 1, createdAt: past, expiresAt: soon })
    const fresh = new QuestionBroker({ repo })
    fresh.restore()
    expect(repo.get('old')!.state).toBe('timed-out')
    expect(await fresh.wait('soon', 10_000)).toMatchObject({ state: 'timed-out' })
    fresh.dispose()
  })
})
