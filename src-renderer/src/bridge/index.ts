// The renderer's only way to main: window.makima inside Electron, a WebSocket in a plain browser
// (the headless daemon's web UI). Both implement the same contract.
import type { MakimaApi } from '../../../src-preload/contract'
import { createWebBridge } from './web'

declare global {
  interface Window {
    makima?: MakimaApi
  }
}

let bridge: MakimaApi | null = null

export function getBridge(): MakimaApi {
  if (!bridge) bridge = window.makima ?? createWebBridge(new URL('/bridge', window.location.href.replace(/^http/, 'ws')).toString())
  return bridge
}
