// Agent text as people read it: fenced code blocks in monospace, `inline code`, the rest as-is.
// No HTML is ever interpreted (React escapes everything), so agent output cannot inject markup.
import { Fragment } from 'react'

function Inline({ text }: { text: string }): React.JSX.Element {
  const parts = text.split(/(`[^`\n]+`)/g)
  return (
    <>
      {parts.map((p, i) =>
        p.length > 2 && p.startsWith('`') && p.endsWith('`') ? (
          <code key={i} className="inline-code">
            {p.slice(1, -1)}
          </code>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </>
  )
}

export function RichText({ text }: { text: string }): React.JSX.Element {
  // Split on ``` fences; odd chunks are code (the first line of a fence is its language).
  const chunks = text.split(/^```/m)
  return (
    <>
      {chunks.map((chunk, i) => {
        if (i % 2 === 0) return <Inline key={i} text={chunk.replace(/^\n/, '')} />
        const nl = chunk.indexOf('\n')
        const lang = nl >= 0 ? chunk.slice(0, nl).trim() : ''
        const code = nl >= 0 ? chunk.slice(nl + 1).replace(/\n$/, '') : chunk
        return (
          <pre key={i} className="code-block" data-lang={lang || undefined}>
            {code}
          </pre>
        )
      })}
    </>
  )
}
