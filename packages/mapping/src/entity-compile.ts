// compileMapping: checks the spec (TS specs skip parseMapping), builds the dependency graph, derives
// or takes the target tables, and precompiles every attribute's converter and reference policy.

import { FerryError, type Row, type Value } from '@ferry/core';
import type {
  CompiledAttribute,
  CompiledEntity,
  CompiledMapping,
  CompiledReference,
} from './compiled-types.js';
import { resolveConversion } from './convert-options.js';
import { isFailure } from './convert-types.js';
import { buildConverter } from './converter-factory.js';
import { buildEntityGraph, type EntityGraph } from './dependency-graph.js';
import { compileFilter } from './filter-compile.js';
import { compileMask, maskNeedsKey } from './mask-compile.js';
import { MaskKey } from './mask-key.js';
import { maskSkipsRead } from './mask-spec.js';
import { MappingSpecError } from './spec-issue.js';
import { entityName, mappedAttributes, sourceColumn, targetColumn } from './spec-names.js';
import { validateMapping } from './spec-parse.js';
import type { AttributeSpec, EntitySpec, MappingSpec, MissingParentPolicy } from './spec-types.js';
import type { TargetTable } from './target.js';
import { targetTableFor } from './target-derive.js';

/** Options of {@link compileMapping}. */
export interface CompileOptions {
  /** Target tables as they really are (e.g. read from the ODC database), by entity name; default derived. */
  readonly targets?: ReadonlyMap<string, TargetTable>;
  /**
   * The key of `hash`, `fake` and `shift` masks. Default: read (only when a mask needs it) from the
   * environment variable `spec.masking.keyEnv`, else `FERRY_MASK_KEY`; missing → `FERRY_MASK_KEY_MISSING`.
   */
  readonly maskKey?: MaskKey;
  /** Where the mask key is read from when `maskKey` is absent; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The mask key when some attribute needs it: the given one, else from the environment. */
function maskKeyFor(spec: MappingSpec, options: CompileOptions): MaskKey | undefined {
  if (options.maskKey !== undefined) return options.maskKey;
  const needed = spec.entities.some((e) => Object.values(e.attributes).some(maskNeedsKey));
  return needed ? MaskKey.fromEnv(spec.masking?.keyEnv, options.env) : undefined;
}

function compileReference(attribute: AttributeSpec, spec: MappingSpec): CompiledReference | undefined {
  const reference = attribute.reference;
  if (reference === undefined) return undefined;
  if (reference.kind === 'user')
    return { kind: 'user', unmatched: reference.unmatched ?? spec.users?.unmatched ?? 'empty-guid' };
  if (reference.kind === 'static')
    return { kind: 'static', entity: reference.entity, by: reference.by ?? 'id' };
  const target = spec.entities.find((e) => entityName(e) === reference.entity);
  const targetRemaps = (target?.identity ?? spec.defaults?.identity ?? 'preserve') === 'remap';
  const remap = (reference.ids ?? (targetRemaps ? 'remap' : 'keep')) === 'remap';
  return { kind: 'entity', entity: reference.entity, remap, onMissing: missingPolicy(attribute, remap) };
}

/**
 * The policy for a parent row that is not in the target: the spec's `onMissing`, else the O11 delete
 * rule's (Protect and Delete, which ODC enforces with a foreign key, reject; Ignore keeps the id). A
 * remapped id cannot be kept, so there Ignore becomes NULL for optional references, else reject.
 */
function missingPolicy(attribute: AttributeSpec, remap: boolean): MissingParentPolicy {
  const reference = attribute.reference;
  if (reference?.kind !== 'entity') return 'reject';
  if (reference.onMissing !== undefined) return reference.onMissing;
  if ((reference.deleteRule ?? 'Protect') !== 'Ignore') return 'reject';
  if (!remap) return 'keep';
  return attribute.mandatory === true ? 'reject' : 'null';
}

function constantReader(
  name: string,
  entity: string,
  attribute: CompiledAttribute,
  masked?: (row: Row) => Value,
): (row: Row) => Value {
  const value = attribute.convert(masked === undefined ? attribute.spec.constant : masked({}));
  if (isFailure(value)) {
    throw new FerryError(`constant of ${entity}.${name} does not fit its type: ${value.message}`, {
      code: 'FERRY_MAPPING_CONSTANT',
      reason: 'invalid-config',
      entity,
      attribute: name,
    });
  }
  return () => value;
}

interface AttributeScope {
  readonly entity: EntitySpec;
  readonly table: TargetTable;
  readonly spec: MappingSpec;
  readonly deferred: ReadonlySet<string>;
  readonly maskKey: MaskKey | undefined;
}

function compileAttribute(name: string, attribute: AttributeSpec, scope: AttributeScope): CompiledAttribute {
  const { entity, table, spec, deferred } = scope;
  const pipeline = entityName(entity);
  const columnName = targetColumn(name, attribute, spec.defaults?.naming ?? 'snake_case');
  const column = table.columns.find((c) => c.name === columnName);
  if (column === undefined) {
    throw new FerryError(
      `target table ${table.table} has no column ${columnName} for ${pipeline}.${name}: add it or exclude the attribute`,
      { code: 'FERRY_TARGET_COLUMN_MISSING', reason: 'invalid-config', entity: pipeline, attribute: name },
    );
  }
  const reference = compileReference(attribute, spec);
  const mask = compileMask({
    entity: pipeline,
    name,
    attribute,
    maxLength: column.length ?? attribute.targetLength ?? attribute.length ?? Infinity,
    // Same defaults as the decimal converter's (converter-factory.ts).
    intDigits: (column.precision ?? 37) - (column.scale ?? 8),
    key: scope.maskKey,
  });
  const convert = buildConverter(attribute, column, resolveConversion(spec.defaults, entity, attribute));
  const compiled: CompiledAttribute = {
    name,
    column: sourceColumn(name, attribute),
    target: column.name,
    spec: attribute,
    targetColumn: column,
    convert: mask?.wrap === undefined ? convert : mask.wrap(convert),
    nullable: column.nullable || deferred.has(name),
    isKey: entity.key.includes(name),
    deferred: deferred.has(name),
    ...(reference === undefined ? {} : { reference }),
  };
  if (attribute.compute !== undefined) return { ...compiled, read: attribute.compute };
  // A redacted or nulled attribute reads a constant: its source column is never selected.
  if (attribute.constant !== undefined || mask?.read !== undefined)
    return { ...compiled, read: constantReader(name, pipeline, compiled, mask?.read) };
  return compiled;
}

function rowFilter(entity: EntitySpec, spec: MappingSpec): ((row: Row) => boolean) | undefined {
  const dateFields = resolveConversion(spec.defaults, entity).driverDates;
  const filters = [
    ...(entity.filter === undefined ? [] : [compileFilter(entity.filter, entity.attributes, dateFields)]),
    ...(entity.filterFn === undefined ? [] : [entity.filterFn]),
  ];
  if (filters.length <= 1) return filters[0];
  return (row) => filters.every((f) => f(row));
}

/** Source columns to read: plain attribute columns, plus every column when filters or code need them. */
function columnsToRead(entity: EntitySpec, attributes: readonly CompiledAttribute[]): string[] {
  const plain = attributes.filter((a) => a.read === undefined).map((a) => a.column);
  const needsAll =
    entity.filter !== undefined ||
    entity.filterFn !== undefined ||
    attributes.some((a) => a.spec.compute !== undefined);
  const all = Object.entries(entity.attributes)
    .filter(([, a]) => a.constant === undefined && a.compute === undefined && !maskSkipsRead(a.mask))
    .map(([n, a]) => sourceColumn(n, a));
  return [...new Set(needsAll ? [...plain, ...all] : plain)];
}

function compileEntity(
  entity: EntitySpec,
  spec: MappingSpec,
  graph: EntityGraph,
  options: CompileOptions,
  maskKey: MaskKey | undefined,
): CompiledEntity {
  const name = entityName(entity);
  const deferredNames = graph.deferred.get(name) ?? new Set<string>();
  const table = options.targets?.get(name) ?? targetTableFor(entity, spec, deferredNames);
  const scope = { entity, table, spec, deferred: deferredNames, maskKey };
  const attributes = mappedAttributes(entity).map(([n, a]) => compileAttribute(n, a, scope));
  const key = entity.key.map((k) => attributes.find((a) => a.name === k)!);
  const deferred = attributes.filter((a) => a.deferred);
  const filter = rowFilter(entity, spec);
  const cycle = graph.cycleOf.get(name);
  return {
    name,
    spec: entity,
    table,
    identity: entity.identity ?? spec.defaults?.identity ?? 'preserve',
    key,
    attributes,
    deferred,
    ...(filter === undefined ? {} : { filter }),
    dependsOn: graph.dependsOn.get(name) ?? [],
    ...(cycle === undefined ? {} : { cycle }),
    sourceColumns: columnsToRead(entity, attributes),
    sourceColumnsPass2: columnsToRead(entity, [...key, ...deferred]),
  };
}

/**
 * Compiles a mapping (a spec from {@link parseMapping} or a TS object, checked again here).
 *
 * @example
 * ```ts
 * const compiled = compileMapping(parseMapping(json));
 * const stage = mappingStage(compiled.entity('Sales.Order'), { idMap, users, statics });
 * ```
 */
export function compileMapping(spec: MappingSpec, options: CompileOptions = {}): CompiledMapping {
  const issues = validateMapping(spec);
  if (issues.length > 0) throw new MappingSpecError(issues);
  const graph = buildEntityGraph(spec);
  const maskKey = maskKeyFor(spec, options);
  const entities = spec.entities.map((entity) => compileEntity(entity, spec, graph, options, maskKey));
  const byName = new Map(entities.map((e) => [e.name, e]));
  return {
    spec,
    graph,
    entities,
    ...(maskKey === undefined ? {} : { maskKey }),
    entity(name) {
      const found = byName.get(name);
      if (found === undefined)
        throw new FerryError(`mapping has no entity "${name}"`, {
          code: 'FERRY_MAPPING_ENTITY',
          reason: 'not-found',
          entity: name,
        });
      return found;
    },
  };
}
