// Conversion options resolved once per attribute: defaults, then entity, then attribute (closest wins).

import type { ConversionOptions, NulPolicy, RoundingMode, TextLengthUnit } from './spec-types.js';

/** Every conversion option with its value decided. */
export interface ResolvedConversion {
  readonly emptyDefaults: 'keep' | 'null';
  readonly rounding: RoundingMode;
  readonly textLengthUnit: TextLengthUnit;
  readonly nul: NulPolicy;
  readonly nulReplacement: string;
  readonly timeZone: string;
  readonly maxBinaryBytes: number;
  readonly longIntegerAs: 'string' | 'bigint';
  readonly driverDates: 'utc' | 'local';
}

/** 20 MB, ODC's Binary Data limit (and the Migration Kit's blocking pattern). */
export const DEFAULT_MAX_BINARY_BYTES = 20 * 1024 * 1024;

const DEFAULTS: ResolvedConversion = {
  emptyDefaults: 'keep',
  rounding: 'reject',
  textLengthUnit: 'code-points',
  nul: 'reject',
  nulReplacement: '\uFFFD',
  timeZone: 'UTC',
  maxBinaryBytes: DEFAULT_MAX_BINARY_BYTES,
  longIntegerAs: 'string',
  driverDates: 'utc',
};

const KEYS = Object.keys(DEFAULTS) as (keyof ResolvedConversion)[];

/** Merges option layers, later layers winning; unset options keep the defaults. */
export function resolveConversion(...layers: readonly (ConversionOptions | undefined)[]): ResolvedConversion {
  const merged: Record<string, unknown> = { ...DEFAULTS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const key of KEYS) {
      const value = layer[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged as unknown as ResolvedConversion;
}
