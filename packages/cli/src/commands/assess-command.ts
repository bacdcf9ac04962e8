// `ferry assess`: the O11 data patterns that block an ODC migration, as a report and an exit code
// (`findings` when any is found), so a pipeline can stop before moving a row.

import type { CommandHandler } from '../cli/command-context.js';
import { assessSource } from '../assess/assess-checks.js';
import { ExitCode } from '../output/exit-codes.js';
import { textTable } from '../output/text-table.js';
import { checkEntities } from '../session/cli-session.js';
import { kinds } from '../kinds/kinds.js';
import { duplicateKeys } from '../session/source-parts.js';
import { userSourceFindings } from '../check/user-source.js';

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Options of `ferry assess`. */
export interface AssessOptions {
  readonly entity?: readonly string[];
}

/** Runs the assessment over the source. */
export const assessCommand: CommandHandler<AssessOptions> = async (context, options) => {
  const session = await context.session();
  const kind = kinds.sourceFor('assess', session.loaded.config.source);
  const [db, catalog] = await Promise.all([session.source(), session.catalog()]);
  const names = options.entity ?? session.loaded.config.entities;
  if (names !== undefined)
    checkEntities(
      names,
      catalog.entities.map((e) => e.qualifiedName),
    );
  const report = await assessSource(db, catalog, names === undefined ? undefined : new Set(names));
  const findings = [...report.findings];
  const notes = [...report.notes];
  notes.push(...((await kind.assessNotes?.(session, session.loaded.config.source, db)) ?? []));
  // Keys come from the mapping (an entity without identifier is keyed there): checked when it compiles.
  try {
    const compiled = await session.compiled();
    const chosen = compiled.entities.filter((e) => names === undefined || names.includes(e.name));
    for (const d of await duplicateKeys(await session.sourceParts(), chosen))
      findings.push({
        check: 'duplicate-key',
        entity: d.entity,
        attribute: d.key.join(', '),
        rows: d.rows,
        message: `${d.keys} value(s) of the mapping's key are held by ${d.rows} rows`,
      });
    const users = await userSourceFindings(session, chosen, compiled.spec);
    if (users.length > 0)
      notes.push(
        `user references (${users.map((u) => `${u.entity}: ${u.attribute}`).join('; ')}), ${users[0]!.actual}: ` +
          'run `ferry users --apply` (users.odc) or set users.odcUsersFile, or choose users.unmatched; `run` refuses until then',
      );
  } catch (error) {
    notes.push(`duplicate keys not checked: the mapping does not compile (${errorMessage(error)})`);
  }
  const { out } = context;
  out.json({ command: 'assess', ok: findings.length === 0, findings, notes });
  // A check that could not run is said on stdout, next to the result it qualifies.
  for (const note of notes) out.line(out.paint('yellow', `note: ${note}`));
  if (findings.length === 0) {
    out.line(out.paint('green', 'No blocking data pattern found.'));
    return ExitCode.ok;
  }
  out.line(
    textTable(
      ['check', 'where', 'rows', 'finding'],
      findings.map((f) => [
        f.check,
        [f.module ?? f.entity, f.attribute].filter(Boolean).join('.') || '-',
        f.rows,
        f.message,
      ]),
      new Set([2]),
    ),
  );
  out.line(
    out.paint(
      'red',
      `${findings.length} finding(s): resolve them (or decide how to map them) before migrating.`,
    ),
  );
  return ExitCode.findings;
};
