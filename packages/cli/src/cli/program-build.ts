// The `ferry` command line: global flags, one sub-command per step of a migration, each handler
// returning its documented exit code. Parsing only; the work is in ../commands, loaded on use.

import { Command, Option } from 'commander';
import { INIT_SOURCES, INIT_TARGETS } from '../init/starter-config.js';
import { cliVersion } from './cli-version.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { letYoungGenerationGrow } from './young-generation.js';

/** The global flags. */
export interface GlobalFlags {
  readonly config?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly stack?: boolean;
  readonly logFormat?: 'text' | 'json';
}

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the command or run failed
  2  usage error, invalid config or mapping, unknown entity
  3  findings: check found inconsistencies, assess found blocking patterns, verify found mismatches,
     diff found differences, run refused to start on check findings (pass --skip-check to start anyway)
  4  the run was aborted (Ctrl-C) and can be resumed with \`ferry run\`
  5  a database or endpoint could not be reached or refused the credentials
  6  the run is locked: another process is running this run id
  7  a login may not read a table or column it needs (named): grant it SELECT`;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const entityOption = (): Option =>
  new Option('-e, --entity <name>', 'only this entity, e.g. Sales.Order (repeatable)').argParser(collect);

/**
 * Builds the program. `dispatch` runs a handler with the context built from the global flags and
 * records its exit code.
 */
