// Issue 13, case 5, ambiguous: LedgerLine.LedgerId's code `bt<foreign module>*<Ledger's SS_KEY>`
// matches two entities outside Sales (Ledger moved to Catalog, and a clone of Catalog holds the same
// SS_KEY). When the identifiers known are all Long Integer (the clone's attributes missing from the
// metadata, then present) the column keeps that type (bigint) and every row loads; when they differ,
// check and plan report it naming the candidates and run refuses. MariaDB and PostgreSQL sources,
// tables Ferry creates.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOREIGN_MODULE_SS_KEY, foreignModuleKeyShape } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, PG_URL, type Fixture, type SourceEngine } from './cli-harness.js';

const ENTITIES = ['-e', 'Catalog.Ledger', '-e', 'Sales.LedgerLine'];

interface MappingFile {
  entities: { name: string; attributes: Record<string, { type: string; reference?: unknown }> }[];
}

type Meta = Record<string, unknown>;

/** The id of the clone's OSSYS_ENTITY row. */
const CLONE = 900;

/** Moves Ledger to Catalog and adds CatalogClone with a copy of Ledger's entity row (no attributes). */
async function cloneLedger(fixture: Fixture): Promise<void> {
  const db = fixture.source;
  const ledger = (await db('OSSYS_ENTITY').where({ NAME: 'Ledger' }).first()) as Meta;
  const catalog = (await db('OSSYS_ESPACE').where({ NAME: 'Catalog' }).first()) as Meta;
  await db('OSSYS_ENTITY').where({ ID: ledger.ID }).update({ ESPACE_ID: catalog.ID });
  await db('OSSYS_ESPACE').insert({
    ID: 90,
    NAME: 'CatalogClone',
    SS_KEY: FOREIGN_MODULE_SS_KEY.replace('0f', 'aa'),
    IS_ACTIVE: true,
    IS_SYSTEM: false,
  });
  await db('OSSYS_ENTITY').insert({
    ...ledger,
    ID: CLONE,
    ESPACE_ID: 90,
    PHYSICAL_TABLE_NAME: 'OSUSR_CLN_LEDGER',
  });
}

/** Gives the clone a copy of Ledger's attributes, as a cloned module has them. */
async function cloneAttributes(fixture: Fixture): Promise<void> {
  const db = fixture.source;
  const ledger = (await db('OSSYS_ENTITY').where({ NAME: 'Ledger' }).whereNot({ ID: CLONE }).first()) as Meta;
  const attributes = (await db('OSSYS_ENTITY_ATTR').where({ ENTITY_ID: ledger.ID })) as Meta[];
  const [{ max }] = (await db('OSSYS_ENTITY_ATTR').max('ID as max')) as [{ max: number }];
  await db('OSSYS_ENTITY_ATTR').insert(
    attributes.map((a, i) => ({ ...a, ID: Number(max) + i + 1, ENTITY_ID: CLONE })),
  );
}

