// A stray rejected promise is a bug to log, never a reason to drop every running agent. Shared by
// the Electron entry and the headless daemon; the message is redacted like every log line.
import { Redactor } from './redact'

export function logUnhandledRejections(secrets: (string | undefined)[]): void {
  const redactor = new Redactor()
  for (const s of secrets) redactor.addSecret(s)
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : String(reason)
    process.stderr.write(`unhandled rejection (ignored): ${redactor.redactText(text)}\n`)
  })
}
