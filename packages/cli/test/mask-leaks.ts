// The masking test's leak search (issue 16 acceptance): every source value of every masked column, of
// every type, looked up among all fields of a `pg_dump` of the target schema. An occurrence passes only
// when proven a coincidence, row by row against the source: it sits in a masked column whose own source
// value in that row differs (another value's mask produced it), or in an unmasked column whose source
// value in that row is the same (it was copied from there). Text of 3 or more characters is also
// searched inside every text field, ignoring case (then "differs" means "does not contain it"). Only
// the O11 empty values are not searched.

import type { Knex } from 'knex';
import { physicalTable, type SourceEngine } from './cli-harness.js';
import type { DumpTable } from './mask-dump.js';

/** An attribute of the written mapping file, as far as the search needs it. */
export interface Attribute {
  readonly type: string;
  readonly column: string;
  readonly target: string;
  readonly mask?: unknown;
  readonly reference?: { readonly kind: string };
}
/** An entity of the written mapping file, as far as the search needs it. */
export interface Entity {
  readonly name: string;
  readonly source: { readonly entity: string };
  readonly target: { readonly table: string };
  readonly key: readonly string[];
  readonly attributes: Record<string, Attribute>;
}

/**
 * A value's SQL text (MariaDB `CAST AS CHAR`, PostgreSQL `::text` or COPY text) in one form both sides
 * agree on, by O11 type: booleans `t`/`f`, decimals without trailing zeros, a Date its day, a Time its
 * clock (O11 stores it on 1900-01-01), a Date Time to the second.
 */
export function dumpForm(type: string, raw: string | null): string | null {
  if (raw === null) return null;
  switch (type) {
    case 'rtBoolean':
      return ['1', 't', 'true'].includes(raw) ? 't' : 'f';
    case 'rtDecimal':
    case 'rtCurrency':
      return raw.includes('.') ? raw.replace(/0+$/, '').replace(/\.$/, '') : raw;
    case 'rtDate':
      return raw.slice(0, 10);
    case 'rtTime':
      return /^\d{4}-/.test(raw) ? raw.slice(11, 19) : raw.slice(0, 8);
    case 'rtDateTime':
      return raw.slice(0, 19).replace('T', ' ');
    default:
      return raw;
  }
}

/** The O11 "no value" of a type, in dump form: the only source values not searched. */
export function isEmptyForm(type: string, form: string): boolean {
  if (['rtInteger', 'rtLongInteger', 'rtDecimal', 'rtCurrency'].includes(type)) return form === '0';
  if (type === 'rtBoolean') return form === 'f';
  if (type === 'rtDate') return form === '1900-01-01';
  if (type === 'rtTime') return form === '00:00:00';
  if (type === 'rtDateTime') return form === '1900-01-01 00:00:00';
  if (type === 'rtBinaryData') return form === '\\x';
  return form === '';
}

const TEXT = new Set(['rtText', 'rtEmail', 'rtPhoneNumber']);

/** Where a value sits in the dump: the entity, the attribute and the row's key text. */
interface Field {
  readonly entity: Entity;
  readonly attribute: string;
  readonly key: string;
}

/** What the search found: values searched, occurrences proven coincidental (by reason), the rest. */
export interface LeakReport {
  searched: number;
  emptySkipped: number;
  /** Text values also found inside a longer field or in another case (then attributed as above). */
  substringSearched: number;
  otherRowsMask: number;
  copiedUnmasked: number;
  unexplained: string[];
}

