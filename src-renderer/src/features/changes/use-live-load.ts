// Reads something about a task's worktree and reads it again when the core says the worktree
// changed (`taskFilesChanged`, already debounced there) or on request. At most one read is in
// flight per view: a signal that arrives meanwhile marks the result stale and one more read
// follows, so a burst of signals costs at most two reads.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Result } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'

export type Load<T> = { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'error'; message: string }

export interface LiveLoad<T> {
  state: Load<T>
  refreshing: boolean
  /** Read again now (or right after the read in flight). */
  reload(): void
}

export function useLiveLoad<T>(taskId: string, read: () => Promise<Result<T>>, opts: { live?: boolean } = {}): LiveLoad<T> {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' })
  const [refreshing, setRefreshing] = useState(false)
  const flight = useRef({ busy: false, again: false, generation: 0 })
  const readRef = useRef(read)
  readRef.current = read

  const run = useCallback(() => {
    const f = flight.current
    if (f.busy) {
      f.again = true
      return
    }
    f.busy = true
    f.again = false
    const gen = f.generation
    setRefreshing(true)
    void readRef.current()
      .then(
        (r) => r,
        (e: unknown) => ({ ok: false as const, code: 'internal' as const, message: e instanceof Error ? e.message : String(e) }),
      )
      .then((r) => {
        if (gen !== flight.current.generation) return // the view moved to another task or source
        f.busy = false
        setState(r.ok ? { kind: 'ready', value: r.value } : { kind: 'error', message: r.message })
        setRefreshing(false)
        if (f.again) run()
      })
  }, [])

  useEffect(() => {
    flight.current = { busy: false, again: false, generation: flight.current.generation + 1 }
    setState({ kind: 'loading' })
    run()
    if (opts.live === false) return undefined
    const off = getBridge().on('taskFilesChanged', (e) => {
      if (e.taskId === taskId) run()
    })
    return () => {
      off()
      flight.current = { busy: false, again: false, generation: flight.current.generation + 1 }
    }
  }, [taskId, run, read, opts.live])

  return { state, refreshing, reload: run }
}
