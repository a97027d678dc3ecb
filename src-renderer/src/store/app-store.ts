// App state. Hydrated by one request per slice, then kept current by events. Output arrives in
// bursts: lines are buffered and applied once per animation frame, so the UI never receives more
// than it can draw; the visible task keeps a bounded window of recent lines (older ones are paged
// in), the others none (their output is read from the core when they are shown).
import { create } from 'zustand'
import type {
  ContractSummary,
  EventPayload,
  LoginState,
  OutputLine,
  Question,
  ServerStatus,
  TaskSummary,
  VersionInfo,
} from '../../../src-preload/contract'
import { getBridge } from '../bridge'
import { forGui } from '../features/auth/gui-words'
import { addNotice, NOTICE_MS, withTaskNames, type Notice } from './notices'

export type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string }

export const MAX_LINES_IN_MEMORY = 5000
/** Lines read first when a task is opened: more than a tall window shows, a tenth of the window. */
export const FIRST_PAINT_LINES = 400

export interface TaskOutput {
  lines: OutputLine[]
  /** Lines stored in the core for this task (the window may hold fewer). */
  total: number
  loaded: boolean
  /** How many lines this task's window keeps; grows when the user pages back. */
  cap: number
  /** The user is reading further up: new lines must not push the rows they read out of the
   * window, so nothing is trimmed from the front (up to MAX_LINES_WHILE_READING). */
  reading?: boolean
}

/** The most a task's window grows to while the user reads further up (then the front is trimmed). */
export const MAX_LINES_WHILE_READING = 50_000

const PAGE = 2000

export type { Notice } from './notices'

interface AppState {
  load: LoadState
  version: VersionInfo | null
  tasks: Record<string, TaskSummary>
  selectedTaskId: string | null
  output: Record<string, TaskOutput>
  questions: Record<string, Question>
  contracts: Record<string, ContractSummary>
  login: LoginState
  authRequired: EventPayload<'authRequired'> | null
  server: ServerStatus
  notices: Notice[]
  hydrate(): Promise<void>
  select(taskId: string | null): void
  loadOutput(taskId: string): Promise<void>
  /** Reads the task's newest `tail` lines into its window; null when refused or switched away. */
  readTail(taskId: string, tail: number): Promise<{ lines: OutputLine[]; total: number; truncated: boolean } | null>
  loadEarlier(taskId: string): Promise<void>
  upsertTask(task: TaskSummary): void
  removeTask(taskId: string): void
  appendOutput(batch: Record<string, OutputLine[]>): void
  setReading(taskId: string, reading: boolean): void
  upsertQuestion(q: Question): void
  notify(level: Notice['level'], message: string, taskId?: string | null): void
  dismissNotice(id: number): void
}

let noticeId = 1

