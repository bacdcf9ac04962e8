// The core Source conformance suite against knexSource on real SQLite, MariaDB and PostgreSQL: a
// fresh `ferry_conf_<random>` table per test, dropped afterwards.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeSourceConformance } from '@ferry/core/testing';
import { knexSource } from '@ferry/adapters/knex';
import {
  connectionsInUse,
  mariadbDatabase,
  postgresDatabase,
  sqliteDatabase,
} from './fixtures/test-databases.js';
import type { TestDatabase } from './fixtures/test-databases.js';

const factories = { sqlite: sqliteDatabase, mariadb: mariadbDatabase, postgres: postgresDatabase };

for (const [name, factory] of Object.entries(factories)) {
  describe(`knexSource on ${name}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await factory();
    });
    afterAll(async () => db?.drop());

    describeSourceConformance(`knexSource (${name})`, {
      async setup() {
        const table = `ferry_conf_${randomBytes(4).toString('hex')}`;
        await db.knex.schema.createTable(table, (t) => {
          t.bigInteger('id').primary();
          t.string('name', 200).nullable();
          // SQLite has no exact decimal: TEXT affinity keeps the digits.
          if (db.dialect === 'sqlite') t.specificType('amount', 'TEXT').nullable();
          else t.decimal('amount', 37, 8).nullable();
          t.date('day').nullable();
          t.boolean('flag').nullable();
        });
        return {
          seed: async (rows) => {
            if (rows.length > 0)
              await db
                .knex(table)
                .insert(rows.map((r) => ({ ...r, flag: r.flag === null ? null : Number(r.flag) })));
          },
          source: () =>
            knexSource({
              knex: db.knex,
              table,
              key: ['id'],
              count: 'exact',
              columns: [
                { name: 'id', kind: 'bigint' },
                { name: 'name', kind: 'text' },
                { name: 'amount', kind: 'decimal' },
                { name: 'day', kind: 'date' },
                { name: 'flag', kind: 'boolean' },
              ],
            }),
          openResources: () => connectionsInUse(db.knex),
          teardown: () => db.knex.schema.dropTable(table),
        };
      },
    });
  });
}
