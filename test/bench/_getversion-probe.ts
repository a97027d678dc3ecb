// A separate client process for output-storage.ts and P3 (lib/probe.ts): getVersion every 5 ms
// until stdin closes, then the round-trip times as JSON on stdout. Events broadcast meanwhile are
// read and ignored. Apart from the bench's own process, so parsing the big pages the bench
// receives never shows up as the core's delay.
import WebSocket from 'ws'

const [url, token] = process.argv.slice(2) as [string, string]
const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${token}` } })
const seen: number[] = []
let stop = false
process.stdin.on('data', () => undefined)
process.stdin.on('end', () => (stop = true))

ws.once('open', () => {
  process.stdout.write('open\n')
  let id = 0
  let sentAt = 0
  const send = () => {
    if (stop) {
      process.stdout.write(JSON.stringify(seen) + '\n')
      ws.close()
      return
    }
    sentAt = performance.now()
    ws.send(JSON.stringify({ id: ++id, name: 'getVersion' }))
  }
  ws.on('message', (data) => {
    // The bridge broadcasts events to every client: only this probe's answer ends a round trip.
    if ((JSON.parse(String(data)) as { id?: number }).id !== id) return
    seen.push(performance.now() - sentAt)
    setTimeout(send, 5)
  })
  send()
})
