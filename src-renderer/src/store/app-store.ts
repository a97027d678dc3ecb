// App state: hydrated by one request each, then kept current by events.
import { create } from 'zustand'
import type { TaskSummary, VersionInfo } from '../../../src-preload/contract'
import { getBridge } from '../bridge'

export type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string }

interface AppState {
  load: LoadState
  version: VersionInfo | null
  tasks: Record<string, TaskSummary>
  hydrate(): Promise<void>
  upsertTask(task: TaskSummary): void
}

export const useAppStore = create<AppState>((set) => ({
  load: { kind: 'loading' },
  version: null,
  tasks: {},
  async hydrate() {
    const bridge = getBridge()
    const [version, tasks] = await Promise.all([bridge.getVersion(), bridge.listTasks()])
    if (!version.ok) return set({ load: { kind: 'error', message: version.message } })
    if (!tasks.ok) return set({ load: { kind: 'error', message: tasks.message } })
    set({ load: { kind: 'ready' }, version: version.value, tasks: Object.fromEntries(tasks.value.map((t) => [t.id, t])) })
  },
  upsertTask(task) {
    set((s) => ({ tasks: { ...s.tasks, [task.id]: task } }))
  },
}))

export function subscribeToEvents(): () => void {
  return getBridge().on('taskUpdated', (task) => useAppStore.getState().upsertTask(task))
}
