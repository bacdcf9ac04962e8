// One side of a diff computed inside its database: per key range, the checksum of the rows' canonical
// texts (one aggregate query: only three numbers cross the wire), the row count, the keys that cut the
// range into parts of equal row counts, and, for a small range, each row's key and hash.

import { byteLengthExpression, type KnexDialect } from '../knex/knex-dialect.js';
import { concatText, hexPart, md5Hex, sumText, utf8, type KeySql } from './diff-sql-dialect.js';
import { EMPTY_CHECKSUM, parseChecksum, type Checksum } from './diff-hash.js';

/** A key range `(after, upTo]` in the agreed key order; an absent end is open. */
export interface KeyRange {
  readonly after?: readonly string[];
  readonly upTo?: readonly string[];
}

/** A key (one exact string per key column) and its row's hash. */
export interface KeyHash {
  readonly key: readonly string[];
  readonly hash: string;
}

/** Runs one query with `?` placeholders and answers its rows as objects. */
export type SqlRunner = (sql: string, bindings: readonly string[]) => Promise<Record<string, unknown>[]>;

/** What a side's SQL is built from: the table, its key and each compared column's piece of row text. */
export interface SqlShape {
  readonly dialect: KnexDialect;
  /** The quoted table. */
  readonly from: string;
  readonly keys: readonly KeySql[];
  /** One `pieceSql` per compared column, in the target's column order. */
  readonly pieces: readonly string[];
  /** The quoted Binary Data columns the source reads (their bytes bound what is read at once). */
  readonly binary?: readonly string[];
}

/** Queries and rows a side cost: what the tests and the report count. */
export interface SideCounters {
  queries: number;
  /** Rows that crossed the wire (key + hash rows, or whole rows read into Node). */
  rowsFetched: number;
}

/** The WHERE condition of a range (lexicographic on the key, without row-value syntax), with bindings. */
export function rangeWhere(keys: readonly KeySql[], range: KeyRange): { sql: string; bindings: string[] } {
  const bindings: string[] = [];
  const side = (values: readonly string[], op: '>' | '<', inclusive: boolean): string => {
    const terms: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const parts: string[] = [];
      for (let j = 0; j <= i; j++) {
        const last = j === i ? (inclusive && i === keys.length - 1 ? `${op}=` : op) : '=';
        parts.push(`${keys[j]!.order} ${last} ${keys[j]!.placeholder}`);
        bindings.push(values[j]!);
      }
      terms.push(`(${parts.join(' AND ')})`);
    }
    return `(${terms.join(' OR ')})`;
  };
  const conditions: string[] = [];
  if (range.after !== undefined) conditions.push(side(range.after, '>', false));
  if (range.upTo !== undefined) conditions.push(side(range.upTo, '<', true));
  return { sql: conditions.length === 0 ? '1 = 1' : conditions.join(' AND '), bindings };
}

/** `(k1 = v1 AND k2 = v2) OR ...` for each key of `values`, in the agreed comparison. */
export function keysWhere(
  keys: readonly KeySql[],
  values: readonly (readonly string[])[],
): { sql: string; bindings: string[] } {
  const bindings: string[] = [];
  const terms = values.map((value) => {
    const parts = keys.map((key, i) => {
      bindings.push(value[i]!);
      return `${key.order} = ${key.placeholder}`;
    });
    return `(${parts.join(' AND ')})`;
  });
  return { sql: terms.length === 0 ? '1 = 0' : `(${terms.join(' OR ')})`, bindings };
}

/** A side whose checksums, counts, bounds and row hashes are computed by its database. */
export class SqlSide {
  readonly counters: SideCounters = { queries: 0, rowsFetched: 0 };
  readonly #shape: SqlShape;
  readonly #run: SqlRunner;

  constructor(shape: SqlShape, run: SqlRunner) {
    this.#shape = shape;
    this.#run = run;
  }

  /** What the side's SQL is built from. */
  get shape(): SqlShape {
    return this.#shape;
  }

  /** The hash expression of a row (32 hex digits). */
  hashSql(): string {
    const { dialect, pieces } = this.#shape;
    const parts = dialect === 'mysql' ? pieces.map((piece) => utf8(dialect, piece)) : pieces;
    return md5Hex(dialect, concatText(dialect, parts));
  }

  /** The SQL of a range's checksum (exported for the SQL unit tests through {@link checksumSql}). */
  checksumSql(range: KeyRange): { sql: string; bindings: string[] } {
    const { dialect, from, keys } = this.#shape;
    const where = rangeWhere(keys, range);
    const sql =
      `SELECT ${sumText(dialect, '1')} AS n, ${sumText(dialect, hexPart(dialect, 'ferry_h', 1))} AS s1, ` +
      `${sumText(dialect, hexPart(dialect, 'ferry_h', 9))} AS s2 ` +
      `FROM (SELECT ${this.hashSql()} AS ferry_h FROM ${from} WHERE ${where.sql}) ferry_r`;
    return { sql, bindings: where.bindings };
  }

  /** The checksum of a range. */
  async checksum(range: KeyRange): Promise<Checksum> {
    const { sql, bindings } = this.checksumSql(range);
    const rows = await this.query(sql, bindings);
    return parseChecksum(rows[0] ?? {});
  }

