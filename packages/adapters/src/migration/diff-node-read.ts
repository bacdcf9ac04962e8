// A source key range read into Node and mapped there, exactly as a run maps it: the authority on what
// the target should hold. Small ranges of a push-down entity whose checksums differ are read so, and
// every range of an entity whose mapping cannot be written in SQL (its rows cross the wire once).

import { mappingStage, type CompiledEntity, type MappingRuntime, type MappingStats } from '@ferry/mapping';
import { columnNormalizer } from '../knex/column-value.js';
import type { SourceColumn } from '../knex/knex-column.js';
import { textCastExpression, type KnexDialect } from '../knex/knex-dialect.js';
import { compileRowNormalizer } from '../knex/row-normalize.js';
import { md5Hex, rowText } from './diff-hash.js';
import { quoteName } from './diff-sql-dialect.js';
import {
  keysWhere,
  rangeWhere,
  type KeyHash,
  type KeyRange,
  type SideCounters,
  type SqlRunner,
  type SqlShape,
} from './diff-sql-side.js';
import { canonicalValue } from './verify-canonical.js';
import { finalState } from './verify-source-read.js';
import { comparedColumns } from './verify-target-read.js';
import { comparedKinds } from './diff-shapes.js';

/** Keys listed in one query of {@link NodeRangeReader.read}; 8 when rows hold Binary Data. */
const KEYS_PER_QUERY = 500;
const BINARY_KEYS_PER_QUERY = 8;

function chunksOf<T>(list: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** A range's mapped rows as keys and hashes, and the rows the mapping left out. */
export interface MappedRange {
  readonly rows: KeyHash[];
  readonly rejected: number;
  readonly filtered: number;
}

/** Reads source ranges and maps them in Node. */
export class NodeRangeReader {
  readonly #entity: CompiledEntity;
  readonly #shape: SqlShape;
  readonly #columns: readonly SourceColumn[];
  readonly #run: SqlRunner;
  readonly #runtime: Omit<MappingRuntime, 'pass' | 'stats'>;
  readonly #stats: MappingStats;
  readonly #counters: SideCounters;

  constructor(
    entity: CompiledEntity,
    source: { readonly shape: SqlShape; readonly columns: readonly SourceColumn[]; readonly run: SqlRunner },
    runtime: Omit<MappingRuntime, 'pass' | 'stats'>,
    stats: MappingStats,
    counters: SideCounters,
  ) {
    this.#entity = entity;
    this.#shape = source.shape;
    this.#columns = source.columns;
    this.#run = source.run;
    this.#runtime = runtime;
    this.#stats = stats;
    this.#counters = counters;
  }

  /** The select list: exact kinds as text (as the knex source reads them), each under its own name. */
  #select(dialect: KnexDialect): string {
    return this.#columns
      .map((column) => {
        const name = quoteName(dialect, column.name);
        const cast = column.kind === undefined ? undefined : textCastExpression(dialect, column.kind);
        return `${cast === undefined ? name : cast.replace('??', name)} AS ${name}`;
      })
      .join(', ');
  }

  /**
   * Every source row of the range (only those of `only`'s keys when given, read `KEYS_PER_QUERY` keys
   * a query), mapped; keys and hashes of the mapped rows.
   */
  async read(
    range: KeyRange,
    signal: AbortSignal,
    only?: readonly (readonly string[])[],
  ): Promise<MappedRange> {
    const { dialect, from, keys } = this.#shape;
    const where = rangeWhere(keys, range);
    const records: Record<string, unknown>[] = [];
    const perQuery = (this.#shape.binary ?? []).length > 0 ? BINARY_KEYS_PER_QUERY : KEYS_PER_QUERY;
    const chunks = only === undefined ? [undefined] : chunksOf(only, perQuery);
    for (const chunk of chunks) {
      const listed = chunk === undefined ? undefined : keysWhere(keys, chunk);
      this.#counters.queries++;
      const read = await this.#run(
        `SELECT ${this.#select(dialect)} FROM ${from} WHERE ${where.sql}${listed === undefined ? '' : ` AND ${listed.sql}`}`,
        [...where.bindings, ...(listed?.bindings ?? [])],
      );
      this.#counters.rowsFetched += read.length;
      records.push(...read);
    }
    const normalize = compileRowNormalizer(
      this.#columns.map((column) => column.name),
      this.#columns.map((column) => columnNormalizer(column.kind, 'local')),
      false,
    );
    const rows = records.map((record) => normalize(record));
    const entity = this.#entity;
    const stage = mappingStage(finalState(entity), { ...this.#runtime, stats: this.#stats, pass: 1 });
    const one = (async function* () {
      await Promise.resolve();
      yield { rows, position: null, rowsRead: rows.length };
    })();
    const columns = comparedColumns(entity.table);
    const kinds = comparedKinds(entity);
    const keyAt = entity.table.key.map((name) => columns.findIndex((column) => column.name === name));
    const out: KeyHash[] = [];
    let rejected = 0;
    let filtered = 0;
    for await (const batch of stage(one, { entity: entity.name, signal })) {
      rejected += batch.rejects?.length ?? 0;
      filtered += batch.rowsFiltered ?? 0;
      for (const row of batch.rows) {
        const values = columns.map((column) => canonicalValue(row[column.name], column.type));
        out.push({ key: keyAt.map((i) => values[i] ?? ''), hash: md5Hex(rowText(values, kinds)) });
      }
    }
    return { rows: out, rejected, filtered };
  }
}
