// Regression (issue 15 item 11, `Upserttag`): the ODC REST method of an entity follows the ODC entity's
// name. A generated mapping targets snake_case tables (`tag`, `product_tag`), which named the methods
// `Upserttag` and `Upsertproduct_tag`; the ODC app's entities are `Tag` and `ProductTag`.

import type { CompiledEntity } from '@ferry/mapping';
import { expect, it } from 'vitest';
import { odcEntityName } from '../src/kinds/targets/odc-rest/odc-rest-target.js';

type Named = Pick<CompiledEntity, 'spec' | 'table'>;
const entity = (source: unknown, target: unknown, table: string): Named =>
  ({
    spec: { source, target, key: ['Id'], attributes: {} },
    table: { table, key: ['id'], columns: [] },
  }) as unknown as Named;

it('an O11 entity mapped to a snake_case table keeps its O11 name', () => {
  const tag = entity({ module: 'Catalog', entity: 'Tag' }, { schema: 'catalog', table: 'tag' }, 'tag');
  const productTag = entity(
    { module: 'Catalog', entity: 'ProductTag' },
    { schema: 'catalog', table: 'product_tag' },
    'product_tag',
  );
  expect([odcEntityName(tag), odcEntityName(productTag)]).toEqual(['Tag', 'ProductTag']);
});

it("an ODC target's entity wins; a table source gets the table name in PascalCase", () => {
  const odc = entity({ module: 'Sales', entity: 'Order' }, { app: 'Sales', entity: 'SalesOrder' }, 'order');
  const table = entity({ table: 'OSUSR_ABC_PRODTAG' }, { table: 'product_tag' }, 'product_tag');
  expect([odcEntityName(odc), odcEntityName(table)]).toEqual(['SalesOrder', 'ProductTag']);
});
