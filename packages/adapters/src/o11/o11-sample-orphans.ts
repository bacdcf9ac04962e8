// Issue 13, cases 2 and 3, as an extension of the sample O11 database: children of a rejected parent
// and references to ids that do not exist. Account 7 holds a date past 3000-12-31 (rejected by the
// mapping); its tags and bills reference it, bill lines reference those bills; two bills point at
// accounts that never existed (O11 created no foreign key); notes point at missing rows through Ignore.
// Employee.ManagerId (optional, Protect, a self reference: set by the second pass) points at employee
// 4 (rejected) from employee 6 and at a missing 999 from employee 8.

import type { SampleExtension } from './o11-sample-database.js';
import type { SampleEntity } from './o11-sample-model.js';

const id = { name: 'Id', type: 'rtInteger', identifier: true, autoNumber: true, mandatory: true } as const;
const entity = (name: string, attributes: SampleEntity['attributes']): SampleEntity => ({
  module: 'Sales',
  name,
  dataKind: 'entity',
  active: true,
  system: false,
  attributes: [id, ...attributes],
});

/** The account whose row the mapping rejects (`date-range`). */
export const REJECTED_ACCOUNT = 7;
/** Account ids referenced by bills (Delete rule, no constraint in O11) that exist nowhere. */
export const MISSING_ACCOUNTS = [901, 902] as const;
/** The account id notes point at through an Ignore reference that exists nowhere. */
export const MISSING_NOTE_ACCOUNT = 555;

/** How many rows each entity of {@link orphanShape} holds. */
export const ORPHAN_ROWS = {
  accounts: 20,
  tags: 40,
  bills: 62,
  lines: 62,
  notes: 10,
  employees: 10,
} as const;

/** The employee the mapping rejects (`date-range`), and the manager id no employee has. */
export const REJECTED_EMPLOYEE = 4;
export const MISSING_MANAGER = 999;

/** Employee 1 has no manager; 6 is managed by the rejected 4, 8 by a missing one; the others by 1. */
export const employeeManager = (e: number): number | null =>
  e === 1 ? null : e === 6 ? REJECTED_EMPLOYEE : e === 8 ? MISSING_MANAGER : 1;

/** Account ← AccountTag (Protect), Account ← Bill (Delete) ← BillLine (Protect), Account ← Note (Ignore). */
export const ORPHAN_ENTITIES: readonly SampleEntity[] = [
  entity('Account', [
    { name: 'Name', type: 'rtText', length: 50, mandatory: true },
    { name: 'OpenedOn', type: 'rtDateTime' },
  ]),
  entity('AccountTag', [
    { name: 'AccountId', type: 'rtInteger', ref: 'Sales.Account', deleteRule: 'Protect', mandatory: true },
    { name: 'Label', type: 'rtText', length: 20 },
  ]),
  entity('Bill', [
    {
      name: 'AccountId',
      type: 'rtInteger',
      ref: 'Sales.Account',
      deleteRule: 'Delete',
      mandatory: true,
      foreignKey: false,
    },
    { name: 'Number', type: 'rtText', length: 20, mandatory: true },
  ]),
  entity('BillLine', [
    { name: 'BillId', type: 'rtInteger', ref: 'Sales.Bill', deleteRule: 'Protect', mandatory: true },
    { name: 'Amount', type: 'rtCurrency', length: 37, decimals: 8 },
  ]),
  entity('Note', [
    { name: 'AccountId', type: 'rtInteger', ref: 'Sales.Account', deleteRule: 'Ignore' },
    { name: 'Body', type: 'rtText', length: 100 },
  ]),
  entity('Employee', [
    { name: 'HiredOn', type: 'rtDateTime' },
    { name: 'ManagerId', type: 'rtInteger', ref: 'Sales.Employee', deleteRule: 'Protect', foreignKey: false },
  ]),
];

/** Bill `j` (1-based) belongs to account `((j - 1) % 20) + 1`; bills 61 and 62 to missing accounts. */
export const billAccount = (j: number): number =>
  j <= 60 ? ((j - 1) % ORPHAN_ROWS.accounts) + 1 : MISSING_ACCOUNTS[j - 61]!;

/** Note `n` points at account `n + 10`, except note 3 (the rejected account) and note 5 (a missing one). */
export const noteAccount = (n: number): number =>
  n === 3 ? REJECTED_ACCOUNT : n === 5 ? MISSING_NOTE_ACCOUNT : n + 10;

/** See {@link ORPHAN_ENTITIES}; sizes fixed ({@link ORPHAN_ROWS}), whatever `rowsPerEntity`. */
export const orphanShape: SampleExtension = {
  entities: ORPHAN_ENTITIES,
  *rows(name) {
    const { accounts, tags, bills, lines, notes, employees } = ORPHAN_ROWS;
    if (name === 'Sales.Account')
      for (let i = 1; i <= accounts; i++)
        yield {
          ID: i,
          NAME: `Account ${i}`,
          OPENEDON:
            i === REJECTED_ACCOUNT ? '3001-01-01 00:00:00' : `2020-01-${String(i).padStart(2, '0')} 10:00:00`,
        };
    if (name === 'Sales.AccountTag')
      for (let t = 1; t <= tags; t++) yield { ID: t, ACCOUNTID: ((t - 1) % accounts) + 1, LABEL: `tag ${t}` };
    if (name === 'Sales.Bill')
      for (let j = 1; j <= bills; j++) yield { ID: j, ACCOUNTID: billAccount(j), NUMBER: `B-${j}` };
    if (name === 'Sales.BillLine')
      for (let l = 1; l <= lines; l++) yield { ID: l, BILLID: l, AMOUNT: `${l}.50` };
    if (name === 'Sales.Note')
      for (let n = 1; n <= notes; n++) yield { ID: n, ACCOUNTID: noteAccount(n), BODY: `note ${n}` };
    if (name === 'Sales.Employee')
      for (let e = 1; e <= employees; e++)
        yield {
          ID: e,
          HIREDON: e === REJECTED_EMPLOYEE ? '3001-01-01 00:00:00' : '2019-05-01 09:00:00',
          MANAGERID: employeeManager(e),
        };
  },
};
