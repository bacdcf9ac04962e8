// A compiled mapping: everything per attribute decided once (columns, converter, reference policy), so
// the mapping stage does only lookups and calls per row.

import type { Row, Value } from '@ferry/core';
import type { Converter } from './convert-types.js';
import type { EntityGraph } from './dependency-graph.js';
import type { MaskKey } from './mask-key.js';
import type {
  AttributeSpec,
  EntitySpec,
  IdentityPolicy,
  MappingSpec,
  MissingParentPolicy,
  UnmatchedUserPolicy,
} from './spec-types.js';
import type { TargetColumn, TargetTable } from './target.js';

/** A reference attribute's policy, resolved. */
export type CompiledReference =
  | {
      readonly kind: 'entity';
      readonly entity: string;
      readonly remap: boolean;
      /** A parent row not in the target (see `MissingParentPolicy`); never `keep` when `remap`. */
      readonly onMissing: MissingParentPolicy;
    }
  | { readonly kind: 'user'; readonly unmatched: UnmatchedUserPolicy }
  | { readonly kind: 'static'; readonly entity: string; readonly by: 'id' | 'label' };

/** One attribute, ready to run. */
export interface CompiledAttribute {
  readonly name: string;
  /** Source column (O11 physical name). */
  readonly column: string;
  /** Target column name. */
  readonly target: string;
  readonly spec: AttributeSpec;
  readonly targetColumn: TargetColumn;
  readonly convert: Converter;
  /** Reads the raw value when it is not a plain column (constant, computed). */
  readonly read?: (row: Row) => Value;
  readonly nullable: boolean;
  readonly isKey: boolean;
  /** A reference into the entity's own cycle: NULL in pass 1, set in pass 2. */
  readonly deferred: boolean;
  readonly reference?: CompiledReference;
}

/** One entity, ready to run. */
export interface CompiledEntity {
  readonly name: string;
  readonly spec: EntitySpec;
  readonly table: TargetTable;
  readonly identity: IdentityPolicy;
  /** The key attributes, in key order. */
  readonly key: readonly CompiledAttribute[];
  /** The mapped attributes, in spec order. */
  readonly attributes: readonly CompiledAttribute[];
  /** The attributes set by pass 2 (empty when the entity is in no cycle). */
  readonly deferred: readonly CompiledAttribute[];
  readonly filter?: (row: Row) => boolean;
  /** Entities (outside its cycle) that must load first. */
  readonly dependsOn: readonly string[];
  /** The members of its cycle, when it is in one. */
  readonly cycle?: readonly string[];
  /** The source columns pass 1 reads; `sourceColumnsPass2` the ones pass 2 re-reads. */
  readonly sourceColumns: readonly string[];
  readonly sourceColumnsPass2: readonly string[];
}

/** A compiled mapping. */
export interface CompiledMapping {
  readonly spec: MappingSpec;
  readonly graph: EntityGraph;
  readonly entities: readonly CompiledEntity[];
  /** The mask key the masks were compiled with (opaque: never serialised), to compile again alike. */
  readonly maskKey?: MaskKey;
  /** The compiled entity of a name; throws a not-found FerryError for an unknown one. */
  entity(name: string): CompiledEntity;
}
