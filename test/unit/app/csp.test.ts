// The CSP the app installs per response: production everywhere, the dev policy only for the dev
// server (src-main/app/csp.ts), wired by installCsp (window.ts) into session.webRequest.
import { createHash } from 'node:crypto'
import react from '@vitejs/plugin-react'
import { describe, expect, it } from 'vitest'
import { cspFor, devCsp, PRODUCTION_CSP, REACT_REFRESH_PREAMBLE } from '../../../src-main/app/csp'
import { WEB_CSP } from '../../../src-main/core/web/server'
import { installedHeaders } from '../../fixtures/electron-seam/csp-headers'

const DEV = 'http://localhost:5173'
const directive = (policy: string, name: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `))

describe('cspFor', () => {
  it('is the web UI policy for the packaged renderer, other origins and without a dev server', () => {
    expect(PRODUCTION_CSP).toBe(WEB_CSP)
    expect(cspFor('file:///app/out/renderer/index.html', undefined)).toBe(PRODUCTION_CSP)
    expect(cspFor('file:///app/out/renderer/index.html', DEV)).toBe(PRODUCTION_CSP)
    expect(cspFor('http://localhost:5174/', DEV)).toBe(PRODUCTION_CSP)
    expect(cspFor('https://example.com/x.js', DEV)).toBe(PRODUCTION_CSP)
    expect(cspFor('not a url', DEV)).toBe(PRODUCTION_CSP)
    expect(cspFor(`${DEV}/src/main.tsx`, DEV)).toBe(devCsp(DEV))
  })

  it('gives the dev server production plus exactly the React preamble (by hash) and its HMR socket', () => {
    const dev = devCsp(DEV)
    const hash = createHash('sha256').update(REACT_REFRESH_PREAMBLE).digest('base64')
    expect(directive(dev, 'script-src')).toBe(`script-src 'self' 'sha256-${hash}'`)
    expect(directive(dev, 'connect-src')).toBe("connect-src 'self' ws://localhost:5173")
    const rest = (p: string) => p.split(';').map((d) => d.trim()).filter((d) => !/^(script|connect)-src /.test(d))
    expect(rest(dev)).toEqual(rest(PRODUCTION_CSP))
    expect(directive(devCsp('https://127.0.0.1:9000'), 'connect-src')).toBe("connect-src 'self' wss://127.0.0.1:9000")
  })

  it('knows the preamble @vitejs/plugin-react inlines (an update that changes it fails here)', () => {
    expect(REACT_REFRESH_PREAMBLE).toBe(react.preambleCode.replace('__BASE__', '/'))
  })
})

describe('installCsp', () => {
  it('sets the policy for each response on the session, keeping the other headers', async () => {
    const headers = installedHeaders(DEV)
    expect(await headers(`${DEV}/`, { 'Content-Type': 'text/html' })).toEqual({ 'Content-Type': 'text/html', 'Content-Security-Policy': devCsp(DEV) })
    expect((await headers('file:///app/out/renderer/index.html', {}))['Content-Security-Policy']).toBe(PRODUCTION_CSP)
  })

  it('takes the dev server from ELECTRON_RENDERER_URL, as electron-vite passes it, when not given', async () => {
    const saved = process.env['ELECTRON_RENDERER_URL']
    process.env['ELECTRON_RENDERER_URL'] = DEV
    try {
      expect((await installedHeaders(undefined)(`${DEV}/`, {}))['Content-Security-Policy']).toBe(devCsp(DEV))
    } finally {
      if (saved === undefined) delete process.env['ELECTRON_RENDERER_URL']
      else process.env['ELECTRON_RENDERER_URL'] = saved
    }
  })
})
