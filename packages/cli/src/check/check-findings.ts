// The model check as one function, shared by `ferry check` (which reports it) and `ferry run` (which
// refuses to start on any finding unless --skip-check): source catalog, source keys and users against
// the mapping, then the mapping against the real target tables.

import type { CliOutput } from '../output/cli-output.js';
import { textTable } from '../output/text-table.js';
import type { CliSession } from '../session/cli-session.js';
import type { CheckFinding } from './model-check.js';
import { checkSource } from './model-check.js';
import { sourceKeyFindings } from './source-keys.js';
import { userSourceFindings } from './user-source.js';

/**
 * Every inconsistency of the entities `names` (mapping names): source catalog, duplicate source keys,
 * user references without a users source, target tables. Throws what the mapping cannot do at all
 * (a missing JSON file, a cycle into files or ODC). Reads the source's metadata and keys, never rows.
 */
export async function collectCheckFindings(
  session: CliSession,
  names: ReadonlySet<string>,
): Promise<CheckFinding[]> {
  const { config } = session.loaded;
  const compiled = await session.compiled();
  const findings: CheckFinding[] = [];
  const chosen = compiled.entities.filter((e) => names.has(e.name));
  // What the kinds cannot do at all: a JSON source's missing file, a cycle into files or ODC.
  await session.sourceKind.refuse?.(session, config.source, chosen);
  session.targetKind.refuse?.(config.target, chosen);
  const catalog = session.hasCatalog ? await session.catalog() : undefined;
  const tableCheck = await session.targetKind.tableCheck?.(session, config.target, compiled);
  if (catalog !== undefined) findings.push(...(await sourceKeyFindings(session, chosen)));
  findings.push(...(await userSourceFindings(session, chosen, compiled.spec)));
  for (const entity of chosen) {
    if (catalog !== undefined) findings.push(...checkSource(entity, catalog));
    if (tableCheck !== undefined) findings.push(...(await tableCheck(entity)));
  }
  return findings;
}

/** Prints findings as a table (kind, entity, attribute, expected, actual) and the count. */
export function printFindings(out: CliOutput, findings: readonly CheckFinding[]): void {
  out.line(
    textTable(
      ['kind', 'entity', 'attribute', 'expected', 'actual'],
      findings.map((f) => [f.kind, f.entity, f.attribute ?? '-', f.expected, f.actual]),
    ),
  );
  out.line(
    out.paint('red', `${findings.length} data model inconsistenc${findings.length === 1 ? 'y' : 'ies'}.`),
  );
}
