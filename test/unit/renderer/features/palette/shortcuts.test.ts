// The shortcut table: no shown key is one the browser keeps, the bare keys ("/", "?") belong to the
// text field the user types in, and each shown shortcut is one the handler answers.
import { describe, expect, it } from 'vitest'
import { matchShortcut, SHORTCUTS, typingIn, type ShortcutId } from '../../../../../src-renderer/src/features/palette/shortcuts'

const press = (keys: Partial<{ key: string; code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...keys })

/** The key event a shown shortcut stands for. */
function eventFor(keys: string) {
  const parts = keys.split('+')
  const last = parts.at(-1)!
  const named: Record<string, { key: string; code: string }> = { '↓': { key: 'ArrowDown', code: 'ArrowDown' }, '↑': { key: 'ArrowUp', code: 'ArrowUp' }, ',': { key: ',', code: 'Comma' }, '/': { key: '/', code: 'Slash' } }
  const k = named[last] ?? { key: last.toLowerCase(), code: `Key${last.toUpperCase()}` }
  return press({ ...k, ctrlKey: parts.includes('Ctrl'), altKey: parts.includes('Alt') })
}

describe('shortcuts', () => {
  it('shows no key the browser keeps for itself', () => {
    for (const s of Object.values(SHORTCUTS)) expect(s.keys, s.label).not.toMatch(/^(Ctrl\+[NTW]|Ctrl\+Tab|Alt\+F|Alt\+[←→])$/)
  })

  it('every shown shortcut is answered by the handler', () => {
    for (const [id, s] of Object.entries(SHORTCUTS)) expect(matchShortcut(eventFor(s.keys), false), s.keys).toBe(id as ShortcutId)
  })

  it('bare keys are text while typing; the browser keys are left alone', () => {
    expect(matchShortcut(press({ key: '/', code: 'Slash' }), true)).toBeNull()
    expect(matchShortcut(press({ key: '?', code: 'Slash', shiftKey: true }), true)).toBeNull()
    expect(matchShortcut(press({ key: '?', code: 'Slash', shiftKey: true }), false)).toBe('help')
    expect(matchShortcut(press({ key: 't', code: 'KeyT', ctrlKey: true }), false)).toBeNull()
    expect(matchShortcut(press({ key: 'w', code: 'KeyW', ctrlKey: true }), false)).toBeNull()
    expect(typingIn({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true)
    expect(typingIn({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false)
  })
})
