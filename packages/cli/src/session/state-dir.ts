// The state folder of a session: file checkpoints, the file run lock, the ids a target assigns.

import type { CliSession } from './cli-session.js';

/** The config's `state.dir` (file state), else `.ferry/state`, relative to the config file. */
export function stateDir(session: CliSession): string {
  const state = session.loaded.config.state;
  return session.path(state?.kind === 'file' ? state.dir : '.ferry/state');
}
