// What each side of an entity's diff computes in SQL. The target: every compared column's canonical
// text. The source: the same text computed from the O11 columns when every mapped value is a plain
// function of one column that SQL can write (the push-down); otherwise the reason it cannot, and the
// source side is mapped in Node instead (see the package README, "Diff: what pushes down").

import { FerryError } from '@ferry/core';
import {
  resolveConversion,
  type CompiledAttribute,
  type CompiledEntity,
  type MappingSpec,
} from '@ferry/mapping';
import type { ColumnKind } from '../knex/knex-column.js';
import type { KnexDialect } from '../knex/knex-dialect.js';
import { o11ColumnKind } from '../o11/o11-entity-source.js';
import { qualifiedTableName, quoteIdentifier } from '../postgres/identifiers.js';
import { keySql, quoteName, quoteTable, type KeyKind } from './diff-sql-dialect.js';
import type { SqlShape } from './diff-sql-side.js';
import { canonicalKindOf, pieceSql, type CanonicalKind } from './diff-value-sql.js';
import type { EntitySourceSpec } from './migration-options.js';
import { comparedColumns } from './verify-target-read.js';

/** The source side's SQL, or why its values are mapped in Node (`pieces` then empty). */
export interface SourceShape {
  readonly shape: SqlShape;
  /** Why the source side is mapped in Node; absent when it pushes down. */
  readonly fallback?: string;
}

/** The canonical kinds of the compared columns, in order (what the row text is made of). */
export function comparedKinds(entity: CompiledEntity): CanonicalKind[] {
  return comparedColumns(entity.table).map((column) => canonicalKindOf(column.type));
}

function keyKindOf(entity: CompiledEntity, kind: CanonicalKind, name: string): KeyKind {
  if (kind === 'integer' || kind === 'text') return kind;
  throw new FerryError(
    `${entity.name}: its key attribute ${name} is of a type diff cannot order on both sides; only Integer, Long Integer and Text keys are supported`,
    { code: 'FERRY_DIFF_KEY', reason: 'invalid-config', entity: entity.name, attribute: name },
  );
}

/** The target table's SQL shape (PostgreSQL). */
export function targetShape(entity: CompiledEntity): SqlShape {
  const columns = comparedColumns(entity.table);
  const kinds = new Map(columns.map((column) => [column.name, canonicalKindOf(column.type)]));
  return {
    dialect: 'postgres',
    from: qualifiedTableName(entity.table),
    keys: entity.table.key.map((name) =>
      keySql('postgres', quoteIdentifier(name), keyKindOf(entity, kinds.get(name) ?? 'binary', name)),
    ),
    pieces: columns.map((column) =>
      pieceSql('postgres', canonicalKindOf(column.type), quoteIdentifier(column.name)),
    ),
  };
}

/** The canonical kind an O11 column kind pushes down to, when its value is kept as it is. */
const PUSHED: Readonly<Record<ColumnKind, CanonicalKind>> = {
  integer: 'integer',
  bigint: 'integer',
  decimal: 'decimal',
  text: 'text',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  datetime: 'timestamp',
  binary: 'binary',
};

/** Why an attribute's mapped value cannot be written in SQL from its column; undefined when it can. */
function notPushed(
  attribute: CompiledAttribute,
  entity: CompiledEntity,
  spec: MappingSpec,
): string | undefined {
  const name = attribute.name;
  if (attribute.spec.mask !== undefined) return `${name} is masked`;
  if (attribute.read !== undefined) return `${name} is a constant or computed attribute`;
  const reference = attribute.reference;
  if (reference?.kind === 'user') return `${name} is a user reference (the user map lives in memory)`;
  if (reference?.kind === 'static' && reference.by === 'label')
    return `${name} is a static reference by label`;
  if (reference?.kind === 'entity' && reference.remap) return `${name} is a remapped reference`;
  const options = resolveConversion(spec.defaults, entity.spec, attribute.spec);
  if (options.emptyDefaults === 'null') return `${name} turns O11 empty values into NULL`;
  const kind = o11ColumnKind(attribute.spec);
  if (PUSHED[kind] !== canonicalKindOf(attribute.targetColumn.type)) return `${name} changes type`;
  if (kind === 'text' && options.nul !== 'reject') return `${name} replaces NUL characters`;
  if (kind === 'datetime' && options.timeZone !== 'UTC') return `${name} is shifted from ${options.timeZone}`;
  const scale = attribute.targetColumn.scale;
  const decimals = attribute.spec.decimals ?? (attribute.spec.type === 'rtCurrency' ? 8 : undefined);
  if (
    kind === 'decimal' &&
    options.rounding !== 'reject' &&
    (scale === undefined || decimals === undefined || scale < decimals)
  )
    return `${name} is rounded to the target scale`;
  return undefined;
}

/** The source side's SQL shape: keys always (counts and bounds), values when they push down. */
export function sourceShape(
  entity: CompiledEntity,
  spec: MappingSpec,
  located: EntitySourceSpec,
  dialect: KnexDialect,
): SourceShape {
  const keys = entity.key.map((attribute) => {
    const kind = PUSHED[o11ColumnKind(attribute.spec)];
    const reference = attribute.reference;
    if (
      attribute.read !== undefined ||
      reference?.kind === 'user' ||
      (reference?.kind === 'static' && reference.by === 'label')
    )
      keyKindOf(entity, 'binary', attribute.name); // throws: the target key is not the source key
    return keySql(dialect, quoteName(dialect, attribute.column), keyKindOf(entity, kind, attribute.name));
  });
  const binary = located.columns.filter((c) => c.kind === 'binary').map((c) => quoteName(dialect, c.name));
  const shape = { dialect, from: quoteTable(dialect, located), keys, pieces: [] as string[], binary };
  if (entity.filter !== undefined) return { shape, fallback: 'it has a row filter' };
  const byTarget = new Map(entity.attributes.map((attribute) => [attribute.target, attribute]));
  const pieces: string[] = [];
  for (const column of comparedColumns(entity.table)) {
    const attribute = byTarget.get(column.name);
    const why =
      attribute === undefined ? `${column.name} has no attribute` : notPushed(attribute, entity, spec);
    if (why !== undefined) return { shape, fallback: why };
    pieces.push(pieceSql(dialect, canonicalKindOf(column.type), quoteName(dialect, attribute!.column)));
  }
  return { shape: { ...shape, pieces } };
}
