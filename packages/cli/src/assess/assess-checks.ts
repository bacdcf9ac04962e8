// The O11 data patterns that block or change an ODC migration, each measured with one aggregate
// query on the source (no row is read into memory, no value is reported: only counts and names).
// The list follows the Migration Kit's pre-checks plus the reference pitfalls seen in practice
// (deleted static records, dangling references of every delete rule) and NUL characters in text;
// the metadata-only checks (user provider, auto-number static entities) are in assess-model-checks.ts.

import { knexDialect } from '@ferry/adapters/knex';
import type { O11Attribute, O11Catalog, O11Entity } from '@ferry/mapping';
import type { Knex } from 'knex';
import type { AssessFinding, AssessReport } from './assess-finding.js';
import { staticAutoNumberCheck, userProviderCheck } from './assess-model-checks.js';
import { byteLengthSql, charLengthSql, countWhere, nulSql } from './assess-sql.js';

export type { AssessCheck, AssessFinding, AssessReport } from './assess-finding.js';

/** ODC limits the checks compare against. */
export const ODC_MAX_TEXT_CHARS = 100_000_000;
/** ODC's Binary Data limit in bytes (20 MB). */
export const ODC_MAX_BINARY_BYTES = 20 * 1024 * 1024;

const TEXT_TYPES = new Set(['rtText', 'rtEmail', 'rtPhoneNumber']);

const live = (entity: O11Entity): O11Attribute[] => entity.attributes.filter((a) => a.isActive);

async function sizeChecks(db: Knex, entity: O11Entity): Promise<AssessFinding[]> {
  const dialect = knexDialect(db);
  const found: AssessFinding[] = [];
  for (const attribute of live(entity)) {
    const column = db.raw('??', [attribute.column]).toQuery();
    if (attribute.type === 'rtText' && (attribute.length ?? 0) > 2000) {
      const rows = await countWhere(db, entity.physicalTable, `${charLengthSql(dialect, column)} > ?`, [
        ODC_MAX_TEXT_CHARS,
      ]);
      if (rows > 0)
        found.push({
          check: 'text-too-long',
          entity: entity.qualifiedName,
          attribute: attribute.name,
          rows,
          message: `${rows} row(s) hold text over ${ODC_MAX_TEXT_CHARS.toLocaleString('en-US')} characters`,
        });
    }
    if (attribute.type === 'rtBinaryData') {
      const rows = await countWhere(db, entity.physicalTable, `${byteLengthSql(dialect, column)} > ?`, [
        ODC_MAX_BINARY_BYTES,
      ]);
      if (rows > 0)
        found.push({
          check: 'binary-too-large',
          entity: entity.qualifiedName,
          attribute: attribute.name,
          rows,
          message: `${rows} row(s) hold binary data over 20 MB`,
        });
    }
  }
  return found;
}

async function referenceChecks(db: Knex, entity: O11Entity, catalog: O11Catalog): Promise<AssessFinding[]> {
  const found: AssessFinding[] = [];
  for (const attribute of live(entity)) {
    const target = catalog.entities.find((e) => e.qualifiedName === attribute.reference?.target);
    if (attribute.reference?.kind !== 'entity' || target === undefined) continue;
    if (target.dataKind === 'staticEntity') {
      const deleted = (target.staticRecords ?? []).filter((r) => !r.isActive).map((r) => r.dataId);
      if (deleted.length === 0) continue;
      const rows = await countWhere(
        db,
        entity.physicalTable,
        `?? IN (${deleted.map(() => '?').join(', ')})`,
        [attribute.column, ...deleted],
      );
      if (rows > 0)
        found.push({
          check: 'deleted-static-reference',
          entity: entity.qualifiedName,
          attribute: attribute.name,
          rows,
          message: `${rows} row(s) reference deleted records of ${target.qualifiedName} (${attribute.isMandatory ? 'the attribute is mandatory: run rejects those rows' : 'they load as NULL'})`,
        });
    } else {
      const finding = await danglingCheck(db, entity, attribute, target);
      if (finding !== undefined) found.push(finding);
    }
  }
  return found;
}

/**
 * References to rows that do not exist, for every delete rule: Ignore has no constraint in O11, and
 * Protect/Delete have one only where the platform created it. `run` keeps the former (counted) and
 * rejects rows holding the latter, by default.
 */
