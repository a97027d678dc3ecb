// Messages written for a terminal ("Please run /login", "run 'claude /login' on the daemon machine")
// reach the window from the agent and the core; a window user signs in with the banner instead.
const RUN_LOGIN = /Please run\s+['"`]?(?:claude\s+)?\/login['"`]?(?:\s+on the daemon machine)?\.?/gi

export const SIGN_IN_HINT = 'Sign in with the Sign in button at the top of the window.'

export function forGui(message: string): string {
  return message.replace(RUN_LOGIN, SIGN_IN_HINT)
}
