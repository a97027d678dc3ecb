import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `electron` cannot load under plain Node (its binary is never downloaded here): tests get a stub.
    alias: { electron: resolve(dirname(fileURLToPath(import.meta.url)), 'test/fixtures/electron-stub.ts') },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A missing Chromium, bubblewrap or Claude CLI fails the run with what to install.
    globalSetup: ['test/setup/tools.ts'],
  },
})
