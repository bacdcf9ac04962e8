// The mapping spec: a JSON document (or the same typed object in TS) that says, per O11 entity, where
// its rows come from, where they go, and how each attribute converts. JSON specs are checked by
// parseMapping; TS specs may also carry functions (computed attributes, function filters).

import type { Row, Value } from '@ferry/core';
import type { O11BasicType, O11DeleteRule } from './catalog.js';
import type { AttributeMask, MaskingSpec } from './mask-spec.js';
import type { TargetType } from './target.js';

/** O11 "empty" defaults ('' text, 1900-01-01 dates, 0 identifiers): keep them (Migration Kit) or NULL. */
export type EmptyDefaultsPolicy = 'keep' | 'null';
/** Keep O11 ids (`preserve`) or let the target assign new ids and record old → new (`remap`). */
export type IdentityPolicy = 'preserve' | 'remap';
/** What to do with a decimal whose scale exceeds the target's: reject the row, or round. */
export type RoundingMode = 'reject' | 'half-even' | 'half-up' | 'down';
/** The unit a target counts text length in: PostgreSQL code points, SQL Server UTF-16 units. */
export type TextLengthUnit = 'code-points' | 'utf16';
/** NUL characters (U+0000), which PostgreSQL refuses in text. */
export type NulPolicy = 'reject' | 'strip' | 'replace';
/** How target table and column names derive from logical names. */
export type NamingStyle = 'snake_case' | 'as-is';
/** What an O11 user reference becomes when no ODC user matches. */
export type UnmatchedUserPolicy = 'null' | 'empty-guid' | 'reject' | 'fail';

/** Conversion options; set in `defaults`, per entity or per attribute (the closest wins). */
export interface ConversionOptions {
  /** Default `keep`. */
  readonly emptyDefaults?: EmptyDefaultsPolicy;
  /** Default `reject`. */
  readonly rounding?: RoundingMode;
  /** Default `code-points` (PostgreSQL, ODC). */
  readonly textLengthUnit?: TextLengthUnit;
  /** Default `reject`. */
  readonly nul?: NulPolicy;
  /** Replacement for NUL under `nul: 'replace'`; default U+FFFD. */
  readonly nulReplacement?: string;
  /** IANA zone the O11 server stored Date Time values in; default `UTC` (O11 Cloud). */
  readonly timeZone?: string;
  /** Binary Data size limit in bytes; default 20 MB (ODC). */
  readonly maxBinaryBytes?: number;
  /** Long Integer output: canonical decimal `string` (default) or `bigint`. */
  readonly longIntegerAs?: 'string' | 'bigint';
  /** How a driver's `Date` objects hold wall-clock values: in UTC fields (mssql default) or local. */
  readonly driverDates?: 'utc' | 'local';
}

/** Defaults for the whole mapping. */
export interface MappingDefaults extends ConversionOptions {
  /** Default `preserve`. */
  readonly identity?: IdentityPolicy;
  /** Naming of targets given as `{ app, entity }` and of unnamed columns; default `snake_case`. */
  readonly naming?: NamingStyle;
}

/**
 * What a reference whose parent row is not in the target (missing in the source, or rejected) becomes:
 * - `reject`: the row is rejected (rule `dangling-reference`, with the parent's key), and so are its
 *   own children in turn, since it never reaches the target;
 * - `keep`: the dangling id is loaded as it is and counted (`dangling-reference-kept`); not for
 *   remapped ids (an O11 id would point at the wrong ODC record);
 * - `null`: the reference is loaded NULL and counted (`dangling-reference-nulled`); optional
 *   references only.
 */
export type MissingParentPolicy = 'reject' | 'keep' | 'null';

/** A reference to another mapped entity: ids kept, or remapped through the IdMapStore. */
export interface EntityReferenceSpec {
  readonly kind: 'entity';
  /** The referenced entity's mapping name, e.g. `Sales.Customer`. */
  readonly entity: string;
  /** Default: `remap` when the referenced entity's identity is `remap`, else `keep`. */
  readonly ids?: 'keep' | 'remap';
  /**
   * The O11 delete rule (`generateMapping` copies it from the catalog). Protect and Delete mean the
   * ODC entity has a foreign key; Ignore means it has none. Absent: Protect, O11's default.
   */
  readonly deleteRule?: O11DeleteRule;
  /**
   * A parent row that is not in the target. Default from `deleteRule`: `reject` for Protect and
   * Delete, `keep` for Ignore (for remapped ids, which cannot keep an O11 id: `null` when the
   * attribute is optional, else `reject`).
   */
  readonly onMissing?: MissingParentPolicy;
}

/** A reference to an O11 user (OSSYS_USER.ID), remapped to an ODC user id (UUID text). */
export interface UserReferenceSpec {
  readonly kind: 'user';
  /** Overrides `users.unmatched` for this attribute. */
  readonly unmatched?: UnmatchedUserPolicy;
}

