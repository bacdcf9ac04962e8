// The O11 catalog: what discovery reads from the OSSYS_* metadata tables, in a driver-free shape.
// Discovery (in @ferry/adapters/o11) produces it; generateMapping and the model check consume it.
// Ids and SS_KEYs are strings so BIGINT ids and GUIDs stay exact.

/**
 * Every O11 basic type code as stored in OSSYS_ENTITY_ATTR.TYPE: the one list that discovery
 * (`isBasicType`) and the mapping spec's JSON Schema check against.
 */
export const O11_BASIC_TYPES = [
  'rtText',
  'rtInteger',
  'rtLongInteger',
  'rtDecimal',
  'rtCurrency',
  'rtBoolean',
  'rtDate',
  'rtTime',
  'rtDateTime',
  'rtEmail',
  'rtPhoneNumber',
  'rtBinaryData',
] as const satisfies readonly string[];

/** O11 basic type codes as stored in OSSYS_ENTITY_ATTR.TYPE (one of {@link O11_BASIC_TYPES}). */
export type O11BasicType = (typeof O11_BASIC_TYPES)[number];

/** O11 delete rule of a reference attribute. Only Protect and Delete have a database foreign key. */
export type O11DeleteRule = 'Protect' | 'Delete' | 'Ignore';

/** A module (OSSYS_ESPACE). */
export interface O11Module {
  readonly id: string;
  readonly name: string;
  readonly ssKey: string;
  readonly isActive: boolean;
  readonly isSystem: boolean;
}

/** What a reference attribute (`bt<module SS_KEY>*<entity SS_KEY>`) points at. */
export interface O11Reference {
  /** `user` when the target is the ServiceCenter User entity (OSSYS_USER). */
  readonly kind: 'entity' | 'user';
  readonly moduleSsKey: string;
  readonly entitySsKey: string;
  /**
   * The target entity's qualified name `Module.Entity` when it is in the catalog. Found by both SS_KEYs,
   * else by the entity SS_KEY alone (the code may name another module's SS_KEY: OutSystems'
   * data-migration guide shows such codes, cloned modules make them): an entity of the attribute's own
   * module first, then the one entity (or one active entity) of the database with that SS_KEY.
   */
  readonly target?: string;
  /**
   * When the entity SS_KEY alone matches several entities (none in the attribute's own module), their
   * qualified names: the reference is left unresolved (no `target`) and `generateMapping` warns.
   */
  readonly candidates?: readonly string[];
}

/** An attribute (OSSYS_ENTITY_ATTR). */
export interface O11Attribute {
  readonly name: string;
  /** Physical column name (in practice the attribute name upper-cased). */
  readonly column: string;
  readonly ssKey: string;
  /** The raw TYPE code. */
  readonly typeCode: string;
  /** The basic type; for references, the type of the referenced identifier. */
  readonly type: O11BasicType;
  /** Text length, or decimal precision for rtDecimal. */
  readonly length?: number;
  readonly decimals?: number;
  readonly isMandatory: boolean;
  readonly isAutoNumber: boolean;
  readonly isIdentifier: boolean;
  readonly isActive: boolean;
  readonly deleteRule?: O11DeleteRule;
  readonly reference?: O11Reference;
}

/** A static entity record (OSSYS_ENTITY_RECORD). `dataId` is the row's Id in the static table. */
export interface O11StaticRecord {
  readonly name: string;
  readonly ssKey: string;
  readonly dataId: string;
  readonly isActive: boolean;
}

/** An entity (OSSYS_ENTITY) with its attributes. */
export interface O11Entity {
  readonly id: string;
  readonly name: string;
  /** `Module.Entity`, unique in a catalog. */
  readonly qualifiedName: string;
  readonly module: string;
  readonly moduleSsKey: string;
  readonly ssKey: string;
  readonly physicalTable: string;
  /**
   * The database holding the table when its module lives in another database catalog
   * (OSSYS_ESPACE.DBCATALOG_ID, SQL Server); absent for the platform database.
   */
  readonly database?: string;
  readonly dataKind: 'entity' | 'staticEntity' | 'clientEntity';
  readonly isActive: boolean;
  readonly isSystem: boolean;
  /** Name of the identifier attribute, when the entity has one. */
  readonly identifier?: string;
  readonly attributes: readonly O11Attribute[];
  readonly staticRecords?: readonly O11StaticRecord[];
}

/** Everything discovery found. Inactive entities and attributes are listed, flagged `isActive: false`. */
export interface O11Catalog {
  readonly modules: readonly O11Module[];
  readonly entities: readonly O11Entity[];
  /** Counts from OSSYS_TENANT / OSSYS_USER, for the assessment (no user data here). */
  readonly tenants?: readonly { readonly id: string; readonly name: string }[];
  readonly userCount?: number;
}
