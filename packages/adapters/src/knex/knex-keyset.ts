// The keyset condition "row key > last key" for one or more key columns, written without row-value
// comparison so that every dialect (SQL Server, Oracle included) accepts it. Pure: SQL text plus
// knex bindings, `??` for identifiers and dialect placeholders for values.

/** One key column with the placeholder its value binds through (e.g. `CAST(? AS SIGNED)`). */
export interface KeysetColumn {
  readonly name: string;
  readonly placeholder: string;
}

/** A raw SQL fragment with knex bindings (`??` identifiers, `?` values). */
export interface RawFragment {
  readonly sql: string;
  readonly bindings: readonly string[];
}

/**
 * `(k1, k2, k3) > (v1, v2, v3)` expanded as
 * `k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR (k1 = v1 AND k2 = v2 AND k3 > v3))`.
 * The leading `k1 >= v1` gives every planner an index range to seek on.
 */
export function keysetAfter(columns: readonly KeysetColumn[], values: readonly string[]): RawFragment {
  return lexicographic(columns, values, '>', false);
}

/**
 * `(k1, k2) <= (v1, v2)` expanded as `k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND k2 <= v2))`: the upper
 * bound of a key range (inclusive, so a split key read by one partition is never read by the next).
 */
export function keysetUpTo(columns: readonly KeysetColumn[], values: readonly string[]): RawFragment {
  return lexicographic(columns, values, '<', true);
}

/** Both fragments joined with AND; `undefined` when neither is present. */
export function bothFragments(
  a: RawFragment | undefined,
  b: RawFragment | undefined,
): RawFragment | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return { sql: `(${a.sql}) AND (${b.sql})`, bindings: [...a.bindings, ...b.bindings] };
}

/** The key compared with `values` in key order by `op`, equality included on the last column or not. */
function lexicographic(
  columns: readonly KeysetColumn[],
  values: readonly string[],
  op: '>' | '<',
  inclusive: boolean,
): RawFragment {
  if (columns.length === 0 || columns.length !== values.length) {
    throw new RangeError('keyset: one value per key column is required');
  }
  const bindings: string[] = [];
  const terms: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j <= i; j++) {
      const column = columns[j]!;
      const last = inclusive && i === columns.length - 1 ? `${op}=` : op;
      parts.push(`?? ${j === i ? last : '='} ${column.placeholder}`);
      bindings.push(column.name, values[j]!);
    }
    terms.push(parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`);
  }
  if (columns.length === 1) return { sql: terms[0]!, bindings };
  const first = columns[0]!;
  return {
    sql: `?? ${op}= ${first.placeholder} AND (${terms.join(' OR ')})`,
    bindings: [first.name, values[0]!, ...bindings],
  };
}

/**
 * The rows whose key is one of `keys`: `k IN (v1, v2, ...)` for one key column, else
 * `((k1 = v1 AND k2 = v2) OR ...)` (no row-value IN, which SQL Server lacks). Each key holds one value
 * per column, in key order. An empty list matches nothing (`1 = 0`).
 */
export function keyListFragment(
  columns: readonly KeysetColumn[],
  keys: readonly (readonly string[])[],
): RawFragment {
  if (keys.length === 0) return { sql: '1 = 0', bindings: [] };
  const bindings: string[] = [];
  if (columns.length === 1) {
    const only = columns[0]!;
    for (const key of keys) bindings.push(valuesOf(columns, key)[0]!);
    return {
      sql: `?? IN (${keys.map(() => only.placeholder).join(', ')})`,
      bindings: [only.name, ...bindings],
    };
  }
  const terms = keys.map((key) => {
    const values = valuesOf(columns, key);
    columns.forEach((column, i) => bindings.push(column.name, values[i]!));
    return `(${columns.map((column) => `?? = ${column.placeholder}`).join(' AND ')})`;
  });
  return { sql: `(${terms.join(' OR ')})`, bindings };
}

function valuesOf(columns: readonly KeysetColumn[], key: readonly string[]): readonly string[] {
  if (columns.length === 0 || key.length !== columns.length) {
    throw new RangeError('key list: one value per key column is required');
  }
  return key;
}
