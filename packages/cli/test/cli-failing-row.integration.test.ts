// Issue 13, case 6, through the real `ferry run`, from a MariaDB and a PostgreSQL O11 source: a target
// foreign key the parent check cannot see (the user kept dangling ids with `onMissing: "keep"`) refuses
// invoice 333, deep in one transaction of twelve batches. PostgreSQL checks a COPY's foreign keys at
// its end, when only the last two batches are in memory: the error still names the table, the
// constraint and the key of that row (the transaction's rows re-read and split), never a value.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleShape } from '@ferry/adapters/o11';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, PG_URL, physicalTable, type Fixture, type SourceEngine } from './cli-harness.js';

/** The refused invoice (batch 7 of 12 at 50 rows a batch) and the client id it names, absent. */
const BAD_INVOICE = 333;
const MISSING_CLIENT = 987654;

interface MappingFile {
  entities: { name?: string; attributes: Record<string, { reference?: Record<string, unknown> }> }[];
}

describe.each<SourceEngine>(['mariadb', 'postgres'])(
  '%s source: a row refused deep in a transaction',
  (engine) => {
    let fixture: Fixture;
    const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

    beforeAll(async () => {
      // 200 clients, 600 invoices; one transaction for the whole entity.
      fixture = await openFixture(
        200,
        { batchSize: 50, commitEvery: 100_000 },
        { extra: cycleShape },
        PG_URL,
        engine,
      );
      const invoice = await physicalTable(fixture.source, 'Invoice');
      // O11 enforces Protect only where the platform created the constraint: here it did not.
      await fixture.source.schema.alterTable(invoice, (t) => t.dropForeign(['CLIENTID']));
      await fixture.source(invoice).where({ ID: BAD_INVOICE }).update({ CLIENTID: MISSING_CLIENT });
      const s = fixture.targetSchema;
      await fixture.target.query(`CREATE SCHEMA ${s};
      CREATE TABLE ${s}.client (id integer PRIMARY KEY, name varchar(50) NOT NULL, main_invoice_id integer);
      CREATE TABLE ${s}.invoice (id integer PRIMARY KEY, number varchar(20) NOT NULL,
        client_id integer NOT NULL CONSTRAINT invoice_client_fk REFERENCES ${s}.client (id),
        amount numeric(37,8));`);
      await fixture.writeConfig({ target: { ...(fixture.config.target as object), createTables: false } });
      expect((await cli('discover')).code).toBe(ExitCode.ok);
      const path = join(fixture.dir, 'ferry.mapping.json');
      const mapping = JSON.parse(await readFile(path, 'utf8')) as MappingFile;
      mapping.entities = mapping.entities.filter(
        (e) => e.name === 'Sales.Client' || e.name === 'Sales.Invoice',
      );
      const clientId = mapping.entities.find((e) => e.name === 'Sales.Invoice')!.attributes['ClientId']!;
      clientId.reference = { ...clientId.reference, onMissing: 'keep' };
      await writeFile(path, JSON.stringify(mapping, null, 2));
    }, 300_000);
    afterAll(async () => fixture?.drop());

    it('run fails naming the table, the constraint and the key of the first failing row', async () => {
      const result = await cli('run');
      expect(result.code, result.stdout + result.stderr).toBe(ExitCode.failed);
      const output = result.stdout + result.stderr;
      expect(output).toContain(`${fixture.targetSchema}.invoice`);
      expect(output).toContain('SQLSTATE 23503');
      expect(output).toContain('constraint "invoice_client_fk"');
      expect(output).toContain(`first failing row: key (id) = (${BAD_INVOICE})`);
      expect(output).not.toContain('the failing row is one of');
      expect(output).not.toContain(String(MISSING_CLIENT));
      // The one transaction was rolled back: no invoice is in the target; every client is.
      const count = async (table: string): Promise<number> => {
        const sql = `SELECT count(*)::int AS n FROM ${fixture.targetSchema}.${table}`;
        return (await fixture.target.query<{ n: number }>(sql)).rows[0]!.n;
      };
      expect(await count('invoice')).toBe(0);
      expect(await count('client')).toBe(200);
    }, 300_000);
  },
);
