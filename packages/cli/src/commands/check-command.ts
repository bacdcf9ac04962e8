// `ferry check`: the model check before a run. Source catalog and mapping, then mapping and target
// tables; any inconsistency is listed with entity, attribute, expected and actual, exit `findings`.
// JSON sources are checked for their files; ndjson and ODC targets only for what they cannot take.

import type { CommandHandler } from '../cli/command-context.js';
import type { CheckFinding } from '../check/model-check.js';
import { checkSource, checkTarget } from '../check/model-check.js';
import { introspectTable } from '../check/target-introspect.js';
import { ExitCode } from '../output/exit-codes.js';
import { textTable } from '../output/text-table.js';
import { jsonEntityFile } from '@ferry/adapters/json';
import { checkSinkTarget } from '../session/sink-plan.js';
import { sourceKeyFindings } from '../check/source-keys.js';

/** Options of `ferry check`. */
export interface CheckOptions {
  readonly entity?: readonly string[];
}

/** Checks source, mapping and target against each other. */
export const checkCommand: CommandHandler<CheckOptions> = async (context, options) => {
  const session = await context.session();
  const { config } = session.loaded;
  const compiled = await session.compiled();
  const names = new Set(await session.entityNames(options.entity));
  const findings: CheckFinding[] = [];
  const chosen = compiled.entities.filter((e) => names.has(e.name));
  // JSON sources: every entity's file must exist; ndjson and ODC targets: no cycles, no remap into files.
  if (config.source.kind === 'json')
    for (const entity of chosen) jsonEntityFile(session.path(config.source.dir), entity.name);
  if (config.target.kind !== 'postgres') checkSinkTarget(config.target, chosen);
  const catalog = config.source.kind === 'o11-sql' ? await session.catalog() : undefined;
  const pool = config.target.kind === 'postgres' ? await session.target() : undefined;
  const schemaOf = (table: { readonly schema?: string }): string => table.schema ?? 'public';
  const createTables = config.target.kind === 'postgres' && config.target.createTables === true;
  if (catalog !== undefined) findings.push(...(await sourceKeyFindings(session, chosen)));
  for (const entity of chosen) {
    if (catalog !== undefined) findings.push(...checkSource(entity, catalog));
    if (pool === undefined) continue;
    const actual = await introspectTable(pool, schemaOf(entity.table), entity.table.table);
    // With createTables, `run` creates a missing table from the mapping, so it is no inconsistency.
    if (actual === undefined && createTables) continue;
    findings.push(...checkTarget(entity, actual, compiled, schemaOf));
  }
  const { out } = context;
  if (config.target.kind !== 'postgres')
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
  out.line(
    textTable(
      ['kind', 'entity', 'attribute', 'expected', 'actual'],
      findings.map((f) => [f.kind, f.entity, f.attribute ?? '-', f.expected, f.actual]),
    ),
  );
  out.line(
    out.paint('red', `${findings.length} data model inconsistenc${findings.length === 1 ? 'y' : 'ies'}.`),
  );
  return ExitCode.findings;
};
