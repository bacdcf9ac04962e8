// A problem found in a mapping spec, located by JSON pointer, and the error that lists them all.
// Messages say what was expected; they never echo row data (a spec holds none anyway).

import { FerryError } from '@ferry/core';

/** One problem in a mapping spec. */
export interface MappingIssue {
  /** JSON pointer into the spec, e.g. `/entities/2/attributes/Price/precision`. */
  readonly path: string;
  /** What was expected, e.g. `must be an integer <= 1000`. */
  readonly message: string;
  /** For an unknown property: the closest allowed name, e.g. `length` for `lenght`. */
  readonly suggestion?: string;
  /** For text that is not valid JSON: where the first syntax error is (1-based). */
  readonly line?: number;
  /** With `line`: the 1-based column. */
  readonly column?: number;
}

/**
 * One issue as one line: `path: message`, plus `; did you mean "x"?` when there is a suggestion; a
 * syntax error is placed by `line L, column C` instead of its path.
 */
export function describeIssue(issue: MappingIssue): string {
  const hint = issue.suggestion === undefined ? '' : `; did you mean "${issue.suggestion}"?`;
  const where =
    issue.line === undefined ? issue.path || '/' : `line ${issue.line}, column ${issue.column ?? 1}`;
  return `${where}: ${issue.message}${hint}`;
}

/** Thrown by parseMapping: an invalid-config FerryError listing every issue with its path. */
export class MappingSpecError extends FerryError {
  override readonly name: string = 'MappingSpecError';
  readonly issues: readonly MappingIssue[];

  constructor(issues: readonly MappingIssue[]) {
    const lines = issues.map((issue) => `  ${describeIssue(issue)}`);
    const count = `${issues.length} error${issues.length === 1 ? '' : 's'}`;
    super(`invalid mapping spec (${count}); fix these and run again:\n${lines.join('\n')}`, {
      code: 'FERRY_MAPPING_INVALID',
      reason: 'invalid-config',
      operation: 'mapping.parse',
    });
    this.issues = issues;
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Joins JSON pointer segments. */
export function pointer(...segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${pointerSegment(segment)}`).join('');
}
