// Cross-checks a schema-valid spec for what JSON Schema cannot say: one source and one target form,
// unique names, keys that are attributes, references to mapped entities, consistent types and zones.

import { checkFilter } from './filter-check.js';
import { checkMasks } from './mask-check.js';
import { pointer, type MappingIssue } from './spec-issue.js';
import { entityName, targetColumn, targetTableName } from './spec-names.js';
import type { AttributeSpec, ConversionOptions, EntitySpec, MappingSpec, NamingStyle } from './spec-types.js';

type Path = readonly (string | number)[];
const ID_TYPES = new Set(['rtInteger', 'rtLongInteger', 'rtText']);

interface Form {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
}

function checkForm(value: object, path: Path, forms: readonly Form[], out: MappingIssue[]): void {
  const keys = Object.keys(value);
  const fits = (form: Form): boolean =>
    form.required.every((key) => keys.includes(key)) &&
    keys.every((key) => form.required.includes(key) || (form.optional ?? []).includes(key));
  if (forms.some(fits)) return;
  const shown = forms.map(
    (form) => `{ ${[...form.required, ...(form.optional ?? []).map((k) => `${k}?`)].join(', ')} }`,
  );
  out.push({ path: pointer(...path), message: `must be ${shown.join(' or ')}` });
}

function checkZone(options: ConversionOptions, path: Path, out: MappingIssue[]): void {
  if (options.timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone });
  } catch {
    out.push({
      path: pointer(...path, 'timeZone'),
      message: 'must be an IANA time zone, e.g. "Europe/Lisbon" or "UTC"',
    });
  }
}

function checkAttribute(
  name: string,
  attribute: AttributeSpec,
  path: Path,
  spec: MappingSpec,
  out: MappingIssue[],
): void {
  checkZone(attribute, path, out);
  if (attribute.constant !== undefined && attribute.compute !== undefined)
    out.push({ path: pointer(...path, 'compute'), message: 'must not be set together with "constant"' });
  if (attribute.compute !== undefined && typeof attribute.compute !== 'function')
    out.push({ path: pointer(...path, 'compute'), message: 'must be a function (TS specs only)' });
  if (attribute.type === 'rtDecimal' && (attribute.decimals ?? 0) > (attribute.length ?? 37))
    out.push({
      path: pointer(...path, 'decimals'),
      message: `must be <= length (${attribute.length ?? 37})`,
    });
  if (attribute.scale !== undefined && attribute.scale > (attribute.precision ?? attribute.length ?? 37))
    out.push({ path: pointer(...path, 'scale'), message: 'must be <= precision' });
  const reference = attribute.reference;
  if (reference === undefined) return;
  if (!ID_TYPES.has(attribute.type))
    out.push({
      path: pointer(...path, 'type'),
      message: `must be "rtInteger", "rtLongInteger" or "rtText" for a reference (attribute ${name})`,
    });
  if (reference.kind !== 'entity') return;
  const target = spec.entities.find((entity) => entityName(entity) === reference.entity);
  if (target === undefined) {
    out.push({
      path: pointer(...path, 'reference', 'entity'),
      message: `must name an entity of this mapping ("${reference.entity}" is not one)`,
    });
  } else if (
    reference.ids === 'remap' &&
    (target.identity ?? spec.defaults?.identity ?? 'preserve') !== 'remap'
  ) {
    out.push({
      path: pointer(...path, 'reference', 'ids'),
      message: `must be "keep": "${reference.entity}" keeps its ids (identity "preserve")`,
    });
  }
  checkMissingPolicy(attribute, path, spec, target, out);
}

/** `onMissing: "null"` needs an optional reference; `"keep"` cannot keep an O11 id that is remapped. */
function checkMissingPolicy(
  attribute: AttributeSpec,
  path: Path,
  spec: MappingSpec,
  target: EntitySpec | undefined,
  out: MappingIssue[],
): void {
  const reference = attribute.reference;
  if (reference?.kind !== 'entity') return;
  const where = pointer(...path, 'reference', 'onMissing');
  if (reference.onMissing === 'null' && attribute.mandatory === true)
    out.push({ path: where, message: 'must be "reject" or "keep": "null" needs an optional reference' });
  const targetRemaps = (target?.identity ?? spec.defaults?.identity ?? 'preserve') === 'remap';
  const remaps = (reference.ids ?? (targetRemaps ? 'remap' : 'keep')) === 'remap';
  if (reference.onMissing === 'keep' && remaps)
    out.push({
      path: where,
      message:
        'must be "reject" or "null": a remapped id cannot keep the O11 id (it would point at another record)',
    });
}

