// The native folder picker behind `pickDirectory`: the dialog is asked for one folder, attached to
// the window when there is one, and a cancelled dialog answers null.
import type { BrowserWindow, OpenDialogOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { folderDialogHandlers, type FolderDialog } from '../../../src-main/app/folder-dialog'

function stubDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const calls: { parent: boolean; options: OpenDialogOptions }[] = []
  const dialog = {
    showOpenDialog: (a: BrowserWindow | OpenDialogOptions, b?: OpenDialogOptions) => {
      calls.push(b ? { parent: true, options: b } : { parent: false, options: a as OpenDialogOptions })
      return Promise.resolve(answer)
    },
  } as FolderDialog
  return { dialog, calls }
}

describe('folderDialogHandlers', () => {
  it('asks for one folder, attached to the window, and returns its path', async () => {
    const { dialog, calls } = stubDialog({ canceled: false, filePaths: ['/home/me/code/app'] })
    const h = folderDialogHandlers(dialog, () => ({}) as BrowserWindow)
    expect(await h.pickDirectory!(undefined)).toEqual({ path: '/home/me/code/app' })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.parent).toBe(true)
    expect(calls[0]!.options.properties).toContain('openDirectory')
    expect(calls[0]!.options.properties).not.toContain('multiSelections')
  })

  it('answers null when the user cancels, and works with no window', async () => {
    const { dialog, calls } = stubDialog({ canceled: true, filePaths: [] })
    const h = folderDialogHandlers(dialog, () => null)
    expect(await h.pickDirectory!({ title: 'Pick' })).toEqual({ path: null })
    expect(calls[0]).toMatchObject({ parent: false, options: { title: 'Pick' } })
  })
})
