// Questions supervisors ask the user (`makima supervisor ask`). The agent waits for the answer.
import { useState } from 'react'
import type { Question } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { useNarrow } from '../layout/Sidebar'

function QuestionCard({ q }: { q: Question }): React.JSX.Element {
  const [answer, setAnswer] = useState('')
  const [error, setError] = useState<string | null>(null)
  const taskName = useAppStore((s) => s.tasks[q.taskId]?.name ?? 'a task')
  const select = useAppStore((s) => s.select)

  const send = async (text: string) => {
    const r = await getBridge().answerQuestion({ questionId: q.id, answer: text })
    if (!r.ok) setError(r.message)
    else useAppStore.getState().upsertQuestion(r.value)
  }

  return (
    <article className="question" data-testid="question">
      <button className="link muted" onClick={() => select(q.taskId)}>
        {taskName} asks
      </button>
      <p className="question-text">{q.question}</p>
      {q.context && <p className="muted small">{q.context}</p>}
      {q.choices.length > 0 && (
        <div className="choices">
          {q.choices.map((c) => (
            <button key={c} onClick={() => void send(c)}>
              {c}
            </button>
          ))}
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (answer.trim()) void send(answer.trim())
        }}
      >
        <input value={answer} onChange={(e) => setAnswer(e.target.value)} placeholder={q.choices.length ? 'Or answer in your own words' : 'Your answer'} aria-label="Answer" />
      </form>
      {error && <p className="error small">{error}</p>}
    </article>
  )
}

// On a narrow window the panel is a drawer behind a slim tab, so the task view keeps its width.
export function QuestionsPanel(): React.JSX.Element | null {
  const questions = useAppStore((s) => s.questions)
  const narrow = useNarrow()
  const [open, setOpen] = useState(false)
  const pending = Object.values(questions)
    .filter((q) => q.state === 'pending')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  if (pending.length === 0) return null
  const title = `${pending.length} question${pending.length === 1 ? '' : 's'} waiting`
  if (narrow && !open) {
    return (
      <button className="questions-tab" onClick={() => setOpen(true)} aria-label={`Show ${title}`} data-testid="questions-tab">
        ? {pending.length}
      </button>
    )
  }
  return (
    <aside className={`questions${narrow ? ' drawer' : ''}`} aria-label="Questions from agents">
      <h2>
        {title}
        {narrow && (
          <button className="link" aria-label="Hide the questions" onClick={() => setOpen(false)}>
            ×
          </button>
        )}
      </h2>
      {pending.map((q) => (
        <QuestionCard key={q.id} q={q} />
      ))}
    </aside>
  )
}
