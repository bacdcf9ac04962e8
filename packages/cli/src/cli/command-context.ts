// What every command handler receives: the output, the session over the loaded config, the abort
// signal (Ctrl-C) and the process environment.

import type { ExitCodeValue } from '../output/exit-codes.js';
import type { CliOutput } from '../output/cli-output.js';
import type { CliSession } from '../session/cli-session.js';

/** The context of one command invocation. */
export interface CommandContext {
  readonly out: CliOutput;
  /** Loads the config (once) and opens a session over it. */
  session(): Promise<CliSession>;
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** A command handler: does its work, prints, returns the exit code. */
export type CommandHandler<O> = (context: CommandContext, options: O) => Promise<ExitCodeValue>;
