// Calls `onMoved` once the task's branch gets a new commit after `watching` turned true (a merge
// committed in the Merge tab, by the agent, from a terminal): a refusal shown about the branch as
// it was ("merge the base into the task first") is then stale. Reads the branch only on the core's
// (debounced) change signal, and only while watching.
import { useEffect, useRef } from 'react'
import { getBridge } from '../../bridge'

async function headOf(taskId: string): Promise<string | null> {
  const r = await getBridge().listTaskCommits({ taskId })
  return r.ok ? (r.value.commits[0]?.sha ?? '') : null
}

export function useBranchMoved(taskId: string, watching: boolean, onMoved: () => void): void {
  const moved = useRef(onMoved)
  moved.current = onMoved
  useEffect(() => {
    if (!watching) return undefined
    let live = true
    let busy = false
    const start = headOf(taskId)
    const off = getBridge().on('taskFilesChanged', (e) => {
      if (e.taskId !== taskId || busy) return
      busy = true
      void Promise.all([start, headOf(taskId)]).then(([before, now]) => {
        busy = false
        if (live && before !== null && now !== null && now !== before) moved.current()
      })
    })
    return () => {
      live = false
      off()
    }
  }, [taskId, watching])
}
