// P4: the web UI of the built core in Chromium. Frames drawn per second while 20 agents each print
// 500 lines/s and the UI follows one of them (baseline: the same page idle, same run); and opening
// a task of 1,000,000 stored lines in a freshly loaded page: click → its last line on screen
// (baseline: opening a task of 1,000 lines the same way). In-page timing by _renderer-output-probe.ts.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { openStore } from '../../../src-main/core/store/db'
import { OutputRepository } from '../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../src-main/core/store/task-repository'
import { hasChromium, launchChromium } from '../../fixtures/browser/chromium'
import { openUi } from '../../fixtures/built-daemon'
import { taskRecord } from '../../fixtures/store/task-record'
import { makeMix } from '../_renderer-output-lines'
import { PROBE } from '../_renderer-output-probe'
import { createTasks, deliveries, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, tempDir, until } from '../lib/daemon'
import { QUICK, figure, measure, median, round, type Measure } from '../lib/stats'

const HUGE = '44444444-aaaa-4bbb-8ccc-000000000001'
const SMALL = '44444444-aaaa-4bbb-8ccc-000000000002'

/** A task of `lines` short assistant lines whose last 1,000 are a realistic mix ending in `marker`. */
function seedTask(repo: OutputRepository, tasks: TaskRepository, id: string, lines: number, marker: string, seed: number): void {
  tasks.save(taskRecord(id, { name: id === HUGE ? 'a million lines' : 'a thousand lines', plan: 'bench', state: 'completed', completedAt: new Date().toISOString() }))
  const plain = (n: number) => ({ kind: 'assistant', data: JSON.stringify({ type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: `line ${n} of the stored output` }] } }) })
  for (let n = 0; n < lines - 1000; n += 5000) repo.append(id, Array.from({ length: Math.min(5000, lines - 1000 - n) }, (_, i) => plain(n + i)))
  repo.append(id, makeMix(1000, seed, marker))
}

const bench = <T>(page: Page, expr: string) => page.evaluate(expr) as Promise<T>

async function fps(page: Page, ms: number): Promise<number> {
  await bench(page, '__bench.start({})')
  await new Promise((r) => setTimeout(r, ms))
  const f = await bench<{ ms: number; frames: number }>(page, '__bench.stop()')
  return f.frames / (f.ms / 1000)
}

/** A fresh page (nothing of the task in the renderer yet), then click → marker on screen. */
async function openMs(page: Page, taskId: string, marker: string): Promise<number> {
  await page.reload()
  await page.locator(`[data-task-id="${taskId}"]`).waitFor({ timeout: 30_000 })
  const r = await bench<{ ms: number | null }>(page, `__bench.switchTo(${JSON.stringify(taskId)}, ${JSON.stringify(marker)}, 30000)`)
  if (r.ms === null) throw new Error(`P4: ${marker} never showed after opening ${taskId}`)
  return r.ms
}

export async function run(): Promise<Measure> {
  if (!hasChromium) throw new Error('no Chromium at /usr/bin/chromium')
  const windowMs = QUICK ? 3_000 : 8_000
  const dir = await tempDir('makima-bench-p4-')
  const store = await openStore({ path: join(dir.path, 'daemon.db') })
  seedTask(new OutputRepository(store.db), new TaskRepository(store.db), HUGE, 1_000_000, 'HUGE-END', 7)
  seedTask(new OutputRepository(store.db), new TaskRepository(store.db), SMALL, 1_000, 'SMALL-END', 8)
  store.close()
  const d = await startBenchDaemon({ dataDir: dir.path, env: { ...streamDaemonEnv({ lines: 0, rate: 500, hold: true, lineBytes: 300 }), MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: '20' } })
  const browser = await launchChromium()
  try {
    const page = await openUi(browser, `${d.url}/?token=${d.token}`, { onPage: (p) => void p.addInitScript(PROBE) })
    await page.locator(`[data-task-id="${HUGE}"]`).waitFor({ timeout: 30_000 })
    // Opening: the 1,000-line task then the 1,000,000-line one, alternately (first pair discarded).
    const small: number[] = []
    const huge: number[] = []
    for (let i = 0; i < (QUICK ? 3 : 5); i++) {
      const s = await openMs(page, SMALL, 'SMALL-END')
      const h = await openMs(page, HUGE, 'HUGE-END')
      if (i === 0) continue
      small.push(round(s))
      huge.push(round(h))
    }
    const idle = await fps(page, windowMs)
    const client = await connect(d)
    const got = deliveries(client)
    const { ids } = await createTasks(client, 20, (i) => ({ name: `flood ${i}`, plan: 'stream' }))
    await until(() => ids.every((id) => got.has(id)), 'P4: 20 agents printing', 120_000, 20)
    await page.locator(`[data-task-id="${ids[0]}"]`).click()
    await new Promise((r) => setTimeout(r, 1000))
    const l0 = [...got.values()].reduce((s, x) => s + x.lines, 0)
    const t0 = performance.now()
    const flood = await fps(page, windowMs)
    const linesPerSecond = ([...got.values()].reduce((s, x) => s + x.lines, 0) - l0) / ((performance.now() - t0) / 1000)
    client.close()
    return measure(
      'the web UI in Chromium: frames while 20 agents print 500 lines/s each; opening a 1,000,000-line task',
      {
        fpsUnderFlood: figure({ ours: flood, baseline: idle, unit: 'fps', goal: { value: 50, kind: 'min', unit: 'fps' }, baselineIs: 'the same page idle' }),
        open1MLineTask: figure({ ours: median(huge), baseline: median(small), unit: 'ms', goal: { value: 300, kind: 'max', unit: 'ms' }, baselineIs: 'opening a 1,000-line task the same way' }),
      },
      { windowMs, deliveredLinesPerSecondToBenchClient: round(linesPerSecond, 0), openHugeSamples: huge, openSmallSamples: small, browser: 'Debian Chromium, headless, playwright-core' },
    )
  } finally {
    await browser.close()
    await d.stop()
    await dir.remove()
  }
}