export const useAppStore = create<AppState>((set, get) => ({
  load: { kind: 'loading' },
  version: null,
  tasks: {},
  selectedTaskId: null,
  output: {},
  questions: {},
  contracts: {},
  login: { kind: 'idle' },
  authRequired: null,
  server: { kind: 'local' },
  notices: [],

  async hydrate() {
    const bridge = getBridge()
    const [version, tasks] = await Promise.all([bridge.getVersion(), bridge.listTasks()])
    if (!version.ok) return set({ load: { kind: 'error', message: version.message } })
    if (!tasks.ok) return set({ load: { kind: 'error', message: tasks.message } })
    set({ load: { kind: 'ready' }, version: version.value, tasks: Object.fromEntries(tasks.value.map((t) => [t.id, t])) })
    // Optional slices: a service that is not running answers 'unavailable', which is fine.
    const [questions, contracts, login, server] = await Promise.all([bridge.listQuestions(), bridge.listContracts(), bridge.getLoginState(), bridge.getServerStatus()])
    set({
      questions: questions.ok ? Object.fromEntries(questions.value.map((q) => [q.id, q])) : {},
      contracts: contracts.ok ? Object.fromEntries(contracts.value.map((c) => [c.id, c])) : {},
      login: login.ok ? login.value : { kind: 'idle' },
      server: server.ok ? server.value : { kind: 'local' },
    })
  },

  select(taskId) {
    set((s) => {
      // Only the visible task keeps a window: the one left is dropped, and read again on return.
      const left = s.selectedTaskId
      if (!left || left === taskId || !s.output[left]) return { selectedTaskId: taskId }
      const { [left]: _dropped, ...output } = s.output
      return { selectedTaskId: taskId, output }
    })
    if (taskId && !get().output[taskId]?.loaded) void get().loadOutput(taskId)
  },

  async loadOutput(taskId) {
    // A screenful first (the task opens at once, however long it is), then the whole window.
    // A truncated tail holds the newest lines that fit the core's byte budget: still one run up
    // to the end, so the window simply starts later and loadEarlier pages back from there.
    const first = await get().readTail(taskId, FIRST_PAINT_LINES)
    if (!first || first.truncated || first.lines.length >= first.total) return
    await get().readTail(taskId, MAX_LINES_IN_MEMORY)
  },

  async readTail(taskId, tail) {
    const r = await getBridge().getTaskOutput({ taskId, tail })
    if (!r.ok) {
      get().notify('error', r.message)
      return null
    }
    let applied = false
    set((s) => {
      if (s.selectedTaskId !== taskId) return {} // switched away meanwhile
      applied = true
      const live = s.output[taskId]?.lines ?? []
      const lastLoaded = r.value.lines.at(-1)?.seq ?? 0
      const lines = [...r.value.lines, ...live.filter((l) => l.seq > lastLoaded)].slice(-MAX_LINES_IN_MEMORY)
      return { output: { ...s.output, [taskId]: { lines, total: Math.max(r.value.total, lines.at(-1)?.seq ?? 0), loaded: true, cap: MAX_LINES_IN_MEMORY } } }
    })
    return applied ? r.value : null
  },

  async loadEarlier(taskId) {
    const current = get().output[taskId]
    const first = current?.lines[0]?.seq ?? 1
    if (!current || first <= 1) return
    // A truncated page holds the oldest lines after `from`, which would leave a gap before the
    // window: ask again for only as many lines as came back (fewer each time), nearer the window.
    let count = Math.min(PAGE, first - 1)
    let r = await getBridge().getTaskOutput({ taskId, afterSeq: first - 1 - count, limit: count })
    while (r.ok && r.value.truncated && r.value.lines.length > 0 && r.value.lines.length < count) {
      count = r.value.lines.length
      r = await getBridge().getTaskOutput({ taskId, afterSeq: first - 1 - count, limit: count })
    }
    if (!r.ok) return get().notify('error', r.message)
    set((s) => {
      const prev = s.output[taskId]
      if (!prev) return {}
      const older = r.value.lines.filter((l) => l.seq < (prev.lines[0]?.seq ?? Infinity))
      return { output: { ...s.output, [taskId]: { ...prev, lines: [...older, ...prev.lines], cap: prev.cap + older.length } } }
    })
  },

  upsertTask(task) {
    set((s) => ({ tasks: { ...s.tasks, [task.id]: task } }))
  },

  removeTask(taskId) {
    set((s) => {
      const { [taskId]: _gone, ...tasks } = s.tasks
      const { [taskId]: _out, ...output } = s.output
      return { tasks, output, selectedTaskId: s.selectedTaskId === taskId ? null : s.selectedTaskId }
    })
  },

  appendOutput(batch) {
    // Only the visible task's window is kept current: the others are read from the core when
    // shown, so a frame costs one task's lines, not every streaming task's whole window.
    const taskId = get().selectedTaskId
    const lines = taskId ? batch[taskId] : undefined
    if (!taskId || !lines?.length) return
    set((s) => {
      const prev = s.output[taskId] ?? { lines: [], total: 0, loaded: false, cap: MAX_LINES_IN_MEMORY }
      const lastSeq = prev.lines.at(-1)?.seq ?? 0
      const fresh = lines.filter((l) => l.seq > lastSeq)
      if (fresh.length === 0) return {}
      const cap = prev.reading ? Math.max(prev.cap, Math.min(prev.lines.length + fresh.length, MAX_LINES_WHILE_READING)) : prev.cap
      // Trimmed before joining: the window is copied once, never past its cap.
      const keep = Math.max(0, cap - fresh.length)
      const merged = (prev.lines.length > keep ? prev.lines.slice(prev.lines.length - keep) : prev.lines).concat(fresh.length > cap ? fresh.slice(-cap) : fresh)
      return { output: { ...s.output, [taskId]: { ...prev, cap, lines: merged, total: Math.max(prev.total, fresh.at(-1)!.seq) } } }
    })
  },

  setReading(taskId, reading) {
    set((s) => {
      const prev = s.output[taskId]
      if (!prev || Boolean(prev.reading) === reading) return {}
      if (reading) return { output: { ...s.output, [taskId]: { ...prev, reading } } }
      // Back at the tail: the window shrinks to its normal size again.
      const lines = prev.lines.length > MAX_LINES_IN_MEMORY ? prev.lines.slice(-MAX_LINES_IN_MEMORY) : prev.lines
      return { output: { ...s.output, [taskId]: { ...prev, reading, cap: MAX_LINES_IN_MEMORY, lines } } }
    })
  },

  upsertQuestion(q) {
    set((s) => ({ questions: { ...s.questions, [q.id]: q } }))
  },

  notify(level, message, taskId = null) {
    const id = noticeId++
    const s = get()
    const notices = addNotice(s.notices, { id, level, message: forGui(withTaskNames(message, s.tasks)), taskId }, s.selectedTaskId)
    if (!notices) return
    set({ notices })
    if (level !== 'error') setTimeout(() => get().dismissNotice(id), NOTICE_MS)
  },

  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }))
  },
}))

/** Subscribes the store to every core event; output is coalesced per animation frame. */
export function subscribeToEvents(): () => void {
  const bridge = getBridge()
  const store = useAppStore.getState
  let pending: Record<string, OutputLine[]> = {}
  let frame: number | null = null
  const flush = () => {
    frame = null
    const batch = pending
    pending = {}
    store().appendOutput(batch)
  }
  const offs = [
    bridge.on('taskUpdated', (t) => store().upsertTask(t)),
    bridge.on('taskRemoved', ({ taskId }) => store().removeTask(taskId)),
    bridge.on('taskOutput', ({ taskId, lines }) => {
      ;(pending[taskId] ??= []).push(...lines)
      frame ??= requestAnimationFrame(flush)
    }),
    bridge.on('questionUpdated', (q) => store().upsertQuestion(q)),
    bridge.on('contractUpdated', (c) => useAppStore.setState((s) => ({ contracts: { ...s.contracts, [c.id]: c } }))),
    bridge.on('loginState', (login) => useAppStore.setState({ login })),
    bridge.on('authRequired', (authRequired) => useAppStore.setState({ authRequired })),
    bridge.on('authCleared', ({ taskId }) => useAppStore.setState((s) => (s.authRequired?.taskId === taskId ? { authRequired: null } : {}))),
    bridge.on('serverStatus', (server) => useAppStore.setState({ server })),
    bridge.on('notice', (n) => store().notify(n.level, n.message, n.taskId)),
  ]
  return () => {
    for (const off of offs) off()
    if (frame !== null) cancelAnimationFrame(frame)
  }
}