async function danglingCheck(
  db: Knex,
  entity: O11Entity,
  attribute: O11Attribute,
  target: O11Entity,
): Promise<AssessFinding | undefined> {
  const key = target.attributes.find((a) => a.isIdentifier);
  if (key === undefined) return undefined;
  const rows = await countWhere(
    db,
    `${entity.physicalTable} as s`,
    `?? IS NOT NULL AND ?? <> 0 AND NOT EXISTS (SELECT 1 FROM ?? t WHERE t.?? = s.??)`,
    [`s.${attribute.column}`, `s.${attribute.column}`, target.physicalTable, key.column, attribute.column],
  );
  if (rows === 0) return undefined;
  const rule = attribute.deleteRule ?? 'Protect';
  const ignore = rule === 'Ignore';
  return {
    check: ignore ? 'ignore-orphan' : 'dangling-reference',
    entity: entity.qualifiedName,
    attribute: attribute.name,
    rows,
    message: ignore
      ? `${rows} row(s) point at missing ${target.qualifiedName} rows (delete rule Ignore: run keeps the ids and counts them)`
      : `${rows} row(s) point at missing ${target.qualifiedName} rows (delete rule ${rule}: run rejects them and their children unless the reference's onMissing says otherwise)`,
  };
}

/** NUL characters (U+0000) per text attribute: PostgreSQL, and so ODC, refuses them in text. */
async function nulChecks(db: Knex, entity: O11Entity): Promise<AssessFinding[]> {
  const dialect = knexDialect(db);
  const found: AssessFinding[] = [];
  for (const attribute of live(entity)) {
    if (!TEXT_TYPES.has(attribute.type)) continue;
    const column = db.raw('??', [attribute.column]).toQuery();
    const where = nulSql(dialect, column);
    if (where === undefined) continue;
    const rows = await countWhere(db, entity.physicalTable, where);
    if (rows > 0)
      found.push({
        check: 'nul-character',
        entity: entity.qualifiedName,
        attribute: attribute.name,
        rows,
        message: `${rows} row(s) hold a NUL character in text (rejected by run unless the mapping's nul option strips or replaces it)`,
      });
  }
  return found;
}

async function userChecks(db: Knex): Promise<AssessFinding[]> {
  const found: AssessFinding[] = [];
  const tenants: { n?: unknown }[] = await db('OSSYS_USER').countDistinct({ n: 'TENANT_ID' });
  const tenantCount = Number(tenants[0]?.n ?? 0);
  if (tenantCount > 1)
    found.push({
      check: 'multiple-tenants',
      rows: tenantCount,
      message: `users belong to ${tenantCount} tenants; ODC apps are single-tenant`,
    });
  const empty = await countWhere(db, 'OSSYS_USER', `TRIM(??) = ''`, ['EMAIL']);
  if (empty > 0)
    found.push({
      check: 'user-email-empty',
      entity: 'ServiceCenter.User',
      attribute: 'Email',
      rows: empty,
      message: `${empty} user(s) have an empty email`,
    });
  const dup = (await db
    .from(
      db('OSSYS_USER')
        .select(db.raw('LOWER(TRIM(??)) AS e', ['EMAIL']))
        .whereRaw(`TRIM(??) <> ''`, ['EMAIL'])
        .as('u'),
    )
    .select('e')
    .groupBy('e')
    .havingRaw('COUNT(*) > 1')) as unknown[];
  if (dup.length > 0)
    found.push({
      check: 'user-email-duplicate',
      entity: 'ServiceCenter.User',
      attribute: 'Email',
      rows: dup.length,
      message: `${dup.length} email address(es) are shared by more than one user`,
    });
  return found;
}

/** Runs every check over the catalog's active, non-system entities (or the chosen ones). */
export async function assessSource(
  db: Knex,
  catalog: O11Catalog,
  entities?: ReadonlySet<string>,
): Promise<AssessReport> {
  const chosen = catalog.entities.filter(
    (e) => e.isActive && !e.isSystem && (entities === undefined || entities.has(e.qualifiedName)),
  );
  const findings: AssessFinding[] = [];
  for (const entity of chosen) {
    findings.push(
      ...(await sizeChecks(db, entity)),
      ...(await nulChecks(db, entity)),
      ...(await referenceChecks(db, entity, catalog)),
    );
  }
  const provider = await userProviderCheck(db, catalog, chosen);
  findings.push(
    ...(await userChecks(db)),
    ...provider.findings,
    ...(await staticAutoNumberCheck(db, chosen)),
  );
  return { findings, notes: provider.notes };
}
