// O11 attribute type codes: basic types (`rtText`...) and references `bt<module SS_KEY>*<entity SS_KEY>`,
// plus the delete-rule spellings found in OSSYS_ENTITY_ATTR.DELETE_RULE.

import { O11_BASIC_TYPES } from '@ferry/mapping';
import type { O11BasicType, O11DeleteRule } from '@ferry/mapping';

const BASIC_TYPES: ReadonlySet<string> = new Set<O11BasicType>(O11_BASIC_TYPES);

/** Whether a TYPE code is a basic type. */
export function isBasicType(code: string): code is O11BasicType {
  return BASIC_TYPES.has(code);
}

/** The module and entity SS_KEYs of a `bt<module>*<entity>` reference code, or `undefined`. */
export function parseReferenceCode(code: string): { moduleSsKey: string; entitySsKey: string } | undefined {
  const match = /^bt([^*]+)\*(.+)$/.exec(code.trim());
  if (match === null) return undefined;
  return { moduleSsKey: match[1]!.toLowerCase(), entitySsKey: match[2]!.toLowerCase() };
}

/** A delete rule from its stored spelling (`Protect`/`Delete`/`Ignore`, or their first letter). */
export function parseDeleteRule(stored: string): O11DeleteRule | undefined {
  switch (stored.trim().toLowerCase()) {
    case 'protect':
    case 'p':
      return 'Protect';
    case 'delete':
    case 'cascade':
    case 'd':
      return 'Delete';
    case 'ignore':
    case 'i':
      return 'Ignore';
    default:
      return undefined;
  }
}
