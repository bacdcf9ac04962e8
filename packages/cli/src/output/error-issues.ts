// The `issues` array of a `--json` error document: one entry per problem. A config or mapping error
// lists each problem with its JSON path (and a did-you-mean); any other error is one issue.

import { isFerryError } from '@ferry/core';
import { scrubSecrets } from './format-error.js';

/** One problem in the `--json` error document. */
export interface ErrorIssue {
  /** JSON pointer into the config or mapping file (`''` for the whole file); absent for other errors. */
  readonly path?: string;
  readonly message: string;
  /** A `FerryErrorCode`, or `FERRY_UNKNOWN` for an error Ferry did not classify. */
  readonly code: string;
  /** The closest allowed name, for an unknown property or kind. */
  readonly suggestion?: string;
  /** 1-based line and column of a JSON syntax error. */
  readonly line?: number;
  readonly column?: number;
}

interface ListedIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
  readonly suggestion?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Whether the error lists its issues (`ConfigIssuesError`, `MappingSpecError`). */
function listed(error: unknown): readonly ListedIssue[] | undefined {
  const issues = (error as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? (issues as ListedIssue[]) : undefined;
}

/** The issues of an error, each message scrubbed of credentials; never empty. */
export function errorIssues(error: unknown): readonly ErrorIssue[] {
  const code = isFerryError(error) ? error.code : 'FERRY_UNKNOWN';
  const issues = listed(error);
  if (issues === undefined || issues.length === 0) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ message: scrubSecrets(message), code }];
  }
  return issues.map((issue) => ({
    path: issue.path,
    message: scrubSecrets(issue.message),
    code: issue.code ?? code,
    ...(issue.suggestion === undefined ? {} : { suggestion: issue.suggestion }),
    ...(issue.line === undefined ? {} : { line: issue.line, column: issue.column }),
  }));
}
