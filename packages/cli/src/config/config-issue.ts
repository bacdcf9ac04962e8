// The problems of a config file, one per issue with its JSON path, and the error that lists them.
// Messages name keys and kinds, never a value from the file (a config may hold more than env refs).

import { FerryError, type FerryErrorCode } from '@ferry/core';
import { allowedKeysOf, describeIssue, pointerSegment, suggestKey, type MappingIssue } from '@ferry/mapping';
import type { ErrorObject } from 'ajv';

/**
 * One problem of a config: where (`path`, a JSON pointer such as `/source/host`, `''` for the whole
 * file; or `line`/`column` for a syntax error), what (`message`), the closest allowed name for an
 * unknown property or kind (`suggestion`), and the code of the error it belongs to.
 */
export interface ConfigIssue extends MappingIssue {
  /** `FERRY_CONFIG_INVALID` (schema) or `FERRY_CONFIG_MALFORMED` (syntax). */
  readonly code: FerryErrorCode;
}

/** A config error that lists its issues (`FERRY_CONFIG_INVALID` or `FERRY_CONFIG_MALFORMED`). */
export class ConfigIssuesError extends FerryError {
  override readonly name: string = 'ConfigIssuesError';
  readonly issues: readonly ConfigIssue[];

  constructor(headline: string, issues: readonly ConfigIssue[], operation: string, cause?: unknown) {
    const code = issues[0]?.code ?? 'FERRY_CONFIG_INVALID';
    const lines = issues.map((issue) => `\n  ${describeIssue(issue)}`).join('');
    super(`${headline}:${lines}`, { code, reason: 'invalid-config', operation, cause });
    this.issues = issues;
  }
}

const withSuggestion = (issue: ConfigIssue, suggestion: string | undefined): ConfigIssue =>
  suggestion === undefined ? issue : { ...issue, suggestion };

/**
 * One ajv error (compiled with `verbose: true`, so the schema of an unknown property's object is at
 * hand) as an issue. `kindsAt` gives the kinds of a discriminated block by its path.
 */
export function configIssueOf(
  error: ErrorObject,
  kindsAt: (path: string) => readonly string[] | undefined,
): ConfigIssue {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const code = 'FERRY_CONFIG_INVALID';
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const issue = { path: `${path}/${pointerSegment(name)}`, message: 'unknown property', code } as const;
      return withSuggestion(issue, suggestKey(name, allowedKeysOf(error.parentSchema)));
    }
    case 'required':
      return {
        path: `${path}/${pointerSegment(String(params['missingProperty']))}`,
        message: 'is required',
        code,
      };
    case 'discriminator': {
      const known = kindsAt(path) ?? [];
      const value = params['tagValue'];
      const list = known.length === 0 ? '' : `; the kinds are ${known.map((k) => `"${k}"`).join(', ')}`;
      const message = `unknown or missing kind ${JSON.stringify(value ?? null)}${list}`;
      const suggestion = typeof value === 'string' ? suggestKey(value, known) : undefined;
      return withSuggestion({ path: `${path}/${String(params['tag'])}`, message, code }, suggestion);
    }
    case 'enum':
      return { path, message: `must be one of ${JSON.stringify(params['allowedValues'])}`, code };
    default:
      return { path, message: error.message ?? error.keyword, code };
  }
}