  /**
   * The SQL of the checksums (only the counts without `hash`) of the parts of a range cut at `bounds`,
   * in one scan: part `i` is `(bounds[i-1], bounds[i]]`, the last one ends at the range's end.
   */
  partsSql(
    range: KeyRange,
    bounds: readonly (readonly string[])[],
    hash: boolean,
  ): { sql: string; bindings: string[] } {
    const { dialect, from, keys } = this.#shape;
    const bindings: string[] = [];
    const whens = bounds.map((bound, i) => {
      const upTo = rangeWhere(keys, { upTo: bound });
      bindings.push(...upTo.bindings);
      return `WHEN ${upTo.sql} THEN ${i}`;
    });
    const where = rangeWhere(keys, range);
    const sums = hash
      ? `, ${sumText(dialect, hexPart(dialect, 'ferry_h', 1))} AS s1, ${sumText(dialect, hexPart(dialect, 'ferry_h', 9))} AS s2`
      : '';
    const sql =
      `SELECT ferry_g, ${sumText(dialect, '1')} AS n${sums} FROM (SELECT CASE ${whens.join(' ')} ELSE ${bounds.length} END AS ferry_g` +
      `${hash ? `, ${this.hashSql()} AS ferry_h` : ''} FROM ${from} WHERE ${where.sql}) ferry_r GROUP BY ferry_g`;
    return { sql, bindings: [...bindings, ...where.bindings] };
  }

  /** The checksums (or counts) of a range's parts, `bounds.length + 1` of them, empty parts included. */
  async parts(range: KeyRange, bounds: readonly (readonly string[])[], hash: boolean): Promise<Checksum[]> {
    const { sql, bindings } = this.partsSql(range, bounds, hash);
    const parts: Checksum[] = Array.from({ length: bounds.length + 1 }, () => EMPTY_CHECKSUM);
    for (const row of await this.query(sql, bindings)) parts[Number(row.ferry_g)] = parseChecksum(row);
    return parts;
  }

  /** The bytes of the Binary Data columns in a range (0 without such columns): lengths only. */
  async bytes(range: KeyRange): Promise<number> {
    const { dialect, from, keys, binary = [] } = this.#shape;
    if (binary.length === 0) return 0;
    const where = rangeWhere(keys, range);
    const sizes = binary.map((column) => byteLengthExpression(dialect).replace('??', column)).join(' + ');
    const rows = await this.query(
      `SELECT ${sumText(dialect, sizes)} AS n FROM ${from} WHERE ${where.sql}`,
      where.bindings,
    );
    return parseChecksum(rows[0] ?? {}).rows;
  }

  /** Rows in a range (an index range count: no hashing). */
  async count(range: KeyRange): Promise<number> {
    const { dialect, from, keys } = this.#shape;
    const where = rangeWhere(keys, range);
    const rows = await this.query(
      `SELECT ${sumText(dialect, '1')} AS n FROM ${from} WHERE ${where.sql}`,
      where.bindings,
    );
    return parseChecksum(rows[0] ?? {}).rows;
  }

  /** The SQL of the keys at every `step`-th row of a range, in key order. */
  boundsSql(range: KeyRange, step: number): { sql: string; bindings: string[] } {
    const { from, keys } = this.#shape;
    const where = rangeWhere(keys, range);
    const texts = keys.map((key, i) => `${key.text} AS ferry_k${i}`).join(', ');
    const names = keys.map((_, i) => `ferry_k${i}`).join(', ');
    const order = keys.map((key) => key.order).join(', ');
    const sql =
      `SELECT ${names} FROM (SELECT ${texts}, ROW_NUMBER() OVER (ORDER BY ${order}) AS ferry_rn ` +
      `FROM ${from} WHERE ${where.sql}) ferry_b WHERE ferry_rn % ${Math.max(1, Math.floor(step))} = 0 ORDER BY ferry_rn`;
    return { sql, bindings: where.bindings };
  }

  /** The keys at every `step`-th row of a range: the upper bounds of parts of `step` rows. */
  async bounds(range: KeyRange, step: number): Promise<string[][]> {
    const { sql, bindings } = this.boundsSql(range, step);
    const rows = await this.query(sql, bindings);
    this.counters.rowsFetched += rows.length;
    return rows.map((row) => this.#shape.keys.map((_, i) => String(row[`ferry_k${i}`])));
  }

  /** Each row's key and hash in (small) ranges, read in one query. */
  async hashes(...ranges: readonly KeyRange[]): Promise<KeyHash[]> {
    const { from, keys } = this.#shape;
    const parts = ranges.map((range) => rangeWhere(keys, range));
    const where = {
      sql: parts.map((part) => `(${part.sql})`).join(' OR '),
      bindings: parts.flatMap((part) => part.bindings),
    };
    const texts = keys.map((key, i) => `${key.text} AS ferry_k${i}`).join(', ');
    const rows = await this.query(
      `SELECT ${texts}, ${this.hashSql()} AS ferry_h FROM ${from} WHERE ${where.sql}`,
      where.bindings,
    );
    this.counters.rowsFetched += rows.length;
    return rows.map((row) => ({
      key: keys.map((_, i) => String(row[`ferry_k${i}`])),
      hash: String(row.ferry_h),
    }));
  }

  /** Runs one query of this side, counted. */
  async query(sql: string, bindings: readonly string[]): Promise<Record<string, unknown>[]> {
    this.counters.queries++;
    return this.#run(sql, bindings);
  }
}
