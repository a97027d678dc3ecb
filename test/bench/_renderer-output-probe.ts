// In-page instruments for the renderer benchmark, as plain JavaScript text (a function passed to
// page.evaluate would carry tsx's compile helpers into the page). window.__bench:
//   start({ marker, applied })  counts animation frames and their gaps, collects long tasks, and
//                               notes (epoch ms) when a `.out-result` containing `marker` is on
//                               screen and when the "N earlier lines" notice contains `applied`
//   until(field, timeoutMs)     resolves once that field is set (or null at the deadline)
//   stop()                      the figures of the window since start(); the marker watch goes on
//                               (until() still works) until the next start() or halt()
//   follow()                    whether the view follows the tail, and its distance from the bottom
//   outputNodes()               elements inside the output view, rows among them
//   topRow(), visibleRows()     text of the row at the top of the output viewport, of every row on it
//   switchTo(taskId, marker)    clicks a task row; resolves with the ms until `marker` is on screen
export const PROBE = String.raw`
window.__bench = (() => {
  // When a WebSocket message carrying the marker arrived (before the app's own handler runs).
  const ws = { marker: null, at: null, messages: 0, mb: 0 }
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (e) => {
        ws.messages++
        ws.mb += e.data.length / 1048576
        if (ws.marker && ws.at === null && e.data.includes(ws.marker)) ws.at = performance.timeOrigin + performance.now()
      })
    }
  }
  let st = null
  const epoch = () => performance.timeOrigin + performance.now()
  const scroller = () => document.querySelector('[data-testid="output"]')
  const onScreen = (marker) => {
    const sc = scroller()
    if (!sc) return false
    for (const el of sc.querySelectorAll('.out-result')) {
      if (!el.textContent.includes(marker)) continue
      const r = sc.getBoundingClientRect(), e = el.getBoundingClientRect()
      if (e.height > 0 && e.bottom > r.top && e.top < r.bottom) return true
    }
    return false
  }
  const applied = (text) => {
    const n = document.querySelector('[data-testid="output"] > .out-notice')
    return !!n && n.textContent.includes(text)
  }
  const start = (opts = {}) => {
    if (st) st.running = false
    Object.assign(ws, { marker: opts.marker ?? null, at: null, messages: 0, mb: 0 })
    const s = { t0: performance.now(), counting: true, frames: 0, last: 0, maxGap: 0, over50: 0, over100: 0, long: [], seenAt: null, appliedAt: null, running: true, opts }
    s.obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) s.long.push(e.duration) })
    s.obs.observe({ type: 'longtask' })
    const tick = (t) => {
      if (!s.running) return
      if (s.counting && s.last) {
        const g = t - s.last
        if (g > s.maxGap) s.maxGap = g
        if (g > 50) s.over50++
        if (g > 100) s.over100++
      }
      s.last = t
      if (s.counting) s.frames++
      if (s.opts.marker && s.seenAt === null && onScreen(s.opts.marker)) s.seenAt = epoch()
      if (s.opts.applied && s.appliedAt === null && applied(s.opts.applied)) s.appliedAt = epoch()
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    st = s
    return true
  }
  const until = (field, timeoutMs) => new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs
    const poll = () => {
      if (st && st[field] !== null) return resolve(st[field])
      if (performance.now() > deadline) return resolve(null)
      setTimeout(poll, 5)
    }
    poll()
  })
  const stop = () => {
    const s = st
    s.counting = false
    for (const e of s.obs.takeRecords()) s.long.push(e.duration)
    s.obs.disconnect()
    const ms = performance.now() - s.t0
    const long = s.long
    return {
      ms, frames: s.frames, maxGapMs: s.maxGap, gapsOver50: s.over50, gapsOver100: s.over100,
      longTasks: long.length, longTaskMs: long.reduce((a, b) => a + b, 0), longestTaskMs: long.reduce((a, b) => Math.max(a, b), 0),
      blockingMs: long.reduce((a, b) => a + Math.max(0, b - 50), 0), seenAt: s.seenAt, appliedAt: s.appliedAt,
      wsMarkerAt: ws.at, wsMessages: ws.messages, wsMb: ws.mb,
    }
  }
  const halt = () => { if (st) st.running = false; return true }
  const wsAt = () => ws.at
  const follow = () => {
    const sc = scroller()
    return { following: !document.querySelector('button.follow'), distanceFromBottomPx: sc ? Math.round(sc.scrollHeight - sc.scrollTop - sc.clientHeight) : null }
  }
  const outputNodes = () => {
    const sc = scroller()
    return { outputElements: sc ? sc.querySelectorAll('*').length : 0, rows: sc ? sc.querySelectorAll('.out-row').length : 0, documentElements: document.getElementsByTagName('*').length }
  }
  const topRow = () => {
    const sc = scroller()
    if (!sc) return null
    const top = sc.getBoundingClientRect().top
    let best = null
    for (const row of sc.querySelectorAll('.out-row')) {
      const r = row.getBoundingClientRect()
      if (r.bottom > top && (!best || r.top < best.r.top)) best = { r, row }
    }
    return best ? best.row.textContent.slice(0, 80) : null
  }
  const visibleRows = () => {
    const sc = scroller()
    if (!sc) return []
    const r = sc.getBoundingClientRect()
    return [...sc.querySelectorAll('.out-row')].filter((row) => {
      const e = row.getBoundingClientRect()
      return e.bottom > r.top && e.top < r.bottom
    }).map((row) => row.textContent.slice(0, 80))
  }
  const switchTo = async (taskId, marker, timeoutMs = 20000) => {
    const row = document.querySelector('[data-task-id="' + CSS.escape(taskId) + '"]')
    start({ marker })
    await new Promise((r) => requestAnimationFrame(() => r()))
    const t0 = epoch()
    row.click()
    const seen = await until('seenAt', timeoutMs)
    await new Promise((r) => setTimeout(r, 300)) // settle: count what follows the first paint too
    const f = stop()
    halt()
    return { ms: seen === null ? null : seen - t0, maxGapMs: f.maxGapMs, longestTaskMs: f.longestTaskMs, blockingMs: f.blockingMs }
  }
  return { start, until, stop, halt, wsAt, follow, outputNodes, topRow, visibleRows, switchTo }
})()
`
