// 005: where a task's branch was merged (the "merged" badge) and when the user archived it (kept
// out of the default list; its branch stays, its worktree is gone).
export const sql = `
ALTER TABLE tasks ADD COLUMN merged_into TEXT;
ALTER TABLE tasks ADD COLUMN archived_at TEXT;
`
