// A supervisor's key spawns only in its own contract's repository (issue 12, item 5), over the real
// tool API: naming another repository — another contract's, or any other on the machine — is
// refused with a clear error and nothing is spawned; the same repository under another spelling
// (a trailing slash, a symlink) and no repository at all are accepted.
import { execFileSync } from 'node:child_process'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { git, makeControlHarness, type ControlHarness } from './harness'

let h: ControlHarness

beforeEach(async () => {
  h = await makeControlHarness()
})
afterEach(async () => {
  await h.close()
})

function otherRepo(name: string): string {
  const repo = join(h.root, name)
  execFileSync('git', ['init', '-q', '--initial-branch=main', repo])
  git(repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'initial')
  return repo
}

async function spawnAs(key: string, contractId: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.api.url}/api/v1/contracts/${contractId}/tasks`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe("a supervisor's scope", () => {
  it("refuses a spawn into another contract's repository, or any other repository", async () => {
    const mine = await h.contract('simple', 'Mine')
    const theirs = otherRepo('theirs')
    const r = await h.plane.createContract({ name: 'Theirs', goal: 'g', type: 'simple', repoUrl: theirs })
    if (!r.ok) throw new Error(r.message)
    const before = h.port.spawned.length
    for (const repoUrl of [theirs, otherRepo('elsewhere'), 'https://example.com/other/repo.git', 'new://fresh']) {
      const res = await spawnAs(mine.key, mine.contractId, { name: 'Escape', plan: 'work elsewhere', repoUrl })
      expect(res).toEqual({
        status: 403,
        body: { error: { code: 'forbidden', message: `A supervisor spawns tasks only in its contract's repository (${h.repo}); ${repoUrl} is another repository. Leave out --repo to use the contract's.` } },
      })
    }
    expect(h.port.spawned.length).toBe(before)
  })

  it('accepts its own repository, however it is spelled, and a spawn that names none', async () => {
    const mine = await h.contract('simple', 'Mine')
    const link = join(h.root, 'link-to-repo')
    symlinkSync(h.repo, link)
    for (const repoUrl of [undefined, h.repo, `${h.repo}/`, link]) {
      const res = await spawnAs(mine.key, mine.contractId, { name: 'Inside', plan: 'work here', ...(repoUrl ? { repoUrl } : {}) })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(h.port.spawned.at(-1)).toMatchObject({ repoUrl: h.repo, contractId: mine.contractId })
    }
  })
})
