// parseMapping: the JSON Schema (ajv, allErrors) then the cross-checks, every issue with its JSON path.
// The validator is compiled once, on first use.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseJsonText } from './json-syntax.js';
import { allowedKeysOf, suggestKey } from './key-suggest.js';
import { crossCheckMapping } from './spec-checks.js';
import { MappingSpecError, pointerSegment, type MappingIssue } from './spec-issue.js';
import { mappingJsonSchema } from './spec-schema.js';
import type { MappingSpec } from './spec-types.js';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true }).compile(
    mappingJsonSchema,
  );
  return validator;
}

function describe(error: ErrorObject): MappingIssue {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${error.instancePath}/${pointerSegment(String(params['missingProperty']))}`,
        message: 'is required',
      };
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const suggestion = suggestKey(name, allowedKeysOf(error.parentSchema));
      return {
        path: `${error.instancePath}/${pointerSegment(name)}`,
        message: 'is not a known property (check its spelling)',
        ...(suggestion === undefined ? {} : { suggestion }),
      };
    }
    case 'enum':
      return {
        path: error.instancePath,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: error.instancePath, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'discriminator':
      return {
        path: `${error.instancePath}/${String(params['tag'])}`,
        message: 'must be one of "entity", "user", "static"',
      };
    default:
      return { path: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** Every issue of a spec (schema, then cross-checks once the shape is right); empty when valid. */
export function validateMapping(spec: unknown): readonly MappingIssue[] {
  const validate = compiled();
  if (!validate(spec)) return (validate.errors ?? []).map(describe);
  return crossCheckMapping(spec as MappingSpec);
}

/**
 * Parses and checks a mapping spec (a JSON string or an already parsed object, which may carry TS
 * functions). Throws a {@link MappingSpecError} (reason `invalid-config`) listing every issue.
 *
 * @example
 * ```ts
 * const mapping = parseMapping(await readFile('ferry.mapping.json', 'utf8'));
 * ```
 */
export function parseMapping(json: unknown): MappingSpec {
  let value = json;
  if (typeof json === 'string') {
    const parsed = parseJsonText(json);
    if (parsed.problem !== undefined) {
      const { line, column, message } = parsed.problem;
      throw new MappingSpecError([{ path: '', message: `must be valid JSON (${message})`, line, column }]);
    }
    value = parsed.value;
  }
  const issues = validateMapping(value);
  if (issues.length > 0) throw new MappingSpecError(issues);
  return value as MappingSpec;
}
