// The fake ODC app's data: rows per entity keyed by source key (upsert, like the contract demands),
// ids made by the "app" itself, reference checks against the ids it issued, and end users by email.

import { randomUUID } from 'node:crypto';

/** A stored record: the app's id, its attributes as received, and how often it was written. */
export interface StoredRecord {
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly writes: number;
}

/** Ids start past 2^53 so a client that routes them through a JS number gets caught. */
const FIRST_ID = 2n ** 53n + 1n;

/** In-memory entities and users. */
export class FakeOdcStore {
  readonly #entities = new Map<string, Map<string, StoredRecord>>();
  readonly #issued = new Map<string, Set<string>>();
  readonly #users = new Map<string, { id: string; sourceKeys: Set<string> }>();
  readonly #references: Readonly<Record<string, Readonly<Record<string, string>>>>;
  #nextId = FIRST_ID;

  constructor(references: Readonly<Record<string, Readonly<Record<string, string>>>> = {}) {
    this.#references = references;
  }

  /** The first reference that does not point at an id issued for its entity, as a message. */
  checkReferences(entity: string, records: readonly Record<string, unknown>[]): string | undefined {
    for (const [attribute, target] of Object.entries(this.#references[entity] ?? {})) {
      const ids = this.#issued.get(target) ?? new Set<string>();
      for (const record of records) {
        const value = record[attribute];
        if (value === null || value === undefined) continue;
        if (typeof value !== 'string' || !ids.has(value)) {
          return `${entity}.${attribute} of record ${String(record.sourceKey)} does not point at an existing ${target}`;
        }
      }
    }
    return undefined;
  }

  /** Upserts records by source key and returns `[sourceKey, id]` for each. */
  upsert(entity: string, records: readonly Record<string, unknown>[]): [string, string][] {
    const rows = this.#entities.get(entity) ?? new Map<string, StoredRecord>();
    this.#entities.set(entity, rows);
    const issued = this.#issued.get(entity) ?? new Set<string>();
    this.#issued.set(entity, issued);
    return records.map((record) => {
      const { sourceKey, ...attributes } = record;
      const key = String(sourceKey);
      const existing = rows.get(key);
      const id = existing?.id ?? (this.#nextId++).toString();
      issued.add(id);
      rows.set(key, { id, attributes, writes: (existing?.writes ?? 0) + 1 });
      return [key, id];
    });
  }

  /**
   * The first record to delete that a record of another entity still references (through the
   * configured references), as a message: the app refuses to delete a parent before its children.
   */
  checkDeletes(entity: string, sourceKeys: readonly string[]): string | undefined {
    const rows = this.rows(entity);
    const ids = new Map(
      sourceKeys.flatMap((key) => (rows.has(key) ? [[rows.get(key)!.id, key] as const] : [])),
    );
    for (const [child, attributes] of Object.entries(this.#references)) {
      for (const [attribute, target] of Object.entries(attributes)) {
        if (target !== entity) continue;
        for (const [childKey, record] of this.rows(child)) {
          const key = ids.get(String(record.attributes[attribute]));
          if (key !== undefined && !(child === entity && sourceKeys.includes(childKey)))
            return `${entity} record ${key} is still referenced by ${child} record ${childKey} (${attribute})`;
        }
      }
    }
    return undefined;
  }

  /** Deletes records by source key; returns `[sourceKey, deleted]` (false: there was none). */
  delete(entity: string, sourceKeys: readonly string[]): [string, boolean][] {
    const rows = this.#entities.get(entity);
    return sourceKeys.map((key) => {
      const existing = rows?.get(key);
      if (existing === undefined) return [key, false];
      rows!.delete(key);
      this.#issued.get(entity)?.delete(existing.id);
      return [key, true];
    });
  }

  /** Creates users, or finds them by email (case-insensitive); returns `[sourceKey, id]` for each. */
  createUsers(users: readonly { sourceKey: string; email: string }[]): [string, string][] {
    return users.map((user) => {
      const email = user.email.toLowerCase();
      const existing = this.#users.get(email) ?? { id: randomUUID(), sourceKeys: new Set<string>() };
      existing.sourceKeys.add(user.sourceKey);
      this.#users.set(email, existing);
      return [user.sourceKey, existing.id];
    });
  }

  /** The stored records of an entity, by source key. */
  rows(entity: string): ReadonlyMap<string, StoredRecord> {
    return this.#entities.get(entity) ?? new Map<string, StoredRecord>();
  }

  /** Users by lower-cased email. */
  users(): ReadonlyMap<string, { readonly id: string; readonly sourceKeys: ReadonlySet<string> }> {
    return this.#users;
  }
}