describe.each<SourceEngine>(['mariadb', 'postgres'])(
  '%s source: an ambiguous foreign-module reference',
  (engine) => {
    let fixture: Fixture;
    const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
    const mapping = async () =>
      JSON.parse(await readFile(join(fixture.dir, 'ferry.mapping.json'), 'utf8')) as MappingFile;
    /** `discover`, then the clone left out of the mapping (its table would be the same `ledger`). */
    const discover = async (...args: string[]) => {
      const result = await cli('discover', ...args);
      const spec = await mapping();
      spec.entities = spec.entities.filter((e) => e.name !== 'CatalogClone.Ledger');
      await writeFile(join(fixture.dir, 'ferry.mapping.json'), JSON.stringify(spec, null, 2));
      return result;
    };
    const lineAttribute = async () =>
      (await mapping()).entities.find((e) => e.name === 'Sales.LedgerLine')!.attributes['LedgerId']!;

    beforeAll(async () => {
      fixture = await openFixture(10, {}, { extra: foreignModuleKeyShape }, PG_URL, engine);
      await cloneLedger(fixture);
    }, 180_000);
    afterAll(async () => fixture?.drop());

    it('a clone whose attributes are not in the metadata: Long Integer kept, bigint column, rows as the source', async () => {
      const discovered = await discover();
      expect(discovered.code, discovered.stderr).toBe(ExitCode.ok);
      expect(discovered.stdout + discovered.stderr).toContain('Catalog.Ledger, CatalogClone.Ledger');
      const attribute = await lineAttribute();
      expect(attribute.type).toBe('rtLongInteger');
      expect(attribute.reference).toBeUndefined();
      const check = await cli('check', ...ENTITIES);
      expect(check.code, check.stdout + check.stderr).toBe(ExitCode.ok);
      const result = await cli('run', ...ENTITIES);
      expect(result.code, result.stdout + result.stderr).toBe(ExitCode.ok);
      const column = await fixture.target.query<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'ledger_line' AND column_name = 'ledger_id'`,
        [fixture.targetSchema],
      );
      expect(column.rows).toEqual([{ data_type: 'bigint' }]);
      const table = await physicalTable(fixture.source, 'LedgerLine');
      const source: { ID: unknown; LEDGERID: unknown }[] = await fixture
        .source(table)
        .select('ID', 'LEDGERID');
      const expected = source.map((r) => `${String(r.ID)}:${String(r.LEDGERID)}`).sort();
      expect(expected.length).toBe(20);
      const target = await fixture.target.query<{ line: string }>(
        `SELECT id::text || ':' || ledger_id::text AS line FROM ${fixture.targetSchema}.ledger_line`,
      );
      expect(target.rows.map((r) => r.line).sort()).toEqual(expected);
    }, 180_000);

    it('a clone with its attributes, the same identifier type: Long Integer, check passes', async () => {
      await cloneAttributes(fixture);
      const discovered = await discover('--force');
      expect(discovered.code, discovered.stderr).toBe(ExitCode.ok);
      expect((await lineAttribute()).type).toBe('rtLongInteger');
      const check = await cli('check', ...ENTITIES);
      expect(check.code, check.stdout + check.stderr).toBe(ExitCode.ok);
    }, 180_000);

    it('candidates whose identifier types differ: check and plan name them (exit 3), run refuses', async () => {
      const ledger = (await fixture.source('OSSYS_ENTITY').where({ ID: CLONE }).first()) as Meta;
      await fixture
        .source('OSSYS_ENTITY_ATTR')
        .where({ ENTITY_ID: CLONE, SS_KEY: ledger.PRIMARYKEY_SS_KEY })
        .update({ TYPE: 'rtInteger' });
      await fixture.target.query(`DROP SCHEMA IF EXISTS ${fixture.targetSchema} CASCADE`);
      const discovered = await discover('--force');
      expect(discovered.code, discovered.stderr).toBe(ExitCode.ok);
      for (const command of ['check', 'plan']) {
        const result = await cli('--json', command, ...ENTITIES);
        expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(ExitCode.findings);
        const { findings } = JSON.parse(result.stdout) as { findings: Record<string, string>[] };
        expect(findings).toEqual([
          expect.objectContaining({ kind: 'reference', entity: 'Sales.LedgerLine', attribute: 'LedgerId' }),
        ]);
        expect(findings[0]!.expected).toContain('Catalog.Ledger (rtLongInteger)');
        expect(findings[0]!.expected).toContain('CatalogClone.Ledger (rtInteger)');
      }
      await fixture.writeConfig({ runId: `${String(fixture.config.runId)}-differ` });
      const run = await cli('run', ...ENTITIES);
      expect(run.code, run.stdout + run.stderr).toBe(ExitCode.findings);
      expect(run.stderr).toContain('Run refused');
    }, 180_000);
  },
);