export function buildProgram(
  dispatch: <O>(handler: CommandHandler<O>, options: O, flags: GlobalFlags) => Promise<void>,
): Command {
  const program = new Command('ferry')
    .description('Ferry: move OutSystems 11 application data into ODC (PostgreSQL or REST), resumably.')
    .version(cliVersion(), '-V, --version', 'print the version of ferry')
    .option(
      '-c, --config <file>',
      'config file (default: ferry.config.json, .ts or .js in the current folder)',
    )
    .option('--json', 'print one JSON document on stdout instead of text')
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'print details (each checkpoint, skipped entities)')
    .option('--stack', 'print stack traces and causes of errors')
    .addOption(
      new Option(
        '--log-format <format>',
        'stderr as text, or one JSON object per line (time, level, event, runId, entity)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run `ferry --help` for usage)');
  // Each handler is imported when its command runs: a `run` does not hold the code (and the drivers)
  // of `demo` (an embedded PostgreSQL), `assess`, `users` or `verify` (see the README on memory).
  // Start-up is over once a handler runs, except for `run`, which lets the young generation grow itself
  // after its own start-up (catalog, mapping, model check): see young-generation.ts.
  const action = <O>(load: () => Promise<CommandHandler<O>>, young: 'grow' | 'run' = 'grow') =>
    async function (this: Command, options: O): Promise<void> {
      if (young === 'grow') letYoungGenerationGrow();
      await dispatch(await load(), options, this.optsWithGlobals<GlobalFlags>());
    };
  program
    .command('init')
    .description('write a commented starter config (ferry.config.ts) for a source and a target kind')
    .option('--source <kind>', `the O11 database: ${INIT_SOURCES.join(', ')}`)
    .option('--target <kind>', `where rows go: ${INIT_TARGETS.join(', ')}`)
    .option('-o, --out <file>', 'file to write (default ferry.config.ts; a .json name writes plain JSON)')
    .option('--force', 'overwrite an existing file')
    .action(action(async () => (await import('../init/init-command.js')).initCommand()));
  program
    .command('discover')
    .description('read the O11 catalog and write a starter mapping file')
    .option(
      '-o, --out <file>',
      "mapping file to write (default: the config's mapping, or ferry.mapping.json)",
    )
    .option('--force', 'overwrite an existing mapping file')
    .option('--include-static', 'also map static entities as data')
    .option('--suggest-masks', 'propose masks for personal-looking attributes (to review)')
    .action(action(async () => (await import('../commands/discover-command.js')).discoverCommand));
  program
    .command('assess')
    .description('find O11 data patterns that block an ODC migration')
    .addOption(entityOption())
    .action(action(async () => (await import('../commands/assess-command.js')).assessCommand));
  program
    .command('check')
    .description('model check: O11 catalog and mapping against the target tables')
    .addOption(entityOption())
    .action(action(async () => (await import('../commands/check-command.js')).checkCommand));
  program
    .command('plan')
    .description('print the ordered plan with passes and row estimates (writes nothing)')
    .addOption(entityOption())
    .action(action(async () => (await import('../commands/plan-command.js')).planCommand));
  program
    .command('run')
    .description('run or resume the migration (Ctrl-C aborts safely; run again to resume)')
    .addOption(entityOption())
    .option('--run <id>', 'run id (default: the config\'s runId, or "default")')
    .option(
      '--skip-check',
      'start even when the model check has findings (otherwise exit 3); user references without users still refuse',
    )
    .option(
      '--distributed',
      "send the run's pipelines as jobs to `ferry worker` processes (any host) and follow them; moves no row itself",
    )
    .action(action(async () => (await import('../commands/run-command.js')).runCommand, 'run'));
  program
    .command('worker')
    .description(
      'take jobs of a distributed run (`run --distributed`) until it is complete; Ctrl-C gives the job back',
    )
    .option('--run <id>', 'run id (default: the config\'s runId, or "default")')
    .action(action(async () => (await import('../commands/worker-command.js')).workerCommand, 'run'));
  program
    .command('users')
    .description('O11 end users, roles and groups into ODC (plan; --apply writes and saves the user map)')
    .option('--apply', 'create the users, grant the roles, fill the groups, write the user map')
    .action(action(async () => (await import('../commands/users-command.js')).usersCommand));
  program
    .command('status')
    .description('show the checkpoints of a run (with -e: of those entities, as `run -e` ran them)')
    .option('--run <id>', 'run id')
    .addOption(entityOption())
    .action(action(async () => (await import('../commands/status-command.js')).statusCommand));
  program
    .command('report')
    .description('write one self-contained HTML page of a run (entities, rejects, notes, verification)')
    .option('--run <id>', "run id (default: the config's runId)")
    .option('-o, --out <file>', 'HTML file (default: .ferry/<runId>.report.html beside the run report)')
    .action(action(async () => (await import('../commands/report-command.js')).reportCommand));
  program
    .command('verify')
    .description('compare counts and checksums of mapped source and target per entity')
    .addOption(entityOption())
    .action(action(async () => (await import('../commands/verify-command.js')).verifyCommand));
  program
    .command('diff')
    .description('list the keys that differ between the mapped source and the target (range checksums)')
    .addOption(entityOption())
    .option('--keys-file <path>', 'write every differing key to this file (NDJSON: entity, kind, key)')
    .action(action(async () => (await import('../commands/diff-command.js')).diffCommand));
  program
    .command('sync')
    .description(
      'catch up before cutover: diff, then upsert the new and changed rows and delete the gone ones',
    )
    .addOption(entityOption())
    .addOption(
      new Option(
        '--deletes <policy>',
        'target rows gone from the source: delete, keep, or report (keep and list)',
      )
        .choices(['delete', 'keep', 'report'])
        .default('delete'),
    )
    .option('--diff-file <file>', 'apply this diff (`ferry diff --json`) instead of diffing now')
    .action(action(async () => (await import('../commands/sync-command.js')).syncCommand));
  program
    .command('reset')
    .description("forget a run's checkpoints (target rows stay)")
    .option('--run <id>', 'run id')
    .option('--yes', 'confirm')
    .option('--truncate', "also empty the run's mapped target tables, in one transaction (postgres)")
    .action(action(async () => (await import('../commands/reset-command.js')).resetCommand));
  program
    .command('demo')
    .description('migrate a generated O11 sample (SQLite) into an embedded PostgreSQL and verify it')
    .option(
      '--rows <n>',
      'rows of Product and Order (about 6x in total)',
      (v) => Number.parseInt(v, 10),
      16_000,
    )
    .option('--keep', 'keep the temporary folder')
    .action(action(async () => (await import('../demo/demo-command.js')).demoCommand));
  return program;
}

export type { CommandContext };