/** A reference to a static entity's record, kept by id or re-resolved by the record's label. */
export interface StaticReferenceSpec {
  readonly kind: 'static';
  /** The static entity, `Module.Entity`. */
  readonly entity: string;
  /** Default `id`. */
  readonly by?: 'id' | 'label';
}

/** What a reference attribute points at. */
export type ReferenceSpec = EntityReferenceSpec | UserReferenceSpec | StaticReferenceSpec;

/** One attribute: its O11 type, where it comes from and where it goes. */
export interface AttributeSpec extends ConversionOptions {
  /** The O11 basic type; for references, the referenced identifier's type. */
  readonly type: O11BasicType;
  /** Source column; default the attribute name upper-cased (O11 convention). */
  readonly column?: string;
  /** Target column; default the attribute name under `defaults.naming`. */
  readonly target?: string;
  /** Leave this attribute out of the target. */
  readonly exclude?: boolean;
  readonly mandatory?: boolean;
  readonly autoNumber?: boolean;
  /** O11 length: text length, or decimal precision. */
  readonly length?: number;
  /** O11 decimals (scale). */
  readonly decimals?: number;
  /** Target numeric precision, when it differs from the O11 length. */
  readonly precision?: number;
  /** Target numeric scale, when it differs from the O11 decimals. */
  readonly scale?: number;
  /** Target varchar length, when it differs from the O11 length. */
  readonly targetLength?: number;
  /** Target column type, when it differs from the derived one. */
  readonly targetType?: TargetType;
  /** A constant value instead of a source column. */
  readonly constant?: string | number | boolean | null;
  /** TS only: computes the value from the source row (O11 column names). */
  readonly compute?: (row: Row) => Value;
  readonly reference?: ReferenceSpec;
  /**
   * Masks the value on its way to the target (see `MaskKind`): `redact` and `null` never read the
   * source column; `hash`, `fake` and `shift` need the mask key. Not on keys or references.
   */
  readonly mask?: AttributeMask;
}

/** Where an entity's rows come from: a logical O11 entity, or a physical table. */
export type SourceSpec =
  { readonly module: string; readonly entity: string } | { readonly table: string; readonly schema?: string };

/** Where an entity's rows go: an ODC app and entity (named by `defaults.naming`), or a table. */
export type TargetSpec =
  { readonly app: string; readonly entity: string } | { readonly table: string; readonly schema?: string };

/** A scalar in a filter. */
export type FilterScalar = string | number | boolean;

/** A declarative row filter on source attributes; rows that do not match are counted as filtered. */
export type FilterSpec =
  | {
      readonly attribute: string;
      readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
      readonly value: FilterScalar;
    }
  | { readonly attribute: string; readonly op: 'in' | 'not-in'; readonly values: readonly FilterScalar[] }
  | { readonly attribute: string; readonly op: 'is-null' | 'not-null' | 'is-empty' | 'not-empty' }
  | { readonly all: readonly FilterSpec[] }
  | { readonly any: readonly FilterSpec[] }
  | { readonly not: FilterSpec };

/** One entity's mapping. */
export interface EntitySpec extends ConversionOptions {
  /** Pipeline name, unique; default `Module.Entity` or the source table. */
  readonly name?: string;
  readonly source: SourceSpec;
  readonly target: TargetSpec;
  /** Key attribute names (the identifier). */
  readonly key: readonly string[];
  readonly identity?: IdentityPolicy;
  /** Only these attributes (default all). */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly attributes: { readonly [name: string]: AttributeSpec };
  readonly filter?: FilterSpec;
  /** TS only: keep a source row when it returns true. */
  readonly filterFn?: (row: Row) => boolean;
}

/** How O11 users match ODC users. */
export interface UsersSpec {
  /** Default `email` (case-insensitive). */
  readonly match?: 'email' | 'username';
  /** Prefix added to the O11 username before matching the ODC username. */
  readonly usernamePrefix?: string;
  /** Default `empty-guid` (the Migration Kit's behaviour). */
  readonly unmatched?: UnmatchedUserPolicy;
  /**
   * Mask end users (needs the mask key): `ferry users` creates ODC users with fake e-mails, names and
   * usernames, and matching compares the O11 e-mail masked the same way (see `userMasker`).
   */
  readonly mask?: boolean;
}

/**
 * A complete mapping.
 *
 * @example
 * ```json
 * { "version": 1, "entities": [{ "source": { "module": "Sales", "entity": "Order" },
 *   "target": { "schema": "sales", "table": "order" }, "key": ["Id"],
 *   "attributes": { "Id": { "type": "rtLongInteger", "mandatory": true } } }] }
 * ```
 */
export interface MappingSpec {
  readonly version: 1;
  readonly defaults?: MappingDefaults;
  readonly users?: UsersSpec;
  /** Where masks find their key (default environment variable `FERRY_MASK_KEY`). */
  readonly masking?: MaskingSpec;
  readonly entities: readonly EntitySpec[];
}
