// Text, Email, Phone Number and text identifiers. Length is checked in the unit the target counts:
// PostgreSQL (ODC) counts code points, SQL Server UTF-16 units (an emoji is 1 vs 2). NUL characters,
// which PostgreSQL refuses in text, are rejected, stripped or replaced by policy.

import { ConversionFailure, typeFailure, type Converter } from './convert-types.js';
import type { NulPolicy, TextLengthUnit } from './spec-types.js';

/** The target's text limit and the NUL policy. */
export interface TextTarget {
  /** Maximum length in `unit`; undefined for unlimited (`text`). */
  readonly maxLength?: number | undefined;
  readonly unit: TextLengthUnit;
  readonly nul: NulPolicy;
  readonly nulReplacement: string;
}

/** Code points in a string (a surrogate pair counts 1; a combining mark counts 1 on its own). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The length of a string in a target's unit. */
export function textLength(text: string, unit: TextLengthUnit): number {
  return unit === 'utf16' ? text.length : codePointLength(text);
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** A text converter: NUL policy, then the length check. */
export function textConverter(target: TextTarget): Converter {
  const { maxLength, unit, nul, nulReplacement } = target;
  return (value) => {
    if (value === null || value === undefined) return null;
    let text = toText(value);
    if (text === undefined) return typeFailure('text', value);
    if (text.includes('\u0000')) {
      if (nul === 'reject')
        return new ConversionFailure(
          'nul',
          'text contains a NUL character, which PostgreSQL refuses (set nul: "strip" or "replace")',
        );
      text = text.replaceAll('\u0000', nul === 'strip' ? '' : nulReplacement);
    }
    // Code points never exceed UTF-16 units, so a short string passes without counting.
    if (maxLength !== undefined && text.length > maxLength) {
      const length = textLength(text, unit);
      if (length > maxLength) {
        const unitName = unit === 'utf16' ? 'UTF-16 units' : 'characters (code points)';
        return new ConversionFailure(
          'max-length',
          `text is ${length} ${unitName}, target allows ${maxLength}`,
        );
      }
    }
    return text;
  };
}
