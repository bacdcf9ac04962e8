// Every starter config `ferry init` can write is valid: for each source and target kind, the commented
// ferry.config.ts loads through the CLI's own loader (tsx, the config schema) to exactly the config
// data, the JSON form too, and the header names each environment variable the config references.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { renderJsonConfig, renderTsConfig } from '../src/init/init-render.js';
import { INIT_SOURCES, INIT_TARGETS, starterConfig } from '../src/init/starter-config.js';

let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const pairs = INIT_SOURCES.flatMap((s) => INIT_TARGETS.map((t) => [s, t] as const));

it.each(pairs)('%s → %s: the TS and JSON starters load to the same valid config', async (source, target) => {
  dir ??= await mkdtemp(join(tmpdir(), 'ferry-init-unit-'));
  const starter = starterConfig(source, target);
  const ts = renderTsConfig(starter, 'title');
  await writeFile(join(dir, `${source}-${target}.ts`), ts);
  await writeFile(join(dir, `${source}-${target}.json`), renderJsonConfig(starter));
  expect((await loadConfig(join(dir, `${source}-${target}.ts`))).config).toEqual(starter.config);
  expect((await loadConfig(join(dir, `${source}-${target}.json`))).config).toEqual(starter.config);
  const referenced = [...JSON.stringify(starter.config).matchAll(/"env":"(\w+)"/g)].map((m) => m[1]);
  expect(starter.env.map((e) => e.name).sort()).toEqual(referenced.sort());
  for (const name of referenced) expect(ts).toContain(`//   ${name}: `);
});

it('uncommenting the optional keys still gives a valid config', async () => {
  dir ??= await mkdtemp(join(tmpdir(), 'ferry-init-unit-'));
  const ts = renderTsConfig(starterConfig('mariadb', 'postgres'), 'title').replace(
    /^(\s*)\/\/ (\w+: .*,)(?: \/\/.*)?$/gm,
    '$1$2',
  );
  expect(ts).toContain("  mapping: 'ferry.mapping.json',");
  await writeFile(join(dir, 'all.ts'), ts);
  const { config } = await loadConfig(join(dir, 'all.ts'));
  expect(config).toMatchObject({
    batchSize: 1000,
    entities: ['Sales.Order'],
    source: { modules: ['Sales'] },
  });
  expect(config.users).toMatchObject({ odcUsersFile: 'odc-users.json' });
});
