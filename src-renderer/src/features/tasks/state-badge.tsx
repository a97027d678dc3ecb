import type { TaskState } from '../../../../src-preload/contract'

const LABEL: Record<TaskState, string> = {
  pending: 'Queued',
  initializing: 'Preparing',
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  completed: 'Done',
  failed: 'Failed',
  interrupted: 'Stopped',
}

export function StateBadge({ state }: { state: TaskState }): React.JSX.Element {
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {LABEL[state]}
    </span>
  )
}

export function MergedBadge({ into }: { into: string }): React.JSX.Element {
  return (
    <span className="badge badge-merged" data-testid="merged-badge" title={`Merged into ${into}`}>
      merged
    </span>
  )
}
