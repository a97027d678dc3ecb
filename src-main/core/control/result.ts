// Outcomes of control-plane operations as values. `status` is the HTTP status the tool API
// answers with; the bridge maps the same codes onto its own error codes.
export type OpErrorCode = 'bad-request' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable' | 'failed'

export interface OpError {
  ok: false
  status: number
  code: OpErrorCode
  message: string
}

export type Op<T> = { ok: true; value: T } | OpError

const STATUS: Record<OpErrorCode, number> = { 'bad-request': 400, forbidden: 403, 'not-found': 404, conflict: 409, unavailable: 503, failed: 422 }

export const done = <T>(value: T): Op<T> => ({ ok: true, value })
export const fail = (code: OpErrorCode, message: string): OpError => ({ ok: false, status: STATUS[code], code, message })
