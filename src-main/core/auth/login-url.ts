// Finds the OAuth login URL in what `claude setup-token` prints. Today's CLI links to
// `https://claude.com/cai/oauth/authorize?…`; older ones used `claude.ai/oauth` or
// `console.anthropic.com/oauth`. The URL arrives inside an OSC 8 hyperlink whose target repeats the
// visible text, so a naive scan can glue the two copies together; and a long visible URL can wrap.
import { stripAnsi } from './ansi'

const LOGIN_URL_START = /https:\/\/(?:claude\.com\/cai\/oauth|claude\.ai\/oauth|console\.anthropic\.com\/oauth|platform\.claude\.com\/oauth)\b/
/** Characters that end a URL in terminal text (the original's terminators plus controls). */
// eslint-disable-next-line no-control-regex -- control characters end a URL in terminal output
const URL_BODY = /^[^\s"'<>)\]\u0000-\u001f\u007f]*/
// eslint-disable-next-line no-control-regex -- OSC 8 is made of ESC and BEL
const OSC8 = /\u001b\]8;[^;\u0007\u001b]*;([^\u0007\u001b]*)(?:\u0007|\u001b\\)/g

/** The login URL in raw terminal output (escapes and all), or null. `columns` is the terminal
 * width: a visible URL that fills a line to the edge continues on the next line. */
export function findLoginUrl(raw: string, columns = 0): string | null {
  // A hyperlink target is the whole URL, never wrapped: prefer it.
  for (const m of raw.matchAll(OSC8)) {
    const url = cutUrl(m[1] ?? '')
    if (url) return url
  }
  return findInVisibleText(stripAnsi(raw), columns)
}

/** The login URL in text that has already been stripped of escapes. */
export function findInVisibleText(text: string, columns = 0): string | null {
  const m = LOGIN_URL_START.exec(text)
  if (!m) return null
  let url = URL_BODY.exec(text.slice(m.index))![0]
  if (columns > 0) {
    // Join wrapped continuation lines while the URL runs to the right edge.
    let end = m.index + url.length
    for (;;) {
      const lineStart = text.lastIndexOf('\n', end - 1) + 1
      if (text[end] !== '\n' || end - lineStart < columns) break
      const rest = URL_BODY.exec(text.slice(end + 1))![0]
      if (!rest) break
      url += rest
      end += 1 + rest.length
    }
  }
  return cutUrl(url)
}

function cutUrl(candidate: string): string | null {
  const m = LOGIN_URL_START.exec(candidate)
  if (!m) return null
  let url = URL_BODY.exec(candidate.slice(m.index))![0]
  // A hyperlink's target and text glued together: keep the first copy only.
  const second = url.indexOf('https://', 8)
  if (second > 0) url = url.slice(0, second)
  return url.length > m[0].length + 1 ? url : null
}
