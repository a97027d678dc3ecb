// The renderer's Content-Security-Policy, per response. Electron-free so tests (and the dev-server
// e2e) use exactly what the app installs. Production everywhere; the one exception is electron-vite's
// dev server during `npm start`, whose React Fast Refresh needs an inline preamble.
import { createHash } from 'node:crypto'
import { WEB_CSP } from '../core/web/server'

/** The packaged renderer (file://) and the headless web UI: nothing inline, nothing remote. */
export const PRODUCTION_CSP = WEB_CSP

/**
 * The inline <script type="module"> @vitejs/plugin-react's dev server puts at the top of <head>
 * (its `preambleCode` with base "/"; test/unit/app/csp.test.ts checks it against the installed
 * plugin). Without it the app throws "can't detect preamble" and #root stays empty.
 */
export const REACT_REFRESH_PREAMBLE = [
  'import { injectIntoGlobalHook } from "/@react-refresh";',
  'injectIntoGlobalHook(window);',
  'window.$RefreshReg$ = () => {};',
  'window.$RefreshSig$ = () => (type) => type;',
].join('\n')

/** `policy` with extra sources appended to existing directives (a missing directive is a bug here). */
function withSources(policy: string, extra: Record<string, string[]>): string {
  const directives = policy.split(';').map((d) => d.trim()).filter(Boolean)
  for (const [name, sources] of Object.entries(extra)) {
    const i = directives.findIndex((d) => d.split(/\s+/)[0] === name)
    if (i < 0) throw new Error(`CSP has no ${name} directive`)
    directives[i] = `${directives[i]} ${sources.join(' ')}`
  }
  return directives.join('; ')
}

/**
 * The dev server's policy: production plus exactly two things Vite's React dev mode needs — the
 * preamble, allowed by its hash (not 'unsafe-inline': any other inline script stays blocked), and
 * the HMR WebSocket back to the dev server itself. No eval, no other origin.
 */
export function devCsp(devServerUrl: string): string {
  const url = new URL(devServerUrl)
  const hash = createHash('sha256').update(REACT_REFRESH_PREAMBLE).digest('base64')
  return withSources(PRODUCTION_CSP, {
    'script-src': [`'sha256-${hash}'`],
    'connect-src': [`${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`],
  })
}

/** The policy for a response from `url`: the dev policy only for the dev server's own origin. */
export function cspFor(url: string, devServerUrl: string | undefined): string {
  if (!devServerUrl) return PRODUCTION_CSP
  try {
    const origin = new URL(url).origin
    return origin !== 'null' && origin === new URL(devServerUrl).origin ? devCsp(devServerUrl) : PRODUCTION_CSP
  } catch {
    return PRODUCTION_CSP
  }
}
