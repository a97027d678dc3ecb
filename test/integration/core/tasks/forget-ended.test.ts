// Memory: an ended task leaves the manager's map (its spawn request carries the whole plan), yet
// stays reachable — its record from the store, its timings, and a follow-up that brings it back.
import { afterEach, describe, expect, it } from 'vitest'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { text } from '../../../fixtures/model-server'
import { completeOf, makeHarness, waitFor, type Harness } from './harness'

const id = (i: number) => `22222222-aaaa-4bbb-8ccc-00000000000${i}`

describe.skipIf(!claudeAvailable())('ended tasks leave memory', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })

  it('forgets a task once its run has ended; the store, timings and follow-ups still reach it', async () => {
    h = await makeHarness({ scenario: { fallback: text('OK') } })
    const repo = makeRepo(dirs)
    for (const i of [1, 2]) {
      await h.manager.spawn({ taskId: id(i), taskName: `t${i}`, plan: 'x'.repeat(200_000), repoUrl: repo })
      expect(await waitFor(() => completeOf(h!.events, id(i)), { timeoutMs: 60_000, what: 'taskComplete' })).toMatchObject({ success: true })
      await h.manager.settled(id(i))
    }
    expect(h.manager.list().map((t) => t.id)).toEqual([])
    expect(h.manager.get(id(1))).toMatchObject({ id: id(1), state: 'completed' })
    expect(h.manager.timings(id(1))!.firstOutputMs).toBeGreaterThan(0)
    expect(h.manager.sendMessage(id(1), 'once more')).toEqual({ ok: true, value: undefined })
    expect(h.manager.list().map((t) => t.id)).toEqual([id(1)])
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2 || undefined, { timeoutMs: 60_000, what: 'second taskComplete' })
    await h.manager.settled(id(1))
    expect(h.manager.list()).toEqual([])
  })
})
