// The mapping checks of `mask` (parseMapping, compileMapping and so `ferry check`): each kind against
// the attribute's type (no `hash` on Boolean), `null` only on optional attributes, no mask on keys, references, constants or
// computed attributes, no filter on an attribute that is never read, fake e-mails that fit.

import type { O11BasicType } from './catalog.js';
import { defaultFakeKind } from './mask-compile.js';
import { dateOfDay, dayOf } from './mask-days.js';
import { EMAIL_TAG_LENGTH } from './mask-fake.js';
import { maskSkipsRead, maskSpecOf, type FakeKind, type MaskSpec } from './mask-spec.js';
import { pointer, type MappingIssue } from './spec-issue.js';
import type { AttributeSpec, EntitySpec, FilterSpec } from './spec-types.js';

type Path = readonly (string | number)[];

const TEXT: ReadonlySet<O11BasicType> = new Set(['rtText', 'rtEmail', 'rtPhoneNumber']);
const DATES: ReadonlySet<O11BasicType> = new Set(['rtDate', 'rtDateTime']);

/** The types a fake kind can fill. */
function fakeFits(as: FakeKind, type: O11BasicType): boolean {
  return as === 'date' ? DATES.has(type) : TEXT.has(type);
}

/** Whether `from`..`to` (each optional, 'YYYY-MM-DD') are real dates in order. */
function validRange(from: string | undefined, to: string | undefined): boolean {
  const day = (text: string): number => (dateOfDay(dayOf(text)) === text ? dayOf(text) : NaN);
  const a = from === undefined ? -Infinity : day(from);
  const b = to === undefined ? Infinity : day(to);
  return !Number.isNaN(a) && !Number.isNaN(b) && a <= b;
}

function kindIssue(mask: MaskSpec, attribute: AttributeSpec): string | undefined {
  const type = attribute.type;
  switch (mask.kind) {
    case 'shift':
      return DATES.has(type) ? undefined : `"shift" moves dates: use it on Date or Date Time, not ${type}`;
    case 'hash':
      // A keyed function of one bit is a constant, a negation or the identity: it hides nothing.
      return type === 'rtBoolean'
        ? '"hash" cannot hide a Boolean (any keyed function of true/false is a constant, a negation or the identity): use "redact" (writes false, or "value") or "null" (optional attributes)'
        : undefined;
    case 'null':
      return attribute.mandatory === true
        ? '"null" needs an optional attribute (this one is mandatory)'
        : undefined;
    case 'fake': {
      const as = mask.as ?? defaultFakeKind(type);
      if (as === undefined)
        return TEXT.has(type)
          ? 'needs "as" for Text: email, first-name, last-name, full-name, phone, street-address, city or words'
          : type === 'rtBoolean'
            ? '"fake" fills text and dates, not rtBoolean: use "redact" or "null"'
            : `"fake" fills text and dates, not ${type}: use "hash" or "redact"`;
      if (!fakeFits(as, type)) return `"fake" as "${as}" does not fit ${type}`;
      if (!validRange(mask.from, mask.to)) return '"from" and "to" must be real dates with "from" <= "to"';
      const room = attribute.targetLength ?? attribute.length;
      const least = EMAIL_TAG_LENGTH + 1 + (mask.domain ?? 'example.com').length;
      if (as === 'email' && room !== undefined && room < least)
        return `a fake e-mail needs at least ${least} characters (the attribute has ${room}): use "hash"`;
      return undefined;
    }
    default:
      return undefined;
  }
}

function filterAttributes(filter: FilterSpec, out: Set<string>): Set<string> {
  if ('all' in filter) filter.all.forEach((f) => filterAttributes(f, out));
  else if ('any' in filter) filter.any.forEach((f) => filterAttributes(f, out));
  else if ('not' in filter) filterAttributes(filter.not, out);
  else out.add(filter.attribute);
  return out;
}

/** The issues of one entity's masks. */
export function checkMasks(entity: EntitySpec, path: Path, out: MappingIssue[]): void {
  const filtered =
    entity.filter === undefined ? new Set<string>() : filterAttributes(entity.filter, new Set());
  for (const [name, attribute] of Object.entries(entity.attributes)) {
    if (attribute.mask === undefined) continue;
    const where = pointer(...path, 'attributes', name, 'mask');
    const mask = maskSpecOf(attribute.mask);
    const push = (message: string): void => void out.push({ path: where, message });
    if (entity.key.includes(name))
      push('must not be set on a key attribute (keys identify rows and references)');
    if (attribute.reference !== undefined)
      push('must not be set on a reference (its id is remapped, not personal)');
    if (attribute.constant !== undefined || attribute.compute !== undefined)
      push('must not be set together with "constant" or "compute"');
    if (maskSkipsRead(mask) && filtered.has(name))
      push(`"${mask.kind}" never reads the column, so the entity's filter cannot use ${name}`);
    const issue = kindIssue(mask, attribute);
    if (issue !== undefined) push(issue);
  }
}
