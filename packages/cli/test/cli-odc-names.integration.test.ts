// Regression (issue 15 item 11): a generated mapping (snake_case target tables) run into an ODC app's
// REST API calls `UpsertTag`, the ODC entity's name, not `Upserttag`. Through the real command, from
// the sample O11 database on MariaDB into the project's fake ODC app (a real HTTP server); the
// stored records are compared with the source table by key.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOdcServer, type FakeOdcServer } from '@ferry/adapters/http/testing';
import { ExitCode } from '../src/output/exit-codes.js';
import { ferry, openFixture, physicalTable, type Fixture } from './cli-harness.js';

let fixture: Fixture;
let server: FakeOdcServer;
const cli = (...args: string[]) => ferry(args, { cwd: fixture.dir, env: fixture.env });

beforeAll(async () => {
  server = await startFakeOdcServer({});
  fixture = await openFixture(40);
  await fixture.writeConfig({
    target: { kind: 'odc-rest', baseUrl: server.url },
    state: { kind: 'file', dir: '.ferry/state' },
    entities: ['Catalog.Tag'],
  });
}, 240_000);
afterAll(async () => {
  await server?.close();
  await fixture?.drop();
});

it('a generated mapping calls UpsertTag, and the app stores every Tag by its O11 id', async () => {
  expect((await cli('discover')).code).toBe(ExitCode.ok);
  const run = await cli('run');
  expect(run.code, run.stderr).toBe(ExitCode.ok);
  expect(new Set(server.log.entries.map((e) => e.method))).toEqual(new Set(['UpsertTag']));
  const table = await physicalTable(fixture.source, 'Tag');
  const [rows] = (await fixture.source.raw(`SELECT CAST(ID AS CHAR) AS id FROM ${table}`)) as [
    { id: string }[],
  ];
  expect([...server.rows('Tag').keys()].sort()).toEqual(rows.map((r) => r.id).sort());
}, 240_000);
