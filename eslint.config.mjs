// Lint = code quality + the dependency rules of docs/ARCHITECTURE.md (import boundaries).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'os', 'net', 'http', 'crypto']

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'test/fixtures/lint-cases/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // Rule 2: the core never reaches up into the Electron shell or the renderer.
            { target: './src-main/core', from: './src-main/app', message: 'core must not import the Electron shell (src-main/app).' },
            { target: './src-main/core', from: './src-renderer', message: 'core must not import the renderer.' },
            { target: './src-main/cli', from: './src-main/app', message: 'the CLI must not import the Electron shell.' },
            // Rule 4: the renderer talks to main only through the bridge contract.
            { target: './src-renderer', from: './src-main', message: 'the renderer reaches main only through src-preload/contract.ts.' },
            { target: './src-renderer', from: './src-preload', except: ['./contract.ts'], message: 'the renderer may import only the contract from src-preload.' },
            // Rule 5: inside core, lower layers never point back up.
            { target: ['./src-main/core/agents', './src-main/core/git', './src-main/core/store', './src-main/core/auth', './src-main/core/config', './src-main/core/log'], from: ['./src-main/core/tasks', './src-main/core/server', './src-main/core/tool-api', './src-main/core/web', './src-main/core/bridge', './src-main/core/start.ts'], message: 'lower core layers must not import tasks, server, tool-api, web, bridge or start.' },
            { target: './src-main/core/tasks', from: ['./src-main/core/server', './src-main/core/tool-api', './src-main/core/web', './src-main/core/bridge'], message: 'tasks must not import server, tool-api, web or bridge.' },
          ],
        },
      ],
    },
  },
  {
    // Rules 2 and 3: only the shell (src-main/app, src-main/index.ts) may import electron.
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/daemon.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/app and src-main/index.ts may import electron: the core runs under plain Node.' }] }],
    },
  },
  {
    // ChildProcess.kill on a child whose spawn failed (EMFILE) signals our own process group.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/core/agents/kill-child.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='kill']:not([callee.object.name='process']):not([callee.object.property.name='pty']):not([callee.object.name='pty'])", message: 'Signal a child through killChild (src-main/core/agents/kill-child.ts): ChildProcess.kill after a failed spawn signals our own process group.' }],
    },
  },
  {
    // Build scripts are plain Node ESM.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // Rule 1: the contract imports only zod (and its own shapes file, which imports only zod).
    files: ['src-preload/contract.ts', 'src-preload/contract-shapes.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\./contract-shapes$).*', message: 'The contract imports only zod.' }] }],
    },
  },
  {
    // Rule 4: the renderer is a web page: no Node, no electron.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The renderer uses window.makima, never electron.' }], patterns: [{ group: nodeBuiltins, message: 'The renderer runs in a sandbox: no Node built-ins.' }] }],
    },
  },
)
