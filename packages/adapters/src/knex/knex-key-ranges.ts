// Splits a table's key space into ranges for partitioned reads. A dense integer key (MIN to MAX with
// no gaps, the common identity column) splits by arithmetic on MIN and MAX; any other key (gaps,
// skew, text, composite) splits at evenly spaced ranks, so each range holds about the same rows.

import type { KeyRange } from '@ferry/core';
import type { Knex } from 'knex';
import { keyedSourceColumns } from '../shared/keyset-read.js';
import { sourceConfigError } from '../shared/read-errors.js';
import type { KeyedTableOptions } from '../shared/keyset-read.js';
import type { SourceColumn } from './knex-column.js';
import { knexDialect } from './knex-dialect.js';
import type { KnexDialect } from './knex-dialect.js';
import { toKnexFerryError } from './knex-error-classifier.js';
import { selectList } from './knex-query.js';

/** The table to split: the options of its `knexSource` (columns and kinds of the key matter). */
export interface KnexKeyRangeOptions extends Omit<KeyedTableOptions, 'columns' | 'range'> {
  readonly knex: Knex;
  readonly columns?: KeyedTableOptions['columns'];
}

/**
 * At most `count` key ranges that cover every key of the table exactly once, in key order, for
 * `partitionPlan`. Fewer when the table has fewer rows than `count`; one open range when it is empty.
 * The bounds are key values (strings, 64-bit integers exact), compared by the database itself.
 *
 * Costs: one `MIN/MAX/COUNT` query, plus for a key that is not a dense integer `count - 1` queries of
 * the form `ORDER BY key LIMIT 1 OFFSET rank`, each an index-only scan up to its rank.
 *
 * @example
 * ```ts
 * const ranges = await knexKeyRanges({ knex, table: 'OSUSR_S2M_ORDER', key: ['ID'], columns: [{ name: 'ID', kind: 'bigint' }] }, 4);
 * // [{ upTo: ['250000'] }, { after: ['250000'], upTo: ['500000'] }, …, { after: ['750000'] }]
 * ```
 */
export async function knexKeyRanges(options: KnexKeyRangeOptions, count: number): Promise<KeyRange[]> {
  const name = options.name ?? options.table;
  const { key } = keyedSourceColumns(name, { ...options, columns: options.columns ?? [] });
  const dialect = knexDialect(options.knex);
  try {
    const stats = await keyStats(options, dialect, key);
    if (count <= 1 || stats.rows <= 1) return [{}];
    const dense = denseBounds(key, stats, count);
    const bounds = dense ?? (await rankBounds(options, dialect, key, stats.rows, count));
    return toRanges(bounds);
  } catch (error) {
    throw toKnexFerryError(error, { entity: name, operation: 'split' });
  }
}

interface KeyStats {
  readonly rows: number;
  readonly min: string | undefined;
  readonly max: string | undefined;
}

const isInteger = (column: SourceColumn): boolean => column.kind === 'integer' || column.kind === 'bigint';

async function keyStats(
  options: KnexKeyRangeOptions,
  dialect: KnexDialect,
  key: readonly SourceColumn[],
): Promise<KeyStats> {
  const { knex } = options;
  const first = key[0]!;
  const integer = key.length === 1 && isInteger(first);
  const cast = dialect === 'mysql' ? 'CHAR' : 'text';
  const select: (string | Knex.Raw)[] = [knex.raw('COUNT(*) AS ??', ['n'])];
  if (integer) {
    select.push(knex.raw(`CAST(MIN(??) AS ${cast}) AS ??`, [first.name, 'lo']));
    select.push(knex.raw(`CAST(MAX(??) AS ${cast}) AS ??`, [first.name, 'hi']));
  }
  type Stats = { n: string | number; lo?: string | number | null; hi?: string | number | null };
  const [row]: Stats[] = await table(options).select(select);
  const text = (value: string | number | null | undefined): string | undefined =>
    value === null || value === undefined ? undefined : String(value);
  return { rows: Number(row?.n ?? 0), min: text(row?.lo), max: text(row?.hi) };
}

/** Upper bounds of ranges 1..count-1 by arithmetic, when the key is an integer without gaps. */
function denseBounds(key: readonly SourceColumn[], stats: KeyStats, count: number): string[][] | undefined {
  if (stats.min === undefined || stats.max === undefined) return undefined;
  const lo = BigInt(stats.min);
  const span = BigInt(stats.max) - lo + 1n;
  if (span !== BigInt(stats.rows) || key.length !== 1) return undefined;
  const n = BigInt(Math.min(count, stats.rows));
  const bounds: string[][] = [];
  for (let i = 1n; i < n; i++) bounds.push([String(lo + (i * span) / n - 1n)]);
  return bounds;
}

/** Upper bounds of ranges 1..count-1: the keys at ranks rows*i/count (1-based), distinct. */
async function rankBounds(
  options: KnexKeyRangeOptions,
  dialect: KnexDialect,
  key: readonly SourceColumn[],
  rows: number,
  count: number,
): Promise<string[][]> {
  const bounds: string[][] = [];
  const n = Math.min(count, rows);
  for (let i = 1; i < n; i++) {
    const rank = Math.floor((rows * i) / n);
    let query = table(options).select(selectList(options.knex, dialect, key));
    for (const column of key) query = query.orderBy(`${options.table}.${column.name}`, 'asc');
    const [record] = (await query.offset(rank - 1).limit(1)) as Record<string, unknown>[];
    if (record === undefined) break; // rows were deleted since the count
    const bound = key.map((column) => boundText(record[column.name], options.name ?? options.table, column));
    const previous = bounds[bounds.length - 1];
    if (previous === undefined || previous.some((part, j) => part !== bound[j])) bounds.push(bound);
  }
  return bounds;
}

function boundText(value: unknown, entity: string, column: SourceColumn): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw sourceConfigError(`${entity}: key column ${column.name} must be text or an integer to split it`);
}

function toRanges(bounds: readonly string[][]): KeyRange[] {
  const ranges: KeyRange[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const after = bounds[i - 1];
    const upTo = bounds[i];
    ranges.push({ ...(after === undefined ? {} : { after }), ...(upTo === undefined ? {} : { upTo }) });
  }
  return ranges;
}

function table(options: KnexKeyRangeOptions): Knex.QueryBuilder {
  const query = options.knex.queryBuilder().from(options.table);
  return options.schema === undefined ? query : query.withSchema(options.schema);
}
