// Checks a declarative row filter: its shape (recursive, so beyond what the JSON Schema says) and that
// every attribute it names exists in the entity.

import { pointer, type MappingIssue } from './spec-issue.js';

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const SETS = new Set(['in', 'not-in']);
const UNARY = new Set(['is-null', 'not-null', 'is-empty', 'not-empty']);
const OPS =
  '"eq", "ne", "lt", "le", "gt", "ge", "in", "not-in", "is-null", "not-null", "is-empty", "not-empty"';

function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function checkList(
  list: unknown,
  path: readonly (string | number)[],
  names: ReadonlySet<string>,
  out: MappingIssue[],
): void {
  if (!Array.isArray(list) || list.length === 0) {
    out.push({ path: pointer(...path), message: 'must be a non-empty array of filters' });
    return;
  }
  list.forEach((item, index) => checkFilter(item, [...path, index], names, out));
}

function checkComparison(
  filter: Record<string, unknown>,
  path: readonly (string | number)[],
  names: ReadonlySet<string>,
  out: MappingIssue[],
): void {
  const allowed = new Set(['attribute', 'op', 'value', 'values']);
  for (const key of Object.keys(filter)) {
    if (!allowed.has(key))
      out.push({ path: pointer(...path, key), message: 'is not a known property (check its spelling)' });
  }
  const { attribute, op } = filter;
  if (typeof attribute !== 'string')
    out.push({ path: pointer(...path, 'attribute'), message: 'must be an attribute name' });
  else if (!names.has(attribute))
    out.push({
      path: pointer(...path, 'attribute'),
      message: `must name an attribute of the entity ("${attribute}" is not one)`,
    });
  if (typeof op !== 'string' || !(COMPARISONS.has(op) || SETS.has(op) || UNARY.has(op))) {
    out.push({ path: pointer(...path, 'op'), message: `must be one of ${OPS}` });
    return;
  }
  if (COMPARISONS.has(op) && !isScalar(filter['value']))
    out.push({ path: pointer(...path, 'value'), message: `must be a string, number or boolean for "${op}"` });
  if (
    SETS.has(op) &&
    !(Array.isArray(filter['values']) && filter['values'].length > 0 && filter['values'].every(isScalar))
  ) {
    out.push({
      path: pointer(...path, 'values'),
      message: `must be a non-empty array of strings, numbers or booleans for "${op}"`,
    });
  }
}

/** Appends the issues of a filter at `path` to `out`. */
export function checkFilter(
  filter: unknown,
  path: readonly (string | number)[],
  names: ReadonlySet<string>,
  out: MappingIssue[],
): void {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    out.push({ path: pointer(...path), message: 'must be a filter object' });
    return;
  }
  const record = filter as Record<string, unknown>;
  const combinators = ['all', 'any', 'not'].filter((key) => key in record);
  if (combinators.length > 1 || (combinators.length === 1 && Object.keys(record).length > 1)) {
    out.push({
      path: pointer(...path),
      message: 'must have exactly one of "all", "any", "not", or be a comparison',
    });
    return;
  }
  if ('all' in record) checkList(record['all'], [...path, 'all'], names, out);
  else if ('any' in record) checkList(record['any'], [...path, 'any'], names, out);
  else if ('not' in record) checkFilter(record['not'], [...path, 'not'], names, out);
  else checkComparison(record, path, names, out);
}
