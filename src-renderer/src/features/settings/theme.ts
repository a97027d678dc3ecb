// The theme: dark, light, or the system's. Kept on <html data-theme> (the CSS picks its colours from
// it) and remembered in localStorage, so a reload paints the right colours before the core answers.
import { THEMES, type Theme } from '../../../../src-preload/contract'

const KEY = 'makima.theme'

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme
  try {
    localStorage.setItem(KEY, theme)
  } catch {
    // storage disabled: the core's answer still applies it on the next load
  }
}

/** The theme last applied in this browser, until the core's settings arrive. */
export function cachedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY)
    return (THEMES as readonly string[]).includes(t ?? '') ? (t as Theme) : 'dark'
  } catch {
    return 'dark'
  }
}
