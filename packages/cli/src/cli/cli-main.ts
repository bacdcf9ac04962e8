// The CLI's entry: parse, run one command with its context, turn any error into one clear line (or a
// JSON error document with --json) and a documented exit code. Connections are always closed.

import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { isFerryError } from '@ferry/core';
import { configPath, loadConfig } from '../config/load-config.js';
import { CliOutput } from '../output/cli-output.js';
import { ExitCode } from '../output/exit-codes.js';
import { errorIssues } from '../output/error-issues.js';
import { exitCodeFor, formatError, scrubSecrets } from '../output/format-error.js';
import { CliSession } from '../session/cli-session.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { buildProgram, type GlobalFlags } from './program-build.js';
import { abortOnSignals } from './signals.js';

/** The process pieces the CLI uses; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/**
 * Runs `ferry` with the given arguments (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const dispatch = async <O>(handler: CommandHandler<O>, options: O, flags: GlobalFlags): Promise<void> => {
    const out = new CliOutput({
      json: flags.json === true,
      quiet: flags.quiet === true,
      verbose: flags.verbose === true,
      stack: flags.stack === true,
      logFormat: flags.logFormat ?? 'text',
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
    });
    const signals = abortOnSignals((name) =>
      out.note(`${name}: stopping safely (press Ctrl-C again to quit at once)...`),
    );
    let session: CliSession | undefined;
    const context: CommandContext = {
      out,
      signal: signals.signal,
      env: io.env,
      cwd: io.cwd,
      session: async () => {
        session ??= new CliSession(await loadConfig(configPath(flags.config, io.cwd)), io.env);
        return session;
      },
    };
    try {
      exitCode = await handler(context, options);
    } catch (error) {
      exitCode = exitCodeFor(error);
      out.error(out.paint('red', formatError(error, { stack: out.options.stack })));
      if (out.options.json)
        out.json({ ok: false, exitCode, error: errorJson(error), issues: errorIssues(error) });
    } finally {
      signals.dispose();
      await session?.close();
    }
  };
  const program = buildProgram(dispatch);
  // Every command, not only the program: commander does not pass these to subcommands already added,
  // and a subcommand's usage error would otherwise exit the process with 1 instead of returning 2.
  const commands: Command[] = [program];
  for (let i = 0; i < commands.length; i++) {
    commands[i]!.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    commands.push(...commands[i]!.commands);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const help =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return help ? ExitCode.ok : ExitCode.usage;
    }
    throw error;
  }
  return exitCode;
}

function errorJson(error: unknown): Record<string, unknown> {
  if (isFerryError(error)) return { ...error.toJSON(), message: scrubSecrets(error.message) };
  return { message: scrubSecrets(error instanceof Error ? error.message : String(error)) };
}
