// One chunk of task output as a BLOB: the header as one line of JSON ({ k: kinds used, l: [kind
// index, data byte length] per line }; JSON never holds a raw newline), "\n", then every line's
// UTF-8 data back to back. Data is stored raw — never JSON-escaped — so a chunk is about as big as its lines.

export interface ChunkLine {
  kind: string
  data: string
}

interface Header {
  k: string[]
  l: number[]
}

export function encodeChunk(lines: readonly ChunkLine[]): { body: Buffer; bytes: number } {
  const kinds: string[] = []
  const l: number[] = []
  let bytes = 0
  for (const line of lines) {
    let k = kinds.indexOf(line.kind)
    if (k < 0) k = kinds.push(line.kind) - 1
    const n = Buffer.byteLength(line.data, 'utf8')
    l.push(k, n)
    bytes += n
  }
  // One buffer written in place: no Buffer per line and no concatenation copy (the output hot path).
  const header = JSON.stringify({ k: kinds, l } satisfies Header) + '\n'
  const body = Buffer.allocUnsafe(Buffer.byteLength(header, 'utf8') + bytes)
  let at = body.write(header, 0, 'utf8')
  for (const line of lines) at += body.write(line.data, at, 'utf8')
  return { body, bytes }
}

export function decodeChunk(body: Buffer): ChunkLine[] {
  const nl = body.indexOf(0x0a)
  const h = JSON.parse(body.toString('utf8', 0, nl)) as Header
  const out: ChunkLine[] = []
  let at = nl + 1
  for (let i = 0; i < h.l.length; i += 2) {
    const n = h.l[i + 1]!
    out.push({ kind: h.k[h.l[i]!]!, data: body.toString('utf8', at, at + n) })
    at += n
  }
  return out
}
