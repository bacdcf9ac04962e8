// One entity's row mapping compiled once into a function: every attribute's read, convert, resolve and
// mandatory check inlined in order, and the target row built as one object literal (a fixed shape, no
// property added one at a time), or the first failure returned. The batch loop lives in row-mapper.ts.

import type { Row, Value } from '@ferry/core';
import { ConversionFailure, type Converter } from './convert-types.js';
import type { Resolver } from './reference-resolvers.js';

/** What the compiled function needs of one attribute's step. */
export interface RowStep {
  readonly column: string;
  readonly target: string;
  readonly read: ((row: Row) => Value) | undefined;
  readonly convert: Converter;
  readonly resolve: Resolver | undefined;
  readonly nullable: boolean;
  /** Pass 1 of a cyclic reference: always NULL. */
  readonly nullOnly: boolean;
}

/** The first attribute (by step index) whose value failed, and why. */
export class RowFailure {
  constructor(
    readonly step: number,
    readonly failure: ConversionFailure,
  ) {}
}

/** A source row to its target row, or the failure that rejects it. */
export type CompiledRow = (row: Row) => Record<string, Value> | RowFailure;

const MANDATORY = new ConversionFailure('mandatory', 'mandatory attribute has no value');

/**
 * Compiles the steps into one function. Names enter the generated code only as JSON string literals,
 * so no column or attribute name can change its meaning.
 */
export function compileRow(steps: readonly RowStep[]): CompiledRow {
  const body: string[] = ['let v;'];
  const fields: string[] = [];
  steps.forEach((step, i) => {
    const target = JSON.stringify(step.target);
    if (step.nullOnly) {
      fields.push(`${target}: null`);
      return;
    }
    const read = step.read === undefined ? `row[${JSON.stringify(step.column)}]` : `S[${i}].read(row)`;
    body.push(`v = S[${i}].convert(${read});`);
    if (step.resolve !== undefined)
      body.push(`if (v !== null && !(v instanceof CF)) v = S[${i}].resolve(v);`);
    if (!step.nullable) body.push('if (v === null) v = M;');
    body.push(`if (v instanceof CF) return new RF(${i}, v);`, `const v${i} = v;`);
    fields.push(`${target}: v${i}`);
  });
  body.push(`return { ${fields.join(', ')} };`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated once per entity from JSON-quoted names
  const factory = new Function(
    'S',
    'CF',
    'RF',
    'M',
    `return function mapRow(row) {\n${body.join('\n')}\n};`,
  ) as (
    steps: readonly RowStep[],
    failure: typeof ConversionFailure,
    rowFailure: typeof RowFailure,
    mandatory: ConversionFailure,
  ) => CompiledRow;
  return factory(steps, ConversionFailure, RowFailure, MANDATORY);
}
