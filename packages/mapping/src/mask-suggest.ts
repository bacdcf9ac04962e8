// `discover --suggest-masks`: masks proposed for attributes whose names or types look personal
// (e-mails, phones, person names, addresses, birth dates, national ids, photos), written into the
// generated mapping for a person to review. A heuristic over names: it misses and over-reaches.

import { EMAIL_TAG_LENGTH } from './mask-fake.js';
import type { MaskSpec } from './mask-spec.js';
import type { AttributeSpec, EntitySpec, MappingSpec } from './spec-types.js';
import { entityName } from './spec-names.js';

/** One proposed mask. */
export interface MaskSuggestion {
  readonly entity: string;
  readonly attribute: string;
  readonly mask: MaskSpec;
  /** Why, in a few words (e.g. `name looks like an e-mail`). */
  readonly reason: string;
}

const PERSONAL_ENTITY = /customer|person|people|user|employee|contact|patient|client|member|student|staff/i;
const TEXT = new Set(['rtText', 'rtEmail', 'rtPhoneNumber']);

function fits(attribute: AttributeSpec, least: number): boolean {
  return (attribute.targetLength ?? attribute.length ?? 250) >= least;
}

function textMask(name: string, attribute: AttributeSpec, entity: string): [MaskSpec, string] | undefined {
  const n = name.toLowerCase();
  if (attribute.type === 'rtEmail' || /e?mail/.test(n))
    return fits(attribute, EMAIL_TAG_LENGTH + 12)
      ? [{ kind: 'fake', as: 'email' }, 'an e-mail']
      : [{ kind: 'hash' }, 'an e-mail (too short for a fake one)'];
  if (attribute.type === 'rtPhoneNumber' || /phone|mobile|fax|^tel/.test(n))
    return fits(attribute, 12)
      ? [{ kind: 'fake', as: 'phone' }, 'a phone number']
      : [{ kind: 'hash' }, 'a phone number'];
  if (/ssn|passport|iban|taxid|tax_?number|nif|nationalid|socialsecurity|idcard/.test(n))
    return [{ kind: 'hash' }, 'a personal identifier'];
  if (/^(first|given)_?name$/.test(n)) return [{ kind: 'fake', as: 'first-name' }, 'a first name'];
  if (/^(last|family|sur)_?name$|^surname$/.test(n))
    return [{ kind: 'fake', as: 'last-name' }, 'a last name'];
  if (
    /^(full|display|contact|person|customer|employee|user)_?name$/.test(n) ||
    (n === 'name' && PERSONAL_ENTITY.test(entity))
  )
    return [{ kind: 'fake', as: 'full-name' }, 'a person name'];
  if (/address|street/.test(n)) return [{ kind: 'fake', as: 'street-address' }, 'an address'];
  return undefined;
}

function suggestion(name: string, attribute: AttributeSpec, entity: string): [MaskSpec, string] | undefined {
  if (TEXT.has(attribute.type)) return textMask(name, attribute, entity);
  const n = name.toLowerCase();
  if ((attribute.type === 'rtDate' || attribute.type === 'rtDateTime') && /birth|dob/.test(n))
    return [{ kind: 'shift', days: 180 }, 'a birth date'];
  if (attribute.type === 'rtBinaryData' && /photo|picture|avatar|image|portrait|signature/.test(n))
    return [{ kind: attribute.mandatory === true ? 'redact' : 'null' }, 'a photo or signature'];
  return undefined;
}

function suggestEntity(entity: EntitySpec, out: MaskSuggestion[]): EntitySpec {
  const name = entityName(entity);
  const attributes = Object.fromEntries(
    Object.entries(entity.attributes).map(([attributeName, attribute]) => {
      const skip =
        attribute.mask !== undefined ||
        attribute.reference !== undefined ||
        attribute.exclude === true ||
        entity.key.includes(attributeName);
      const found = skip ? undefined : suggestion(attributeName, attribute, name);
      if (found === undefined) return [attributeName, attribute];
      out.push({ entity: name, attribute: attributeName, mask: found[0], reason: `looks like ${found[1]}` });
      return [attributeName, { ...attribute, mask: found[0] }];
    }),
  );
  return { ...entity, attributes };
}

/**
 * The spec with masks proposed on personal-looking attributes (existing masks, keys, references and
 * excluded attributes untouched), and the list of what was proposed.
 *
 * @example
 * ```ts
 * const { spec, suggestions } = suggestMasks(generateMapping(catalog));
 * ```
 */
export function suggestMasks(spec: MappingSpec): {
  spec: MappingSpec;
  suggestions: readonly MaskSuggestion[];
} {
  const suggestions: MaskSuggestion[] = [];
  const entities = spec.entities.map((entity) => suggestEntity(entity, suggestions));
  return { spec: { ...spec, entities }, suggestions };
}
