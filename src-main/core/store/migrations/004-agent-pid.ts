// 004: the agent process of a running task (pid and its /proc identity: boot id + start time), so a
// core started after a crash can end an agent that outlived the old core before resuming the task,
// without ever killing an unrelated process that got the same pid.
export const sql = `
ALTER TABLE tasks ADD COLUMN agent_pid INTEGER;
ALTER TABLE tasks ADD COLUMN agent_identity TEXT;  -- "<boot id>:<start time in clock ticks>"
`
