// Through the Electron seam (the built preload and renderer, the real IPC wiring, a real core in
// 'electron' mode): New task offers Browse…, the folder chosen in the native dialog (the app's
// folderDialogHandlers over a dialog that answers like Electron's) fills the repository field and is
// checked at once — a real repository passes, a plain folder is refused inline.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserWindow, OpenDialogOptions } from 'electron'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { folderDialogHandlers, type FolderDialog } from '../../../src-main/app/folder-dialog'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { startSeamApp, type SeamApp } from '../../fixtures/electron-seam'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'

const dirs = new TempDirs()
let app: SeamApp
let answer: string | null = null
const asked: OpenDialogOptions[] = []

describe.runIf(hasChromium && claudeAvailable())('the native folder dialog through the Electron seam', () => {
  beforeAll(async () => {
    const dialog = {
      showOpenDialog: (a: BrowserWindow | OpenDialogOptions, b?: OpenDialogOptions) => {
        asked.push(b ?? (a as OpenDialogOptions))
        return Promise.resolve(answer ? { canceled: false, filePaths: [answer] } : { canceled: true, filePaths: [] })
      },
    } as FolderDialog
    app = await startSeamApp({ handlers: folderDialogHandlers(dialog, () => null) })
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    dirs.cleanup()
  })

  it('Browse… fills the repository with the chosen folder and checks it', async () => {
    const { page } = app
    await page.locator('[data-testid="new-task"]').click()
    const browse = page.locator('[data-testid="browse-repo"]')
    await expect.poll(() => browse.count(), { timeout: 15_000 }).toBe(1)
    const field = page.getByLabel('Repository', { exact: true })

    answer = null // cancelled: nothing changes
    await browse.click()
    await expect.poll(() => asked.length, { timeout: 15_000 }).toBe(1)
    expect(asked[0]!.properties).toContain('openDirectory')
    expect(await field.inputValue()).toBe('')

    const plain = join(dirs.make('makima-plain-'), 'just-a-folder')
    mkdirSync(plain)
    answer = plain
    await browse.click()
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe(plain)
    await expect.poll(() => page.locator('[data-testid="repo-error"]').textContent(), { timeout: 15_000 }).toContain('is not a git repository')

    const repo = makeRepo(dirs)
    answer = repo
    await browse.click()
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe(repo)
    await expect.poll(() => page.locator('[data-testid="repo-error"]').count(), { timeout: 15_000 }).toBe(0)
    expect(app.problems()).toEqual([])
  })
})
