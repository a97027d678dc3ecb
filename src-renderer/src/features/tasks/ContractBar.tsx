// A supervisor's contract: where it stands (phase) and a manual "advance" for the user.
import { CONTRACT_PHASES } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

const ORDER: Record<'simple' | 'specification', readonly string[]> = {
  simple: ['plan', 'execute'],
  specification: CONTRACT_PHASES,
}

export function ContractBar({ contractId }: { contractId: string }): React.JSX.Element | null {
  const contract = useAppStore((s) => s.contracts[contractId])
  const notify = useAppStore((s) => s.notify)
  if (!contract) return null
  const phases = ORDER[contract.type]
  const next = phases[phases.indexOf(contract.phase) + 1]
  const advance = async () => {
    if (!next) return
    const r = await getBridge().advancePhase({ contractId, phase: next as (typeof CONTRACT_PHASES)[number] })
    if (!r.ok) notify('error', r.message)
    else useAppStore.setState((s) => ({ contracts: { ...s.contracts, [r.value.id]: r.value } }))
  }
  return (
    <div className="contract-bar" data-testid="contract-bar">
      <span className="muted">Contract</span> <strong>{contract.name}</strong>
      <ol className="phases">
        {phases.map((p) => (
          <li key={p} className={p === contract.phase ? 'current' : phases.indexOf(p) < phases.indexOf(contract.phase) ? 'done' : undefined}>
            {p}
          </li>
        ))}
      </ol>
      <span className="muted">{contract.status}</span>
      {next && contract.status !== 'completed' && <button onClick={() => void advance()}>Advance to {next}</button>}
    </div>
  )
}
