// The shape every converter shares: a precompiled closure from a raw driver value to the canonical
// target value, or a ConversionFailure naming the rule it broke (never the value).

import type { Value } from '@ferry/core';

/** Why a value cannot be converted; becomes a RejectRecord. Holds no value. */
export class ConversionFailure {
  /** A stable rule name: `type`, `max-length`, `precision`, `scale`, `date-range`, `nul`, `binary-size`... */
  readonly rule: string;
  /** A human explanation that names no value. */
  readonly message: string;

  constructor(rule: string, message: string) {
    this.rule = rule;
    this.message = message;
  }
}

/** Whether a converter's result is a failure. */
export function isFailure(result: unknown): result is ConversionFailure {
  return result instanceof ConversionFailure;
}

/**
 * A per-attribute converter, built once per entity. `null` and `undefined` in give `null` out (the
 * mandatory rule is checked by the caller); anything else gives the canonical value or a failure.
 */
export type Converter = (value: Value | undefined) => Value | ConversionFailure;

/** A value's shape, for messages ("got a boolean"), never the value itself. */
export function shapeOf(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A failure for a value of the wrong shape. */
export function typeFailure(expected: string, value: unknown): ConversionFailure {
  return new ConversionFailure('type', `expected ${expected}, got ${shapeOf(value)}`);
}
