// The two Migration Kit pre-checks read from O11 metadata rather than app data: a module whose user
// provider is not the `Users` module (OSSYS_ESPACE.USER_PROVIDER_ESPACE_ID), and a static entity whose
// identifier is auto-number. Only counts and metadata names are reported.

import type { O11Catalog, O11Entity } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { AssessFinding } from './assess-finding.js';
import { countWhere } from './assess-sql.js';

/** The note when the database cannot say which user provider a module uses. */
export const USER_PROVIDER_NOT_CHECKED =
  'user provider not checked: OSSYS_ESPACE has no USER_PROVIDER_ESPACE_ID column';

type Id = string | number | bigint | null | undefined;

interface EspaceRow {
  readonly ID: Id;
  readonly NAME: string;
  readonly USER_PROVIDER_ESPACE_ID: Id;
}

const idText = (value: Id): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

/** Rows of `entities` that reference a user (non-NULL, non-zero user reference attributes). */
async function userReferenceRows(db: Knex, entities: readonly O11Entity[]): Promise<number> {
  let rows = 0;
  for (const entity of entities) {
    const columns = entity.attributes
      .filter((a) => a.isActive && a.reference?.kind === 'user')
      .map((a) => a.column);
    if (columns.length === 0) continue;
    const any = columns.map(() => '(?? IS NOT NULL AND ?? <> 0)').join(' OR ');
    rows += await countWhere(
      db,
      entity.physicalTable,
      any,
      columns.flatMap((c) => [c, c]),
    );
  }
  return rows;
}

/**
 * Modules of `chosen` whose user provider is another module than `Users`. A NULL provider (the module
 * uses no users) is not a finding. Returns a note instead when the column does not exist.
 */
export async function userProviderCheck(
  db: Knex,
  catalog: O11Catalog,
  chosen: readonly O11Entity[],
): Promise<{ findings: AssessFinding[]; notes: string[] }> {
  if (!(await db.schema.hasColumn('OSSYS_ESPACE', 'USER_PROVIDER_ESPACE_ID')))
    return { findings: [], notes: [USER_PROVIDER_NOT_CHECKED] };
  // OSSYS_ESPACE is metadata (one row per module): read whole, compared in JS to stay dialect-free.
  const espaces: EspaceRow[] = await db('OSSYS_ESPACE').select('ID', 'NAME', 'USER_PROVIDER_ESPACE_ID');
  const nameOf = new Map(espaces.map((e) => [idText(e.ID), e.NAME.trim()]));
  const users = new Set(espaces.filter((e) => e.NAME.trim() === 'Users').map((e) => idText(e.ID)));
  const findings: AssessFinding[] = [];
  for (const module of catalog.modules) {
    const entities = chosen.filter((e) => e.module === module.name);
    const espace = espaces.find((e) => idText(e.ID) === module.id);
    const provider = idText(espace?.USER_PROVIDER_ESPACE_ID);
    if (entities.length === 0 || provider === undefined || users.has(provider)) continue;
    const rows = await userReferenceRows(db, entities);
    findings.push({
      check: 'user-provider',
      module: module.name,
      rows,
      message:
        `module uses the user provider ${nameOf.get(provider) ?? `#${provider}`}, not Users: ` +
        `ODC apps use Users only (${rows} row(s) reference a user)`,
    });
  }
  return { findings, notes: [] };
}

/** Static entities of `chosen` whose identifier is auto-number (a Migration Kit blocking pattern). */
export async function staticAutoNumberCheck(
  db: Knex,
  chosen: readonly O11Entity[],
): Promise<AssessFinding[]> {
  const findings: AssessFinding[] = [];
  for (const entity of chosen) {
    const key = entity.attributes.find((a) => a.isIdentifier);
    if (entity.dataKind !== 'staticEntity' || key?.isAutoNumber !== true) continue;
    const rows = await countWhere(db, entity.physicalTable, '1 = 1');
    findings.push({
      check: 'static-autonumber',
      entity: entity.qualifiedName,
      attribute: key.name,
      rows,
      message: `static entity with an auto-number identifier (${rows} record(s)); the Migration Kit blocks it`,
    });
  }
  return findings;
}
