// User references: O11 user ids to ODC ids by email (case-insensitive) or username, with duplicate,
// empty and unmatched emails under each policy.
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '@ferry/core';
import {
  EMPTY_GUID,
  MappingStats,
  UserMap,
  compileMapping,
  loadOdcUsers,
  type MappingSpec,
  type UnmatchedUserPolicy,
} from '@ferry/mapping';
import { runStage } from './helpers.js';

const o11Users = [
  { id: 1, username: 'ana', email: 'Ana@Example.com', password: 'never-read' },
  { id: 2, username: 'bob', email: 'bob@example.com' },
  { id: 3, username: 'dup1', email: 'same@example.com' },
  { id: 4, username: 'dup2', email: 'SAME@example.com' },
  { id: 5, username: 'noemail', email: '' },
  { id: 6, username: 'ghost', email: 'ghost@example.com' },
];
const odcUsers = [
  { id: 'uuid-ana', email: 'ana@example.com', username: 'o11_ana' },
  { id: 'uuid-bob', email: 'BOB@EXAMPLE.COM' },
  { id: 'uuid-same', email: 'same@example.com' },
];

describe('UserMap', () => {
  it('matches by email case-insensitively and reports duplicate, empty and unmatched users by id', () => {
    const users = UserMap.build(o11Users, odcUsers);
    expect(users.resolve('1')).toBe('uuid-ana');
    expect(users.resolve('2')).toBe('uuid-bob');
    expect(users.resolve('3')).toBeUndefined();
    expect(users.report).toEqual({
      o11Users: 6,
      matched: 2,
      unmatched: ['3', '4', '5', '6'],
      emptyKey: ['5'],
      duplicateKey: ['3', '4'],
      odcDuplicateKey: [],
    });
    expect(JSON.stringify(users.report)).not.toMatch(/@|never-read/);
  });

  it('matches by username with a prefix', () => {
    const users = UserMap.build(o11Users, odcUsers, { match: 'username', usernamePrefix: 'o11_' });
    expect(users.resolve('1')).toBe('uuid-ana');
    expect(users.report.matched).toBe(1);
  });

  it('loads ODC users from a JSON or NDJSON file and from a function', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-users-'));
    try {
      await writeFile(join(dir, 'u.json'), JSON.stringify([{ Id: 'u1', Email: 'a@x' }]));
      await writeFile(join(dir, 'u.ndjson'), '{"id":"u2","email":"b@x"}\n\n{"id":"u3"}\n');
      expect(await loadOdcUsers({ file: join(dir, 'u.json') })).toEqual([{ id: 'u1', email: 'a@x' }]);
      expect(await loadOdcUsers({ file: join(dir, 'u.ndjson') })).toEqual([
        { id: 'u2', email: 'b@x' },
        { id: 'u3' },
      ]);
      expect(await loadOdcUsers(async () => [{ id: 'u4' }])).toEqual([{ id: 'u4' }]);
      await expect(loadOdcUsers([{ email: 'x' } as never])).rejects.toThrow(/has no text "id"/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('user references in the mapping stage', () => {
  const spec = (unmatched: UnmatchedUserPolicy): MappingSpec => ({
    version: 1,
    users: { unmatched },
    entities: [
      {
        source: { module: 'M', entity: 'Note' },
        target: { table: 'note' },
        key: ['Id'],
        attributes: {
          Id: { type: 'rtInteger' },
          CreatedBy: { type: 'rtInteger', reference: { kind: 'user' } },
        },
      },
    ],
  });
  const rows = [1, 3, 5, 6, null].map((user, i) => ({ ID: i + 1, CREATEDBY: user }));
  const users = UserMap.build(o11Users, odcUsers);

  it.each([
    ['null', ['uuid-ana', null, null, null, null], 0],
    ['empty-guid', ['uuid-ana', EMPTY_GUID, EMPTY_GUID, EMPTY_GUID, null], 0],
    ['reject', ['uuid-ana', null], 3],
  ] as const)('policy %s', async (policy, expected, rejected) => {
    const stats = new MappingStats();
    const [batch] = await runStage(compileMapping(spec(policy)).entity('M.Note'), { users, stats }, rows);
    expect(batch!.rows.map((r) => r['created_by'])).toEqual(expected);
    expect(batch!.rejects ?? []).toHaveLength(rejected);
    for (const reject of batch!.rejects ?? [])
      expect(reject).toMatchObject({ attribute: 'CreatedBy', rule: 'unmatched-user' });
    expect(stats.get('M.Note', 'unmatched-user')).toBe(3);
  });

  it('policy fail stops with an invalid-data FerryError naming the attribute', async () => {
    const error = await runStage(compileMapping(spec('fail')).entity('M.Note'), { users }, rows).catch(
      (e: unknown) => e,
    );
    expect(isFerryError(error) && error.reason === 'invalid-data' && error.attribute === 'CreatedBy').toBe(
      true,
    );
  });

  it('the target column is uuid, the type of ODC user ids (issue 13 case 7)', () => {
    expect(compileMapping(spec('null')).entity('M.Note').table.columns[1]).toMatchObject({
      name: 'created_by',
      type: 'uuid',
    });
  });
});