/** Searches the dump for every masked source value; see the file comment for what passes. */
export async function searchLeaks(
  engine: SourceEngine,
  db: Knex,
  entities: readonly Entity[],
  dump: readonly DumpTable[],
): Promise<LeakReport> {
  const byTable = new Map(entities.map((e) => [e.target.table, e]));
  const cache = new Map<string, Promise<Map<string, string | null>>>();
  /** One attribute's source values in dump form, by the row's key text. */
  const forms = (entity: Entity, name: string): Promise<Map<string, string | null>> => {
    const id = `${entity.name}.${name}`;
    if (!cache.has(id)) cache.set(id, readForms(engine, db, entity, name));
    return cache.get(id)!;
  };
  const index = new Map<string, Field[]>();
  const texts: (Field & { readonly text: string; readonly lower: string })[] = [];
  for (const table of dump) {
    const entity = byTable.get(table.table);
    if (entity === undefined) throw new Error(`dumped table ${table.table} is not in the mapping`);
    const names = table.columns.map((c) =>
      Object.keys(entity.attributes).find((n) => entity.attributes[n]!.target === c),
    );
    const keyAt = entity.key.map((k) => table.columns.indexOf(entity.attributes[k]!.target));
    for (const row of table.rows) {
      const key = keyAt.map((i) => row[i]).join(',');
      row.forEach((text, i) => {
        const name = names[i];
        if (text === null || name === undefined) return;
        const form = dumpForm(entity.attributes[name]!.type, text)!;
        const list = index.get(form) ?? [];
        list.push({ entity, attribute: name, key });
        index.set(form, list);
        if (TEXT.has(entity.attributes[name]!.type))
          texts.push({ entity, attribute: name, key, text, lower: text.toLowerCase() });
      });
    }
  }
  const haystack = texts.map((t) => t.lower).join('\n');
  const report: LeakReport = {
    searched: 0,
    emptySkipped: 0,
    substringSearched: 0,
    otherRowsMask: 0,
    copiedUnmasked: 0,
    unexplained: [],
  };
  for (const entity of entities)
    for (const [name, attribute] of Object.entries(entity.attributes)) {
      if (attribute.mask === undefined) continue;
      const values = new Set([...(await forms(entity, name)).values()]);
      for (const value of values) {
        if (value === null) continue;
        if (isEmptyForm(attribute.type, value)) {
          report.emptySkipped += 1;
          continue;
        }
        report.searched += 1;
        const found = async (hit: Field, holds: (own: string) => boolean): Promise<void> => {
          const own = (await forms(hit.entity, hit.attribute)).get(hit.key) ?? '';
          const masked = hit.entity.attributes[hit.attribute]!.mask !== undefined;
          if (masked && !holds(own)) report.otherRowsMask += 1;
          else if (!masked && holds(own)) report.copiedUnmasked += 1;
          else
            report.unexplained.push(
              `a source value of ${entity.name}.${name} in ${hit.entity.name}.${hit.attribute}, row ${hit.key}`,
            );
        };
        for (const hit of index.get(value) ?? []) await found(hit, (own) => own === value);
        // Distinctive text is also searched inside every text field, case-insensitively.
        const needle = value.toLowerCase();
        if (!TEXT.has(attribute.type) || [...value].length < 3 || !haystack.includes(needle)) continue;
        report.substringSearched += 1;
        for (const hit of texts)
          if (hit.text !== value && hit.lower.includes(needle))
            await found(hit, (own) => own.toLowerCase().includes(needle));
      }
    }
  return report;
}

async function readForms(
  engine: SourceEngine,
  db: Knex,
  entity: Entity,
  name: string,
): Promise<Map<string, string | null>> {
  const table = await physicalTable(db, entity.source.entity);
  const attribute = entity.attributes[name]!;
  const text = (column: string): Knex.Raw =>
    attribute.type === 'rtBinaryData' && column === attribute.column && engine === 'mariadb'
      ? db.raw(`CONCAT('\\\\x', LOWER(HEX(??)))`, [column])
      : db.raw(engine === 'mariadb' ? 'CAST(?? AS CHAR)' : 'CAST(?? AS TEXT)', [column]);
  const keys = entity.key.map((k) => entity.attributes[k]!.column);
  const rows = await db(table).select<(string | null)[][]>(
    [...keys, attribute.column].map((c, i) => db.raw(`${text(c).toQuery()} AS ??`, [`c${i}`])),
  );
  return new Map(
    rows.map((r) => {
      const row = r as unknown as Record<string, string | null>;
      const key = keys.map((_, i) => row[`c${i}`]).join(',');
      return [key, dumpForm(attribute.type, row[`c${keys.length}`] ?? null)];
    }),
  );
}
