// Compiles an attribute's `mask` once per entity into what the row function runs: a reader that
// replaces the source column (`redact`, `null`: the column is never read) or a wrapper around the
// attribute's converter (`hash`, `fake`, `shift`: convert, mask, convert again so the masked value
// passes the same exact checks: length, precision and scale, date range). One builder per kind.

import { FerryError, type Row, type Value } from '@ferry/core';
import type { O11BasicType } from './catalog.js';
import { isFailure, type Converter } from './convert-types.js';
import { EMPTY_VALUES, isO11Empty } from './mask-empty.js';
import { fakeDate, fakeText } from './mask-fake.js';
import { hashValue } from './mask-hash.js';
import type { MaskKey } from './mask-key.js';
import { DEFAULT_SHIFT_DAYS, dateShifter } from './mask-shift.js';
import { maskSpecOf, type FakeKind, type MaskKind, type MaskSpec } from './mask-spec.js';
import type { AttributeSpec } from './spec-types.js';
import { codePointLength } from './text-convert.js';

/** What a builder gets: the attribute, its name for messages, the text room and the key. */
export interface MaskContext {
  readonly entity: string;
  readonly name: string;
  readonly attribute: AttributeSpec;
  readonly spec: MaskSpec;
  /** Longest text the target column takes, in code points (Infinity when unbounded). */
  readonly maxLength: number;
  /** Digits a decimal column holds before the point (precision minus scale). */
  readonly intDigits?: number;
  /** Present whenever the mask needs one (`hash`, `fake`, `shift`). */
  readonly key: MaskKey | undefined;
}

/** A compiled mask: a replacement reader, or a wrapper of the converter. */
export interface CompiledMask {
  readonly read?: (row: Row) => Value;
  readonly wrap?: (convert: Converter) => Converter;
}

/** convert → (non-empty) mask → convert. */
function around(type: O11BasicType, mask: (value: Value) => Value): (convert: Converter) => Converter {
  return (convert) => (raw) => {
    const value = convert(raw);
    if (value === null || isFailure(value) || isO11Empty(type, value)) return value;
    return convert(mask(value));
  };
}

/** The fake kind an attribute gets when `as` is not given, by type; undefined for plain text. */
export function defaultFakeKind(type: O11BasicType): FakeKind | undefined {
  if (type === 'rtEmail') return 'email';
  if (type === 'rtPhoneNumber') return 'phone';
  if (type === 'rtDate' || type === 'rtDateTime') return 'date';
  return undefined;
}

function cut(text: string, maxLength: number): string {
  return codePointLength(text) <= maxLength ? text : [...text].slice(0, maxLength).join('').trimEnd();
}

function fake(context: MaskContext): CompiledMask {
  const { spec, attribute, maxLength } = context;
  const key = context.key!;
  const as = spec.as ?? defaultFakeKind(attribute.type) ?? 'words';
  if (as === 'date')
    return { wrap: around(attribute.type, (v) => `${fakeDate(key, spec, String(v))}${String(v).slice(10)}`) };
  return {
    wrap: around(attribute.type, (v) => {
      const text = String(v);
      const out = cut(fakeText(key, spec, as, text, maxLength), maxLength);
      // A fake equal to its input would let the source value through: take the next one.
      return out.toLowerCase() !== text.toLowerCase()
        ? out
        : cut(fakeText(key, spec, as, `${text}\0`, maxLength), maxLength);
    }),
  };
}

const BUILDERS: Record<MaskKind, (context: MaskContext) => CompiledMask> = {
  redact: ({ spec, attribute }) => {
    const value = spec.value ?? EMPTY_VALUES[attribute.type];
    return { read: () => value };
  },
  null: () => ({ read: () => null }),
  hash: ({ key, attribute, intDigits }) => ({
    wrap: around(attribute.type, (v) => hashValue(key!, attribute.type, v, intDigits)),
  }),
  fake,
  shift: ({ key, spec, attribute }) => {
    const shift = dateShifter(key!, spec.days ?? DEFAULT_SHIFT_DAYS);
    return { wrap: around(attribute.type, (v) => shift(String(v))) };
  },
};

/** Whether a mask needs the key (`hash`, `fake`, `shift`). */
export function maskNeedsKey(attribute: AttributeSpec): boolean {
  if (attribute.mask === undefined) return false;
  const kind = maskSpecOf(attribute.mask).kind;
  return kind === 'hash' || kind === 'fake' || kind === 'shift';
}

/** Compiles one attribute's mask; throws `FERRY_MASK_KEY_MISSING` when a keyed mask has no key. */
export function compileMask(context: Omit<MaskContext, 'spec'>): CompiledMask | undefined {
  const mask = context.attribute.mask;
  if (mask === undefined) return undefined;
  if (maskNeedsKey(context.attribute) && context.key === undefined) {
    throw new FerryError(`${context.entity}.${context.name} is masked but no mask key was given`, {
      code: 'FERRY_MASK_KEY_MISSING',
      reason: 'invalid-config',
      entity: context.entity,
      attribute: context.name,
    });
  }
  const spec = maskSpecOf(mask);
  return BUILDERS[spec.kind]({ ...context, spec });
}
