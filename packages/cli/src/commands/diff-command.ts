// `ferry diff`: per entity, the keys only in the mapped source, only in the target, and changed (by
// @ferry/adapters/migration's diffMigration: range checksums inside both databases, bisected). A table
// of counts, the first keys of each kind, `--json`, and `--keys-file` for every key (NDJSON).

import { once } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import { isEqual, type DiffKey, type DiffReport, type EntityDiff } from '@ferry/adapters/migration';
import type { CommandHandler } from '../cli/command-context.js';
import { kinds } from '../kinds/kinds.js';
import type { CliOutput } from '../output/cli-output.js';
import { ExitCode } from '../output/exit-codes.js';
import { formatCount, textTable } from '../output/text-table.js';
import { createOptionFile } from '../session/option-file.js';

/** Options of `ferry diff`. */
export interface DiffOptions {
  readonly entity?: readonly string[];
  /** Write every differing key to this file: one JSON line `{ entity, kind, key }` each. */
  readonly keysFile?: string;
}

/** The kinds of difference, as the keys file and the JSON name them. */
const KINDS = ['onlyInSource', 'onlyInTarget', 'changed', 'duplicates'] as const;
/** Keys printed per entity and kind in the text output. */
const SHOWN = 10;

const listOf = (entity: EntityDiff, kind: (typeof KINDS)[number]): readonly DiffKey[] =>
  (kind === 'duplicates' ? entity.duplicates : entity[kind]) ?? [];

const differs = (entity: EntityDiff): boolean => !isEqual(entity);

/** Writes every differing key as NDJSON, streamed (memory stays flat whatever the count). */
async function writeKeys(file: FileHandle, report: DiffReport): Promise<number> {
  const out = file.createWriteStream({ encoding: 'utf8' });
  let written = 0;
  for (const entity of report.entities)
    for (const kind of KINDS)
      for (const key of listOf(entity, kind)) {
        written++;
        if (!out.write(`${JSON.stringify({ entity: entity.entity, kind, key })}\n`)) await once(out, 'drain');
      }
  out.end();
  await once(out, 'finish');
  return written;
}

/** Prints a diff report: one table line per entity, then the first keys of each kind. */
export function printDiff(out: CliOutput, report: DiffReport): void {
  out.line(
    textTable(
      [
        'entity',
        'table',
        'source rows',
        'target rows',
        'only in source',
        'only in target',
        'changed',
        'method',
        'result',
      ],
      report.entities.map((e) => [
        e.entity,
        e.table,
        formatCount(e.sourceRows),
        formatCount(e.targetRows),
        formatCount(e.onlyInSource.length + (e.duplicates?.length ?? 0)),
        formatCount(e.onlyInTarget.length),
        formatCount(e.changed.length),
        e.method ?? '',
        differs(e) ? out.paint('red', 'DIFFERENT') : out.paint('green', 'equal'),
      ]),
      new Set([2, 3, 4, 5, 6]),
    ),
  );
  for (const entity of report.entities) {
    if (entity.fallback !== undefined)
      out.note(`${entity.entity}: source mapped in Node (its rows were read) because ${entity.fallback}`);
    for (const kind of KINDS) {
      const keys = listOf(entity, kind);
      if (keys.length === 0) continue;
      const more = keys.length > SHOWN ? ` (and ${formatCount(keys.length - SHOWN)} more: --keys-file)` : '';
      out.line(
        `${entity.entity} ${kind}: ${keys
          .slice(0, SHOWN)
          .map((k) => k.join('/'))
          .join(', ')}${more}`,
      );
    }
  }
}

/** `ferry diff`. */
export const diffCommand: CommandHandler<DiffOptions> = async (context, options) => {
  const session = await context.session();
  const target = session.loaded.config.target;
  const kind = kinds.targetFor('diff', target);
  const entities = await session.entityNames(options.entity);
  const file = options.keysFile === undefined ? undefined : session.path(options.keysFile);
  // Created before the diff, so a path that cannot be written fails at once (FERRY_INPUT_FILE).
  const handle = file === undefined ? undefined : await createOptionFile('--keys-file', file);
  let report: DiffReport;
  try {
    // A kind that declares `diff` has the ability (checked when it registers).
    report = await kind.diff!(session, target, entities, context.signal);
  } catch (error) {
    await handle?.close();
    throw error;
  }
  const { out } = context;
  const written = handle === undefined ? 0 : await writeKeys(handle, report);
  out.json({ command: 'diff', ...report, ...(file === undefined ? {} : { keysFile: file }) });
  printDiff(out, report);
  if (file !== undefined) out.line(`${formatCount(written)} key(s) written to ${file}`);
  const bad = report.entities.filter(differs).length;
  if (bad === 0) {
    out.line(
      out.paint(
        'green',
        `Equal: ${report.entities.length} entit${report.entities.length === 1 ? 'y' : 'ies'}.`,
      ),
    );
    return ExitCode.ok;
  }
  out.line(out.paint('red', `${bad} entit${bad === 1 ? 'y differs' : 'ies differ'} from the mapped source.`));
  return ExitCode.findings;
};
