// The one entity every case moves: an O11-shaped `OSUSR_BEN_ORDERROW` of 10 columns. Setup, metadata,
// export, baselines and verification all read this single description, so a change of shape is one
// edit here (and a bump of SHAPE_VERSION, which makes setup rebuild the source database).

/** Bump when the table shape or the data generator changes: setup then recreates the source. */
export const SHAPE_VERSION = 3;

/** Physical table name, as O11 names entity tables (`OSUSR_<module hash>_<ENTITY>`). */
export const SOURCE_TABLE = 'OSUSR_BEN_ORDERROW';

/** How a column's values are compared between the two engines in the checksum. */
export type ColumnKind = 'bigint' | 'int' | 'text' | 'decimal' | 'bool' | 'datetime' | 'date' | 'blob';

/** One column of the benchmark entity. */
export interface BenchColumn {
  /** Attribute name (OSSYS_ENTITY_ATTR.NAME). */
  readonly attribute: string;
  /** Physical column (upper-case, as O11 creates it). */
  readonly column: string;
  readonly kind: ColumnKind;
  /** MariaDB column type. */
  readonly mariadb: string;
  /** PostgreSQL column type in the baseline targets. */
  readonly postgres: string;
  /** O11 basic type code; `user` marks the user reference (its code is built from metadata keys). */
  readonly o11Type: string;
  readonly length?: number;
  readonly decimals?: number;
  readonly nullable?: boolean;
}

/** The 10 columns: key, 200-char unicode text, int, decimal(37,8), bit, datetime, date, email, user, blob. */
export const BENCH_COLUMNS: readonly BenchColumn[] = [
  {
    attribute: 'Id',
    column: 'ID',
    kind: 'bigint',
    mariadb: 'BIGINT NOT NULL AUTO_INCREMENT',
    postgres: 'bigint NOT NULL',
    o11Type: 'rtLongInteger',
  },
  {
    attribute: 'Description',
    column: 'DESCRIPTION',
    kind: 'text',
    mariadb: "VARCHAR(200) CHARACTER SET utf8mb4 NOT NULL DEFAULT ''",
    postgres: 'varchar(200) NOT NULL',
    o11Type: 'rtText',
    length: 200,
  },
  {
    attribute: 'Quantity',
    column: 'QUANTITY',
    kind: 'int',
    mariadb: 'INT NOT NULL DEFAULT 0',
    postgres: 'integer NOT NULL',
    o11Type: 'rtInteger',
  },
  {
    attribute: 'Amount',
    column: 'AMOUNT',
    kind: 'decimal',
    mariadb: 'DECIMAL(37,8) NOT NULL DEFAULT 0',
    postgres: 'numeric(37,8) NOT NULL',
    o11Type: 'rtDecimal',
    length: 37,
    decimals: 8,
  },
  {
    attribute: 'IsPaid',
    column: 'ISPAID',
    kind: 'bool',
    mariadb: "BIT(1) NOT NULL DEFAULT b'0'",
    postgres: 'boolean NOT NULL',
    o11Type: 'rtBoolean',
  },
  {
    attribute: 'CreatedOn',
    column: 'CREATEDON',
    kind: 'datetime',
    mariadb: "DATETIME NOT NULL DEFAULT '1900-01-01 00:00:00'",
    postgres: 'timestamp NOT NULL',
    o11Type: 'rtDateTime',
  },
  {
    attribute: 'DeliveryDate',
    column: 'DELIVERYDATE',
    kind: 'date',
    mariadb: "DATE NOT NULL DEFAULT '1900-01-01'",
    postgres: 'date NOT NULL',
    o11Type: 'rtDate',
  },
  {
    attribute: 'Email',
    column: 'EMAIL',
    kind: 'text',
    mariadb: "VARCHAR(250) NOT NULL DEFAULT ''",
    postgres: 'varchar(250) NOT NULL',
    o11Type: 'rtEmail',
    length: 250,
  },
  {
    attribute: 'CreatedBy',
    column: 'CREATEDBY',
    kind: 'int',
    mariadb: 'INT NULL',
    postgres: 'integer',
    o11Type: 'user',
    nullable: true,
  },
  {
    attribute: 'Attachment',
    column: 'ATTACHMENT',
    kind: 'blob',
    mariadb: "LONGBLOB NOT NULL DEFAULT ''",
    postgres: 'bytea NOT NULL',
    o11Type: 'rtBinaryData',
  },
];

/** Users the CreatedBy column points at (OSSYS_USER ids 1..BENCH_USERS). */
export const BENCH_USERS = 50;

/**
 * The generator: one `SELECT` over MariaDB's SEQUENCE engine, column order as {@link BENCH_COLUMNS}.
 * Deterministic in `seq`: a 200-character text with accents, a dash and (every 50th row) an emoji; a
 * 1 KB blob in every 10th row and an empty one (O11's default) elsewhere; 1% NULL user references.
 */
export function generatorSelect(from: number, to: number): string {
  return `SELECT seq,
  LEFT(CONCAT('Commande n°', seq, IF(seq % 50 = 0, ' 🚢 ', ' — '), 'café crème à Zürich ',
    REPEAT(MD5(seq), 6)), 200),
  (seq * 7919) % 1000003 - 500000,
  CAST(IF(seq % 7 = 0, -1, 1) * ((seq * 104729) % 1000000007 + (seq % 100000000) / 100000000) AS DECIMAL(37,8)),
  seq % 2,
  TIMESTAMP'2015-01-01 00:00:00' + INTERVAL ((seq * 7919) % 315360000) SECOND,
  DATE'2000-01-01' + INTERVAL (seq % 10000) DAY,
  CONCAT('user.', seq, '@example.com'),
  IF(seq % 100 = 0, NULL, seq % ${BENCH_USERS} + 1),
  IF(seq % 10 = 0, REPEAT(UNHEX(SHA2(seq, 512)), 16), '')
FROM (SELECT CAST(seq AS SIGNED) AS seq FROM seq_${from}_to_${to}) AS g`;
}
