// A three-entity migration over the ODC REST sink, shared by the in-process and the kill-and-resume
// tests: Customer ← Order ← OrderLine, with references remapped to the ids the fake ODC app issued.

import type { IdMapStore, Plan, Row } from '@ferry/core';
import { FakeSource } from '@ferry/core/testing';
import { odcRestSink, remapReferences } from '@ferry/adapters/http';
import type { OdcRestSinkOptions, RequestLimiter } from '@ferry/adapters/http';
import type { FakeOdcServer } from '@ferry/adapters/http/testing';

/** The reference checks the fake app applies. */
export const SALES_REFERENCES = {
  Order: { CustomerId: 'Customer' },
  OrderLine: { OrderId: 'Order' },
} as const;

/** The source rows of every entity, deterministic. */
export interface SalesData {
  readonly Customer: readonly Row[];
  readonly Order: readonly Row[];
  readonly OrderLine: readonly Row[];
}

/** Builds the data: integer, text and 64-bit keys; decimals as strings; emoji in text. */
export function salesData(customers: number, orders: number, lines: number): SalesData {
  return {
    Customer: Array.from({ length: customers }, (_, i) => ({
      Id: i + 1,
      Name: `Customer ${i + 1} ✓😀`,
      Balance: `${i}12345678901234567.1234567${i % 10}`,
    })),
    Order: Array.from({ length: orders }, (_, i) => ({
      Id: 100_000 + i,
      CustomerId: 1 + ((i * 7) % customers),
      Total: `${i}.50`,
      Day: '2024-02-29',
    })),
    OrderLine: Array.from({ length: lines }, (_, i) => ({
      Id: (2n ** 53n + BigInt(i)).toString(),
      OrderId: 100_000 + (i % orders),
      Qty: i % 13,
      Note: i % 5 === 0 ? null : `line ${i}`,
    })),
  };
}

/** Settings of the sinks in the plan. */
export interface SalesPlanOptions {
  readonly baseUrl: string;
  readonly idMap: IdMapStore;
  readonly limiter?: RequestLimiter;
  readonly sink?: Partial<OdcRestSinkOptions>;
  /** Source delay per batch, to let a kill land mid-run. */
  readonly delayMs?: number;
  readonly batchSize?: number;
}

/** The plan: Customer, then Order (remapped CustomerId), then OrderLine (remapped OrderId). */
export function salesPlan(data: SalesData, options: SalesPlanOptions): Plan {
  const source = (entity: keyof SalesData): FakeSource =>
    FakeSource.fromRows(data[entity], {
      name: entity,
      keyOf: (row) => String(row.Id),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    });
  const sink = (entity: string) =>
    odcRestSink({
      baseUrl: options.baseUrl,
      entity,
      idMap: options.idMap,
      ...(options.limiter === undefined ? {} : { limiter: options.limiter }),
      ...options.sink,
    });
  const remap = (attributes: Record<string, string>) => remapReferences({ idMap: options.idMap, attributes });
  return {
    entities: [
      { entity: 'Customer', source: source('Customer'), sink: sink('Customer') },
      {
        entity: 'Order',
        dependsOn: ['Customer'],
        source: source('Order'),
        stages: [remap(SALES_REFERENCES.Order)],
        sink: sink('Order'),
      },
      {
        entity: 'OrderLine',
        dependsOn: ['Order'],
        source: source('OrderLine'),
        stages: [remap(SALES_REFERENCES.OrderLine)],
        sink: sink('OrderLine'),
      },
    ],
  };
}

/**
 * Compares the fake app's data with the source, row by row: every source row stored exactly once under
 * its key with its values, references pointing at the app's id of the referenced row, and one id per row.
 * Returns a list of problems (empty when all is well).
 */
export function salesProblems(
  server: FakeOdcServer,
  data: SalesData,
  idMap?: ReadonlyMap<string, ReadonlyMap<string, string>>,
): string[] {
  const problems: string[] = [];
  const refs: Record<string, Record<string, string>> = SALES_REFERENCES;
  for (const entity of ['Customer', 'Order', 'OrderLine'] as const) {
    const stored = server.rows(entity);
    if (stored.size !== data[entity].length)
      problems.push(`${entity}: ${stored.size} stored, ${data[entity].length} in source`);
    const ids = new Set([...stored.values()].map((r) => r.id));
    if (ids.size !== stored.size)
      problems.push(`${entity}: ${stored.size} rows but ${ids.size} distinct ids`);
    for (const row of data[entity]) {
      const key = String(row.Id);
      const record = stored.get(key);
      if (record === undefined) {
        problems.push(`${entity} ${key}: missing`);
        continue;
      }
      if (idMap !== undefined && idMap.get(entity)?.get(key) !== record.id)
        problems.push(`${entity} ${key}: id map differs`);
      for (const [attribute, value] of Object.entries(row)) {
        if (attribute === 'Id') continue;
        const target = refs[entity]?.[attribute];
        const expected = target === undefined ? value : server.rows(target).get(String(value))?.id;
        if (record.attributes[attribute] !== expected)
          problems.push(`${entity} ${key}: ${attribute} differs`);
      }
    }
  }
  return problems.slice(0, 20);
}
