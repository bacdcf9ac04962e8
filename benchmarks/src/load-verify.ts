// Checks every load: the target must hold exactly the source's rows (count, sum of ids, sum of an int
// column) and a spot-check of ~1000 rows spread over the key range must hash the same in both engines
// (every column rendered canonically, blobs by MD5; hashed in chunks of 100k ids). A benchmark that
// loads wrong data is worthless.

import { createHash } from 'node:crypto';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { BENCH_COLUMNS, SOURCE_TABLE, type BenchColumn } from './bench-shape.js';

/**
 * Where a source column landed in a target table; `skip` leaves it out of the checksum, `render` turns
 * the quoted target column into the source's canonical text when the mapping changed its type.
 */
export interface TargetColumnRef {
  readonly name: string;
  readonly skip?: boolean;
  readonly render?: (quoted: string) => string;
}

/** A target to verify: schema, table and the column for each of {@link BENCH_COLUMNS}. */
export interface VerifyTarget {
  readonly schema: string;
  readonly table: string;
  readonly columns: (column: BenchColumn) => TargetColumnRef;
}

/** Counts and hashes of one side. */
export interface TableDigest {
  readonly count: string;
  readonly sumId: string;
  readonly sumQuantity: string;
  readonly sampleMd5: string;
}

/** The outcome of a verification. */
export interface Verification {
  readonly ok: boolean;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly mismatches: readonly string[];
}

/** The lower-case column names of the baseline targets. */
export const baselineColumns = (column: BenchColumn): TargetColumnRef => ({
  name: column.column.toLowerCase(),
});

/** Sample step for `rows` rows: about 1000 sampled ids. */
export function sampleStep(rows: number): number {
  return Math.max(1, Math.floor(rows / 1000));
}

/** Digest of the source table. */
export async function sourceDigest(
  conn: mysql.Connection,
  step: number,
  skip: ReadonlySet<string>,
): Promise<TableDigest> {
  await conn.query('SET SESSION group_concat_max_len = 104857600');
  const parts = BENCH_COLUMNS.filter((c) => !skip.has(c.column)).map((c) => mariaExpr(c));
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM ${SOURCE_TABLE}) AS count, (SELECT SUM(ID) FROM ${SOURCE_TABLE}) AS sumId,
       (SELECT SUM(QUANTITY) FROM ${SOURCE_TABLE}) AS sumQuantity`,
  );
  const [chunks] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT MD5(GROUP_CONCAT(MD5(CONCAT_WS('|', ${parts.join(', ')})) ORDER BY ID SEPARATOR '')) AS md5
       FROM ${SOURCE_TABLE} WHERE ID % ${step} = 0
      GROUP BY ID DIV ${HASH_CHUNK_IDS} ORDER BY ID DIV ${HASH_CHUNK_IDS}`,
  );
  return digestOf(rows[0], chunks);
}

/** Digest of a target table, with the same canonical rendering as {@link sourceDigest}. */
export async function targetDigest(
  client: pg.Client,
  target: VerifyTarget,
  step: number,
): Promise<TableDigest> {
  await client.query(`SET TIME ZONE 'UTC'`);
  const col = (c: BenchColumn): string => `"${target.columns(c).name}"`;
  const id = col(BENCH_COLUMNS[0]!);
  const quantity = col(BENCH_COLUMNS.find((c) => c.column === 'QUANTITY')!);
  const parts = BENCH_COLUMNS.filter((c) => target.columns(c).skip !== true).map((c) => {
    const render = target.columns(c).render;
    return render === undefined ? pgExpr(c, col(c)) : render(col(c));
  });
  const table = `"${target.schema}"."${target.table}"`;
  const result = await client.query(
    `SELECT (SELECT count(*) FROM ${table})::text AS count, (SELECT sum(${id}) FROM ${table})::text AS "sumId",
       (SELECT sum(${quantity}) FROM ${table})::text AS "sumQuantity"`,
  );
  const chunks = await client.query(
    `SELECT md5(string_agg(md5(concat_ws('|', ${parts.join(', ')})), '' ORDER BY ${id})) AS md5
       FROM ${table} WHERE ${id} % ${step} = 0
      GROUP BY ${id} / ${HASH_CHUNK_IDS} ORDER BY ${id} / ${HASH_CHUNK_IDS}`,
  );
  return digestOf(result.rows[0] as Record<string, unknown>, chunks.rows as Record<string, unknown>[]);
}

/** Compare two digests field by field. */
export function compareDigests(source: TableDigest, target: TableDigest): Verification {
  const mismatches = (Object.keys(source) as (keyof TableDigest)[]).filter((k) => source[k] !== target[k]);
  return {
    ok: mismatches.length === 0,
    sourceRows: Number(source.count),
    targetRows: Number(target.count),
    mismatches,
  };
}

/**
 * Ids per hashed chunk: each chunk's concatenated row hashes (32 bytes a row) stay far below MariaDB's
 * `max_allowed_packet` (16 MiB by default), which silently cuts a longer GROUP_CONCAT (warning 1260):
 * one concat over 2M rows could never match PostgreSQL's `string_agg`.
 */
const HASH_CHUNK_IDS = 100_000;

/** Counts from `row`; the sample hash is the MD5 of the chunks' MD5s in id order, joined. */
function digestOf(
  row: Record<string, unknown> | undefined,
  chunks: readonly Record<string, unknown>[],
): TableDigest {
  const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const hashes = chunks.map((chunk) => text(chunk['md5'])).join('');
  return {
    count: text(row?.['count']),
    sumId: text(row?.['sumId']),
    sumQuantity: text(row?.['sumQuantity']),
    sampleMd5: createHash('md5').update(hashes).digest('hex'),
  };
}

function mariaExpr(c: BenchColumn): string {
  const name = `\`${c.column}\``;
  switch (c.kind) {
    case 'bool':
      return `${name} + 0`;
    case 'datetime':
      return `DATE_FORMAT(${name}, '%Y-%m-%d %H:%i:%s')`;
    case 'date':
      return `DATE_FORMAT(${name}, '%Y-%m-%d')`;
    case 'blob':
      return `MD5(${name})`;
    default:
      return c.nullable === true ? `IFNULL(${name}, '~')` : name;
  }
}

function pgExpr(c: BenchColumn, name: string): string {
  switch (c.kind) {
    case 'bool':
      return `CASE WHEN ${name} THEN 1 ELSE 0 END`;
    case 'datetime':
      return `to_char(${name}, 'YYYY-MM-DD HH24:MI:SS')`;
    case 'date':
      return `to_char(${name}, 'YYYY-MM-DD')`;
    case 'blob':
      return `md5(${name})`;
    default:
      return c.nullable === true ? `coalesce(${name}::text, '~')` : `${name}::text`;
  }
}
