// In-app login for the agent CLI: detect auth errors in agent output, run `setup-token` in a PTY,
// take the pasted code, keep the token, list the tasks to restart. See auth-service.ts for the
// calls the task manager, the bridge and the server dispatch make.
export { AuthErrorWatch, detectAuthError, matchText, type AuthCheckLine, type AuthErrorMatch, type AuthErrorReason } from './detect'
export { AnsiStripper, stripAnsi, stripBoxDrawing } from './ansi'
export { findInVisibleText, findLoginUrl } from './login-url'
export { LoginFlow, PTY_COLUMNS, PTY_ROWS, type LoginFlowOptions } from './login-flow'
export { fallbackNotice, type AuthenticationRequired, type LoginFailure, type LoginStartOutcome, type LoginState, type SubmitCodeOutcome } from './login-state'
export { AuthFailedTasks, FileTokenStore, MemoryTokenStore, TOKEN_FILE_NAME, agentAuthEnv, type AuthFailedTask, type TokenStore } from './token-store'
export { AUTH_CODE_PREFIX, AuthService, parseAuthCodeMessage, type AuthServiceOptions, type RestartOutcome } from './auth-service'
export { spawnPty, type PtyLike, type PtySpawner, type PtySpawnOptions } from './pty'
export { realTimers, type Timers } from './timers'
export { serverLoginPort, taskAuthPort, type ServerLoginPort, type TaskAuthPort } from './ports'
