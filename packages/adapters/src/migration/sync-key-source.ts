// The sources of `ferry sync`: the keys of a diff, read in chunks of a batch. `keyRowsSource` reads
// each chunk's rows from the O11 table (one `WHERE key IN (...)` query through the knex source, so
// values come out exactly as a run reads them); `keyListSource` yields the keys themselves as rows
// (what a delete needs). The position is the index reached in the list with the last key, so a resume
// continues after the committed chunks and refuses a list that changed under it.

import { FerryError } from '@ferry/core';
import type { Batch, Position, ReadOptions, Row, Source } from '@ferry/core';
import type { Knex } from 'knex';
import { knexDialect, keyPlaceholder } from '../knex/knex-dialect.js';
import { keyListFragment } from '../knex/knex-keyset.js';
import { knexSource } from '../knex/knex-source.js';
import { readAbortedError } from '../shared/read-errors.js';
import type { DiffKey } from './diff-types.js';
import type { EntitySourceSpec } from './migration-options.js';

/** Where a sync source stands: keys done, and the last of them (checked on resume). */
interface KeyListPosition {
  readonly [field: string]: readonly string[] | number;
  readonly index: number;
  readonly key: readonly string[];
}

/** The index to continue from; throws `FERRY_SYNC_DIFF_CHANGED` when the list is not the one saved. */
function startIndex(name: string, keys: readonly DiffKey[], after: Position | undefined): number {
  if (after === undefined || after === null) return 0;
  const { index, key } = after as Partial<KeyListPosition>;
  const saved = typeof index === 'number' && Number.isInteger(index) ? keys[index - 1] : undefined;
  if (saved === undefined || !Array.isArray(key) || saved.join('\u0000') !== key.join('\u0000')) {
    throw new FerryError(
      `${name}: this sync was checkpointed with another diff: resume it with the diff it started with, or start a new sync`,
      { code: 'FERRY_SYNC_DIFF_CHANGED', reason: 'invalid-config', entity: name, operation: 'read' },
    );
  }
  return index!;
}

/** The chunks of `keys` after `after`, `size` keys each, with the position after each. */
function* chunks(
  name: string,
  keys: readonly DiffKey[],
  options: ReadOptions,
): Generator<{ keys: readonly DiffKey[]; position: KeyListPosition }> {
  const size = options.batchSize;
  for (let i = startIndex(name, keys, options.after); i < keys.length; i += size) {
    const chunk = keys.slice(i, i + size);
    const position = { index: i + chunk.length, key: [...chunk[chunk.length - 1]!] };
    if (options.signal?.aborted === true) throw readAbortedError(name, i === 0 ? null : { index: i });
    yield { keys: chunk, position };
  }
}

function remaining(name: string, keys: readonly DiffKey[], after: Position | undefined): number {
  return keys.length - startIndex(name, keys, after);
}

/**
 * The keys themselves as rows: `{ [columns[i]]: key[i], ...fill }`, e.g. the target key columns of
 * the rows to delete (`fill`: constant values, such as NULL for the references a detach clears).
 */
export function keyListSource(
  name: string,
  keys: readonly DiffKey[],
  columns: readonly string[],
  fill: Row = {},
): Source<Row> {
  return {
    name,
    async *read(options): AsyncGenerator<Batch<Row>> {
      // The keys are in memory: nothing to wait for but the reader's pace (the Source contract is async).
      await Promise.resolve();
      for (const chunk of chunks(name, keys, options)) {
        const rows = chunk.keys.map((key): Row => ({
          ...fill,
          ...Object.fromEntries(columns.map((column, i) => [column, key[i]!])),
        }));
        yield { rows, position: chunk.position, rowsRead: rows.length };
      }
    },
    count: ({ after }) => Promise.resolve(remaining(name, keys, after)),
  };
}

/**
 * The O11 rows of `keys` (source key values, in the spec's key order), read a chunk at a time. Every
 * key must find exactly one row: a key without one means the source changed after the diff
 * (`FERRY_SYNC_DIFF_STALE`, naming the entity and key).
 */
export function keyRowsSource(knex: Knex, spec: EntitySourceSpec, keys: readonly DiffKey[]): Source<Row> {
  const { name } = spec;
  const dialect = knexDialect(knex);
  const keyColumns = spec.key.map((column) => ({
    name: column,
    placeholder: keyPlaceholder(dialect, spec.columns.find((c) => c.name === column)?.kind),
  }));
  return {
    name,
    async *read(options): AsyncGenerator<Batch<Row>> {
      for (const chunk of chunks(name, keys, options)) {
        const where = keyListFragment(keyColumns, chunk.keys);
        const source = knexSource({ knex, ...spec, where, count: 'none', batchSize: chunk.keys.length });
        const rows: Row[] = [];
        const read = { batchSize: chunk.keys.length, batchBytes: options.batchBytes, signal: options.signal };
        for await (const batch of source.read(read)) rows.push(...batch.rows);
        if (rows.length !== chunk.keys.length) throw staleDiff(name, spec.key, chunk.keys, rows);
        yield { rows, position: chunk.position, rowsRead: rows.length };
      }
    },
    count: ({ after }) => Promise.resolve(remaining(name, keys, after)),
  };
}

function staleDiff(
  name: string,
  key: readonly string[],
  wanted: readonly DiffKey[],
  rows: readonly Row[],
): FerryError {
  const text = (parts: readonly unknown[]): string => parts.map((part) => String(part)).join('/');
  const found = new Set(rows.map((row) => text(key.map((column) => row[column]))));
  const missing = wanted.find((k) => !found.has(text(k)));
  const what =
    missing !== undefined
      ? `no row for key ${text(missing)}`
      : rows.length > wanted.length
        ? `${rows.length} rows for ${wanted.length} keys (a key is not unique)`
        : `${rows.length} rows for ${wanted.length} keys (the diff lists a key twice)`;
  return new FerryError(
    `${name}: the source has ${what}: it changed after the diff; run \`ferry sync\` again (it diffs again)`,
    { code: 'FERRY_SYNC_DIFF_STALE', reason: 'invalid-data', entity: name, operation: 'read' },
  );
}
