// @ferry/mapping: O11 → ODC entity mapping. The spec (parseMapping, generateMapping), its compilation
// into per-attribute converters, the mapping stage, reference maps (ids, users, static records) and
// the plan with deferred passes for cycles.
export type * from './catalog.js';
export { O11_BASIC_TYPES } from './catalog.js';
export type * from './target.js';
export type * from './spec-types.js';
export type { MappingIssue } from './spec-issue.js';
export { MappingSpecError, describeIssue, pointerSegment } from './spec-issue.js';
export type { JsonSyntaxProblem } from './json-syntax.js';
export { parseJsonText } from './json-syntax.js';
export { suggestKey, allowedKeysOf } from './key-suggest.js';
export { mappingJsonSchema } from './spec-schema.js';
export { parseMapping, validateMapping } from './spec-parse.js';
export { snakeCase, entityName } from './spec-names.js';
export type { ResolvedConversion } from './convert-options.js';
export { resolveConversion, DEFAULT_MAX_BINARY_BYTES } from './convert-options.js';
export type { Converter } from './convert-types.js';
export { ConversionFailure, isFailure } from './convert-types.js';
export { integerConverter, longIntegerConverter } from './integer-convert.js';
export type { DecimalTarget } from './decimal-convert.js';
export { decimalConverter } from './decimal-convert.js';
export type { DecimalParts } from './decimal-math.js';
export { parseDecimal, formatDecimal, roundDecimal, compareDecimal } from './decimal-math.js';
export type { TextTarget } from './text-convert.js';
export { textConverter, textLength, codePointLength } from './text-convert.js';
export { booleanConverter } from './boolean-convert.js';
export { dateConverter, timeConverter, dateTimeConverter, EMPTY_DATE_TIME } from './date-convert.js';
export { zonedToUtc } from './timezone-offset.js';
export { binaryConverter } from './binary-convert.js';
export { buildConverter } from './converter-factory.js';
export type { TargetColumnOptions } from './target-derive.js';
export {
  targetColumnFor,
  targetTableFor,
  targetTablesFromMapping,
  DEFAULT_TEXT_LENGTH,
} from './target-derive.js';
export type { EntityGraph } from './dependency-graph.js';
export { buildEntityGraph } from './dependency-graph.js';
export type {
  CompiledAttribute,
  CompiledEntity,
  CompiledMapping,
  CompiledReference,
} from './compiled-types.js';
export type { CompileOptions } from './entity-compile.js';
export type { AttributeMask, FakeKind, MaskKind, MaskSpec, MaskingSpec } from './mask-spec.js';
export { FAKE_KINDS, MASK_KINDS, maskSpecOf, maskSkipsRead } from './mask-spec.js';
export { MaskKey, DEFAULT_MASK_KEY_ENV, MIN_MASK_KEY_BYTES } from './mask-key.js';
export { defaultFakeKind } from './mask-compile.js';
export { EMAIL_TAG_LENGTH } from './mask-fake.js';
export type { MaskSuggestion } from './mask-suggest.js';
export { suggestMasks } from './mask-suggest.js';
export { compileMapping } from './entity-compile.js';
export type { MappingRuntime, ParentKeys } from './mapping-runtime.js';
export { mappingStage } from './mapping-stage.js';
export type { MappingCount } from './mapping-stats.js';
export { MappingStats, BatchMappingStats, countsFromNotes, noteLabel } from './mapping-stats.js';
export type { O11User, OdcUser, UserMapOptions, UserMapReport } from './user-map.js';
export { UserMap, EMPTY_GUID } from './user-map.js';
export type { UserMasker } from './user-mask.js';
export { userMasker } from './user-mask.js';
export type { OdcUserSource } from './user-load.js';
export { loadOdcUsers } from './user-load.js';
export type { StaticResolution } from './static-map.js';
export { StaticRecordMap, staticMapsFromCatalog } from './static-map.js';
export type { GenerateOptions } from './generate-mapping.js';
export { generateMapping } from './generate-mapping.js';
export type { PlanFromMappingOptions } from './plan-from-mapping.js';
export { planFromMapping, pass2Name } from './plan-from-mapping.js';
