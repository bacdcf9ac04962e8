// `ferry verify`: per entity, the count and order-independent checksum of the mapped source against
// the target table (by @ferry/adapters/migration's verifyMigration); any mismatch exits `findings`
// and, for integer keys, names the differing keys (never their values).

import type { VerifyReport } from '@ferry/adapters/migration';
import type { CommandHandler } from '../cli/command-context.js';
import { ExitCode } from '../output/exit-codes.js';
import type { CliOutput } from '../output/cli-output.js';
import { formatCount, textTable } from '../output/text-table.js';
import type { CliSession } from '../session/cli-session.js';
import { runFiles } from '../report/run-files.js';
import { recordVerify } from '../report/verify-record.js';
import { kinds } from '../kinds/kinds.js';

/** Options of `ferry verify`. */
export interface VerifyOptions {
  readonly entity?: readonly string[];
}

/** Verifies the session's migration; shared with the demo. */
export async function verifySession(
  session: CliSession,
  entities: readonly string[],
  signal: AbortSignal,
): Promise<VerifyReport> {
  const target = session.loaded.config.target;
  // A kind that declares `verify` has the ability (checked when it registers).
  return kinds.targetFor('verify', target).verify!(session, target, entities, signal);
}

/** Prints a verification report. */
export function printVerify(out: CliOutput, report: VerifyReport): void {
  out.line(
    textTable(
      ['entity', 'table', 'source rows', 'target rows', 'checksum', 'result'],
      report.entities.map((e) => [
        e.entity,
        e.table,
        formatCount(e.source.rows),
        formatCount(e.target.rows),
        e.target.checksum.slice(0, 16),
        e.ok ? out.paint('green', 'ok') : out.paint('red', 'MISMATCH'),
      ]),
      new Set([2, 3]),
    ),
  );
  for (const entity of report.entities.filter((e) => !e.ok && e.differences !== undefined)) {
    const d = entity.differences!;
    const keys = (list: readonly (readonly string[])[]): string =>
      list.map((k) => k.join('/')).join(', ') || '-';
    out.line(
      `${entity.entity}: missing keys ${keys(d.missing)}; unexpected ${keys(d.unexpected)}; changed ${keys(d.changed)}${d.truncated ? ' (more not listed)' : ''}`,
    );
  }
}

/** `ferry verify`. */
export const verifyCommand: CommandHandler<VerifyOptions> = async (context, options) => {
  const session = await context.session();
  kinds.targetFor('verify', session.loaded.config.target);
  const entities = await session.entityNames(options.entity);
  const report = await verifySession(session, entities, context.signal);
  // Kept for `ferry report`, which shows the last verification of the run without a database.
  await recordVerify(runFiles(session, session.runId).verify, session.runId, report);
  const { out } = context;
  out.json({ command: 'verify', ...report });
  printVerify(out, report);
  const bad = report.entities.filter((e) => !e.ok).length;
  if (bad === 0) {
    out.line(
      out.paint(
        'green',
        `Verified: ${report.entities.length} entit${report.entities.length === 1 ? 'y' : 'ies'} match the mapped source.`,
      ),
    );
    return ExitCode.ok;
  }
  out.line(out.paint('red', `${bad} entit${bad === 1 ? 'y differs' : 'ies differ'} from the mapped source.`));
  return ExitCode.findings;
};
