// `ferry check`: the model check before a run. Source catalog and mapping, then mapping and target
// tables; any inconsistency is listed with entity, attribute, expected and actual, exit `findings`.
// JSON sources are checked for their files; ndjson and ODC targets only for what they cannot take.

import type { CommandHandler } from '../cli/command-context.js';
import { collectCheckFindings, printFindings } from '../check/check-findings.js';
import { ExitCode } from '../output/exit-codes.js';

/** Options of `ferry check`. */
export interface CheckOptions {
  readonly entity?: readonly string[];
}

/** Checks source, mapping and target against each other. */
export const checkCommand: CommandHandler<CheckOptions> = async (context, options) => {
  const session = await context.session();
  const { config } = session.loaded;
  const names = new Set(await session.entityNames(options.entity));
  const findings = await collectCheckFindings(session, names);
  const { out } = context;
  if (session.targetKind.tableCheck === undefined)
    out.note(`target.kind "${config.target.kind}" has no tables to compare: only the mapping was checked.`);
  out.json({ command: 'check', ok: findings.length === 0, entities: [...names], findings });
  if (findings.length === 0) {
    out.line(
      out.paint(
        'green',
        `Model check passed: ${names.size} entit${names.size === 1 ? 'y' : 'ies'} consistent.`,
      ),
    );
    return ExitCode.ok;
  }
  printFindings(out, findings);
  return ExitCode.findings;
};
