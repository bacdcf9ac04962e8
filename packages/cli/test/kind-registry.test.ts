// The kind registry alone: lookups, the errors of an unknown kind and of a command a kind does not
// support, the checks a kind passes when it registers, and the config schema assembled from kinds.

import { describe, expect, it } from 'vitest';
import { isFerryError } from '@ferry/core';
import { configSchemaFor } from '../src/config/config-schema.js';
import { KindRegistry } from '../src/kinds/kind-registry.js';
import type { TargetKind } from '../src/kinds/kind-types.js';
import { kinds } from '../src/kinds/kinds.js';
import { jsonlTarget } from './kinds/jsonl-target/jsonl-target.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('KindRegistry', () => {
  it('lists the built-in kinds in registration order', () => {
    expect(kinds.sources.map((k) => k.kind)).toEqual(['o11-sql', 'json']);
    expect(kinds.targets.map((k) => k.kind)).toEqual(['postgres', 'odc-rest', 'ndjson']);
  });

  it('names the kinds when a kind is unknown', () => {
    const error = thrown(() => kinds.targetOf({ kind: 'csv' }));
    expect(isFerryError(error) && error.code).toBe('FERRY_CONFIG_INVALID');
    expect((error as Error).message).toBe(
      'unknown target.kind "csv": the kinds are "postgres", "odc-rest", "ndjson"',
    );
    expect((thrown(() => kinds.sourceOf({ kind: 'csv' })) as Error).message).toBe(
      'unknown source.kind "csv": the kinds are "o11-sql", "json"',
    );
  });

  it('names the command, the kinds that support it and the config kind', () => {
    expect(kinds.targetFor('verify', { kind: 'postgres' }).kind).toBe('postgres');
    const error = thrown(() => kinds.targetFor('verify', { kind: 'odc-rest' }));
    expect(isFerryError(error) && error.code).toBe('FERRY_TARGET_KIND');
    expect((error as Error).message).toBe(
      'ferry verify needs target.kind "postgres"; this config has "odc-rest"',
    );
    const source = thrown(() => kinds.sourceFor('assess', { kind: 'json' }));
    expect(isFerryError(source) && source.code).toBe('FERRY_SOURCE_KIND');
    expect((source as Error).message).toBe(
      'ferry assess needs source.kind "o11-sql"; this config has "json"',
    );
    const none = new KindRegistry().target(jsonlTarget);
    expect((thrown(() => none.targetFor('verify', { kind: 'jsonl' })) as Error).message).toBe(
      'ferry verify needs a target kind that supports it (none does); this config has "jsonl"',
    );
  });

  it('refuses a kind registered twice, a schema of another kind, a command without its ability', () => {
    const registry = new KindRegistry().target(jsonlTarget);
    expect(() => registry.target(jsonlTarget)).toThrow('target kind "jsonl" is registered twice');
    const otherSchema: TargetKind = { ...jsonlTarget, kind: 'other' };
    expect(() => registry.target(otherSchema)).toThrow('target kind "other": its schema\'s kind is "jsonl"');
    const claims: TargetKind = { ...jsonlTarget, commands: ['verify'] };
    expect(() => new KindRegistry().target(claims)).toThrow('declares `ferry verify` but has no verify()');
  });

  it('builds the config schema from the kinds, in their order', () => {
    const registry = new KindRegistry().source(kinds.sources[1]!).target(jsonlTarget);
    const schema = configSchemaFor(registry);
    expect(schema.properties.source.oneOf).toEqual([kinds.sources[1]!.schema]);
    expect(schema.properties.target.oneOf).toEqual([jsonlTarget.schema]);
    expect(configSchemaFor(kinds).properties.target.oneOf.map((s) => s.properties.kind.const)).toEqual([
      'postgres',
      'odc-rest',
      'ndjson',
    ]);
  });
});
