// 006: which agent CLI runs the task (claude, codex, gemini) and its usage in one shape for every
// agent: tokens in/out/cached and cost in USD when the agent reports one.
export const sql = `
ALTER TABLE tasks ADD COLUMN agent TEXT;                 -- NULL: claude (tasks from before 005)
ALTER TABLE tasks ADD COLUMN input_tokens INTEGER;
ALTER TABLE tasks ADD COLUMN output_tokens INTEGER;
ALTER TABLE tasks ADD COLUMN cached_input_tokens INTEGER;
ALTER TABLE tasks ADD COLUMN cost_usd REAL;
`
