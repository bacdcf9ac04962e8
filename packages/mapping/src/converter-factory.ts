// Builds one attribute's converter once, from its O11 type, its target column and its resolved
// options; the O11 "empty" defaults turn into NULL here when the policy says so.

import { binaryConverter } from './binary-convert.js';
import { booleanConverter } from './boolean-convert.js';
import type { ResolvedConversion } from './convert-options.js';
import { isFailure, type Converter } from './convert-types.js';
import { dateConverter, dateTimeConverter, EMPTY_DATE_TIME, timeConverter } from './date-convert.js';
import { decimalConverter } from './decimal-convert.js';
import { integerConverter, longIntegerConverter } from './integer-convert.js';
import type { AttributeSpec } from './spec-types.js';
import type { TargetColumn } from './target.js';
import { textConverter } from './text-convert.js';

function baseConverter(
  attribute: AttributeSpec,
  column: TargetColumn,
  options: ResolvedConversion,
): Converter {
  switch (attribute.type) {
    case 'rtInteger':
      return integerConverter();
    case 'rtLongInteger':
      return longIntegerConverter(options.longIntegerAs);
    case 'rtDecimal':
    case 'rtCurrency':
      return decimalConverter({
        precision: column.precision ?? 37,
        scale: column.scale ?? 8,
        rounding: options.rounding,
      });
    case 'rtText':
    case 'rtEmail':
    case 'rtPhoneNumber':
      return textConverter({
        maxLength: column.length ?? attribute.targetLength ?? attribute.length,
        unit: options.textLengthUnit,
        nul: options.nul,
        nulReplacement: options.nulReplacement,
      });
    case 'rtBoolean':
      return booleanConverter();
    case 'rtDate':
      return dateConverter(options.driverDates);
    case 'rtTime':
      return timeConverter(options.driverDates);
    case 'rtDateTime':
      return dateTimeConverter(options.timeZone, options.driverDates);
    case 'rtBinaryData':
      return binaryConverter(options.maxBinaryBytes);
  }
}

/** The canonical O11 empty value of an attribute, when the "empty defaults → NULL" policy covers it. */
function emptyTest(attribute: AttributeSpec): ((value: unknown) => boolean) | undefined {
  if (attribute.reference !== undefined) return (v) => v === 0 || v === '0' || v === 0n || v === '';
  switch (attribute.type) {
    case 'rtText':
    case 'rtEmail':
    case 'rtPhoneNumber':
      return (v) => v === '';
    case 'rtDate':
      return (v) => v === '1900-01-01';
    case 'rtDateTime':
      return (v) => v === EMPTY_DATE_TIME;
    case 'rtBinaryData':
      return (v) => v instanceof Uint8Array && v.byteLength === 0;
    default:
      return undefined;
  }
}

/**
 * The converter of one attribute: raw driver value → canonical target value (or a failure). With
 * `emptyDefaults: 'null'`, O11 empty values ('' text, 1900-01-01 dates and date-times, 0 references,
 * empty binary) become NULL; numbers and booleans are never "empty" (0 and false are real values).
 */
export function buildConverter(
  attribute: AttributeSpec,
  column: TargetColumn,
  options: ResolvedConversion,
): Converter {
  const base = baseConverter(attribute, column, options);
  const isEmpty = options.emptyDefaults === 'null' ? emptyTest(attribute) : undefined;
  if (isEmpty === undefined) return base;
  return (value) => {
    const result = base(value);
    return !isFailure(result) && isEmpty(result) ? null : result;
  };
}
