// From a discovered entity to a row source: the column kinds that read every O11 type exactly, and a
// knex source over the entity's physical table keyed by its identifier.

import { FerryError } from '@ferry/core';
import type { Row, Source } from '@ferry/core';
import type { O11Attribute, O11BasicType, O11Entity } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { ColumnKind, SourceColumn } from '../knex/knex-column.js';
import { knexSource } from '../knex/knex-source.js';
import type { KnexSourceOptions } from '../knex/knex-source.js';

const KIND: Readonly<Record<O11BasicType, ColumnKind>> = {
  rtText: 'text',
  rtEmail: 'text',
  rtPhoneNumber: 'text',
  rtInteger: 'integer',
  rtLongInteger: 'bigint',
  rtDecimal: 'decimal',
  rtCurrency: 'decimal',
  rtBoolean: 'boolean',
  rtDate: 'date',
  rtTime: 'time',
  rtDateTime: 'datetime',
  rtBinaryData: 'binary',
};

/** The column kind that reads an O11 attribute exactly (references read as their identifier type). */
export function o11ColumnKind(attribute: Pick<O11Attribute, 'type'>): ColumnKind {
  return KIND[attribute.type];
}

/** The columns of an entity with their kinds: active attributes only, unless `includeInactive`. */
export function o11SourceColumns(
  entity: O11Entity,
  options: { includeInactive?: boolean } = {},
): SourceColumn[] {
  return entity.attributes
    .filter((a) => a.isActive || options.includeInactive === true)
    .map((a) => ({ name: a.column, kind: o11ColumnKind(a) }));
}

/** The key columns of an entity: its identifier, or `undefined` when it has none. */
export function o11KeyColumns(entity: O11Entity): string[] | undefined {
  const identifier = entity.attributes.find((a) => a.isIdentifier);
  return identifier === undefined ? undefined : [identifier.column];
}

/** Options of {@link o11KnexSource}. */
export interface O11KnexSourceOptions extends Partial<Omit<KnexSourceOptions, 'knex' | 'table' | 'columns'>> {
  /** Also read the columns of deleted attributes. Default false. */
  readonly includeInactive?: boolean;
}

/**
 * A {@link knexSource} over a discovered entity's physical table, with exact column kinds, keyed by
 * the identifier (or `options.key` for an entity without one, e.g. a many-to-many table).
 *
 * @example
 * ```ts
 * const order = catalog.entities.find((e) => e.qualifiedName === 'Sales.Order')!;
 * const source = o11KnexSource(db, order);
 * ```
 */
export function o11KnexSource(
  knex: Knex,
  entity: O11Entity,
  options: O11KnexSourceOptions = {},
): Source<Row> {
  const key = options.key ?? o11KeyColumns(entity);
  if (key === undefined) {
    throw new FerryError(
      `${entity.qualifiedName} has no identifier: pass the key columns that order its rows`,
      {
        code: 'FERRY_SOURCE_CONFIG',
        reason: 'invalid-config',
        entity: entity.qualifiedName,
        operation: 'configure',
      },
    );
  }
  const { includeInactive, ...rest } = options;
  return knexSource({
    name: entity.qualifiedName,
    ...rest,
    knex,
    table: entity.physicalTable,
    key,
    columns: o11SourceColumns(entity, includeInactive === true ? { includeInactive } : {}),
  });
}
