// A custom stage, written against core's Stage contract (an async generator over batches): it splits
// an O11 Customer row into one of two target entities and derives attributes on the way. Rows it
// cannot split are rejected with a rule and the key, never dropped, and batch positions pass through
// unchanged so checkpoints stay honest.

import type { Batch, RejectRecord, Row, Stage } from '@ferry/core';

/** Which half of a Customer row a pipeline loads. */
export type CustomerPart = 'profile' | 'address';

const EMAIL = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;

/** `Ada King Lovelace` → first `Ada`, last `King Lovelace`. */
export function splitName(fullName: string): { first: string; last: string } {
  const trimmed = fullName.trim().replace(/\s+/g, ' ');
  const space = trimmed.indexOf(' ');
  return space < 0
    ? { first: trimmed, last: '' }
    : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1) };
}

function profile(row: Row): Row | string {
  const email = String(row.EMAIL ?? '')
    .trim()
    .toLowerCase();
  const domain = email === '' ? null : (EMAIL.exec(email)?.[1] ?? undefined);
  if (domain === undefined) return 'email is not an address';
  const { first, last } = splitName(String(row.FULLNAME ?? ''));
  return { id: row.ID!, first_name: first, last_name: last, email, email_domain: domain };
}

function address(row: Row): Row {
  return {
    customer_id: row.ID!,
    street: row.STREET ?? '',
    city: String(row.CITY ?? '')
      .trim()
      .toUpperCase(),
  };
}

/**
 * The stage: `profile` rows get first/last name and the e-mail domain derived (a malformed e-mail is
 * rejected); `address` rows get the customer id and a normalised city.
 */
export function splitCustomer(part: CustomerPart): Stage<Row, Row> {
  return async function* splitCustomerStage(input, context): AsyncIterable<Batch<Row>> {
    for await (const batch of input) {
      const rows: Row[] = [];
      const rejects: RejectRecord[] = [...(batch.rejects ?? [])];
      for (const row of batch.rows) {
        const out = part === 'profile' ? profile(row) : address(row);
        if (typeof out === 'string')
          rejects.push({
            entity: context.entity,
            key: [String(row.ID)],
            attribute: 'Email',
            rule: 'email-format',
            message: out,
          });
        else rows.push(out);
      }
      yield { ...batch, rows, rejects };
    }
  };
}