function checkColumns(entity: EntitySpec, path: Path, naming: NamingStyle, out: MappingIssue[]): void {
  const seen = new Map<string, string>();
  for (const [name, attribute] of Object.entries(entity.attributes)) {
    if (attribute.exclude === true) continue;
    const column = targetColumn(name, attribute, naming);
    const other = seen.get(column);
    if (other !== undefined)
      out.push({
        path: pointer(...path, 'attributes', name, 'target'),
        message: `must be unique: "${column}" is also the target of ${other}`,
      });
    seen.set(column, name);
  }
}

function checkNames(
  list: readonly string[] | undefined,
  names: ReadonlySet<string>,
  path: Path,
  out: MappingIssue[],
): void {
  list?.forEach((name, index) => {
    if (!names.has(name))
      out.push({
        path: pointer(...path, index),
        message: `must name an attribute of the entity ("${name}" is not one)`,
      });
  });
}

function checkEntity(entity: EntitySpec, index: number, spec: MappingSpec, out: MappingIssue[]): void {
  const path = ['entities', index];
  const naming = spec.defaults?.naming ?? 'snake_case';
  checkForm(
    entity.source,
    [...path, 'source'],
    [{ required: ['module', 'entity'] }, { required: ['table'], optional: ['schema'] }],
    out,
  );
  checkForm(
    entity.target,
    [...path, 'target'],
    [{ required: ['app', 'entity'] }, { required: ['table'], optional: ['schema'] }],
    out,
  );
  checkZone(entity, path, out);
  const names = new Set(Object.keys(entity.attributes));
  checkNames(entity.key, names, [...path, 'key'], out);
  checkNames(entity.include, names, [...path, 'include'], out);
  checkNames(entity.exclude, names, [...path, 'exclude'], out);
  entity.key.forEach((key, k) => {
    if (entity.attributes[key]?.exclude === true || entity.exclude?.includes(key) === true)
      out.push({ path: pointer(...path, 'key', k), message: `must not be excluded (key attribute ${key})` });
  });
  if ((entity.identity ?? spec.defaults?.identity) === 'remap' && entity.key.length !== 1)
    out.push({
      path: pointer(...path, 'identity'),
      message: 'must be "preserve" for a composite key ("remap" needs a single identifier)',
    });
  checkColumns(entity, path, naming, out);
  for (const [name, attribute] of Object.entries(entity.attributes))
    checkAttribute(name, attribute, [...path, 'attributes', name], spec, out);
  checkMasks(entity, path, out);
  if (entity.filter !== undefined) checkFilter(entity.filter, [...path, 'filter'], names, out);
  if (entity.filterFn !== undefined && typeof entity.filterFn !== 'function')
    out.push({ path: pointer(...path, 'filterFn'), message: 'must be a function (TS specs only)' });
}

/** The issues of a schema-valid spec beyond its shape. */
export function crossCheckMapping(spec: MappingSpec): readonly MappingIssue[] {
  const out: MappingIssue[] = [];
  if (spec.defaults !== undefined) checkZone(spec.defaults, ['defaults'], out);
  const naming = spec.defaults?.naming ?? 'snake_case';
  const pipelines = new Map<string, number>();
  const tables = new Map<string, number>();
  spec.entities.forEach((entity, index) => {
    checkEntity(entity, index, spec, out);
    const name = entityName(entity);
    const first = pipelines.get(name);
    if (first !== undefined)
      out.push({
        path: pointer('entities', index, entity.name === undefined ? 'source' : 'name'),
        message: `must be unique: entity name "${name}" is also /entities/${first}`,
      });
    else pipelines.set(name, index);
    const { schema, table } = targetTableName(entity, naming);
    const qualified = `${schema ?? ''}.${table}`;
    const other = tables.get(qualified);
    if (other !== undefined)
      out.push({
        path: pointer('entities', index, 'target'),
        message: `must be unique: target table "${qualified}" is also the target of /entities/${other}`,
      });
    else tables.set(qualified, index);
  });
  return out;
}
