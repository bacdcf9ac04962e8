// Issue 13, case 7, "after a resume even the note was gone": a run with user references and
// `users.unmatched` set (no ODC users source), SIGKILLed through the real command while
// Catalog.Product is half written and resumed, still reports the unmatched user references after the
// resume, in the run's output, its report and `status`: as many as the source holds (SQL), not doubled
// by the batches the resumed process read again. From a MariaDB and a PostgreSQL O11 source.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_GUID } from '@ferry/mapping';
import { ExitCode } from '../src/output/exit-codes.js';
import {
  ferry,
  openFixture,
  PG_URL,
  physicalTable,
  startRunUntil,
  type Fixture,
  type SourceEngine,
} from './cli-harness.js';

interface Note {
  entity: string;
  attribute: string;
  event: string;
  count: number;
}
interface Status {
  state: string;
  entities: { entity: string; status: string }[];
  mapping: Note[];
}

const unmatched = (notes: readonly Note[]): number =>
  notes
    .filter(
      (n) => n.entity === 'Catalog.Product' && n.attribute === 'CreatedBy' && n.event === 'unmatched-user',
    )
    .reduce((sum, n) => sum + n.count, 0);

describe.each<SourceEngine>(['mariadb', 'postgres'])(
  '%s source: unmatched users over SIGKILL and resume',
  (engine) => {
    let fixture: Fixture;
    const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });
    const status = async (): Promise<Status> => JSON.parse((await cli('--json', 'status')).stdout) as Status;

    beforeAll(async () => {
      // 3,000 products in batches of 100, committed every 500; users.unmatched: "empty-guid" (the fixture's).
      fixture = await openFixture(
        3000,
        { batchSize: 100, commitEvery: 500, concurrency: 1 },
        {},
        PG_URL,
        engine,
      );
      expect(fixture.config['users']).toEqual({ unmatched: 'empty-guid' });
      expect((await cli('discover')).code).toBe(ExitCode.ok);
    }, 240_000);
    afterAll(async () => fixture?.drop());

    it('the resumed run reports each unmatched user reference once', async () => {
      const product = await physicalTable(fixture.source, 'Product');
      const expected = Number(
        (
          await fixture.source(product).whereNotNull('CREATEDBY').count<{ n: number | string }[]>({ n: '*' })
        )[0]!.n,
      );
      expect(expected).toBeGreaterThan(500);

      const first = await startRunUntil(fixture, /Catalog\.Product: [\d,]+ of/);
      first.child.kill('SIGKILL');
      await first.done;
      const killed = await status();
      expect(killed.state).toBe('interrupted');
      expect(killed.entities.find((e) => e.entity === 'Catalog.Product')?.status).not.toBe('completed');
      const before = unmatched(killed.mapping);
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(expected);

      const resumed = await cli('run');
      expect(resumed.code, resumed.stderr).toBe(ExitCode.ok);
      expect(resumed.stdout).toContain(`note: Catalog.Product.CreatedBy: ${expected} × unmatched-user`);
      const report = JSON.parse(
        await readFile(join(fixture.dir, '.ferry', `${String(fixture.config['runId'])}.report.json`), 'utf8'),
      ) as { mapping: Note[]; processes: { status: string }[] };
      expect(report.processes.map((p) => p.status)).toEqual(['killed', 'completed']);
      expect(unmatched(report.mapping)).toBe(expected);
      const after = await status();
      expect(after.state).toBe('completed');
      expect(unmatched(after.mapping)).toBe(expected);
      const text = await cli('status');
      expect(text.stdout).toContain(`note: Catalog.Product.CreatedBy: ${expected} × unmatched-user`);
      // The target agrees: every such reference became the empty GUID, once per product.
      const target = await fixture.target.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${fixture.targetSchema}.product WHERE created_by = $1`,
        [EMPTY_GUID],
      );
      expect(target.rows[0]!.n).toBe(expected);
    }, 420_000);
  },
);
