// Every code a FerryError carries, with what it means, in one place. `FerryError`'s `code` is typed
// by this list, so a new code is added here (with its meaning) or it does not compile; the reference
// docs/error-codes.md is generated from it (scripts/error-codes-doc.ts).

/**
 * Every fixed error code with a one-line meaning, sorted by code. `FAKE_*` codes come only from the
 * fakes of `@ferry/core/testing`. The codes of ODC answers with a non-2xx status are not listed one
 * by one: see {@link HttpStatusErrorCode}.
 */
export const errorCodes = {
  FAKE_ABORT: 'The fake sink of `@ferry/core/testing` rolled a write back on abort.',
  FAKE_ABORTED: 'The fake source of `@ferry/core/testing` stopped on its abort signal.',
  FAKE_COMMIT: 'The transaction sink of `@ferry/core/testing` failed a commit, as the test asked.',
  FAKE_POSITION: 'The fake source of `@ferry/core/testing` was given a position it did not issue.',
  FAKE_READ: 'The fake source of `@ferry/core/testing` failed a read, as the test asked.',
  FAKE_WRITE: 'The fake sink of `@ferry/core/testing` failed a write, as the test asked.',
  FERRY_ABORTED: 'A read stopped on its abort signal; resuming the run continues from its last checkpoint.',
  FERRY_CHECKPOINT_CORRUPT: 'A checkpoint file cannot be parsed or is not one Ferry wrote.',
  FERRY_CHECKPOINT_FILE:
    'A checkpoint file could not be read or written (file system error code in the message).',
  FERRY_CHECKPOINT_LOAD: "The checkpoint store could not list or load the run's checkpoints.",
  FERRY_CHECKPOINT_RUN_ID: 'The run id is not usable as a checkpoint file name.',
  FERRY_CHECKPOINT_SAVE: 'The checkpoint store could not save a checkpoint.',
  FERRY_CONFIG_ENV_MISSING: 'An environment variable the config refers to is not set.',
  FERRY_CONFIG_INVALID: 'The config (or a connection string) does not match its schema.',
  FERRY_CONFIG_MALFORMED:
    'The config file is not valid JSON, or a config module fails to load or has no default export.',
  FERRY_CONFIG_MISSING: 'The config file cannot be read.',
  FERRY_CONFIG_PARTITIONS: 'Partitions were asked for with a target that does not support them.',
  FERRY_DIFF_KEY:
    'An entity key is of a type diff cannot order alike on both sides (not Integer, Long Integer or Text).',
  FERRY_DIFF_SOURCE: 'Diff needs a knex source it can query by key range, not a source factory.',
  FERRY_DISTRIBUTED_JOB:
    "A distributed run's job could not run (its pipeline is not in the worker's plan, its dependencies were not complete) or failed for good after its retries.",
  FERRY_DISTRIBUTED_OPTIONS: "A setting of the config's `distributed` block is out of range (named).",
  FERRY_DISTRIBUTED_STATE:
    'A distributed run (`run --distributed`, `worker`) needs its checkpoints in PostgreSQL, and they are files.',
  FERRY_DRIVER_MISSING: 'A database driver package the configured client needs is not installed.',
  FERRY_DUPLICATE_KEY: 'Source rows share a key value; nothing was written.',
  FERRY_HTTP_ABORTED: 'An ODC request was aborted by its signal.',
  FERRY_HTTP_AUTH_INVALID: 'The configured ODC auth header name is not a valid HTTP token.',
  FERRY_HTTP_AUTH_MISSING: 'No ODC credentials are set (token, or API key header and value).',
  FERRY_HTTP_BAD_RESPONSE: "An ODC endpoint's answer is not the contract's shape.",
  FERRY_HTTP_CONFIG: 'The ODC REST target options are invalid.',
  FERRY_HTTP_INVALID_DATE: 'An attribute sent to ODC holds an invalid Date.',
  FERRY_HTTP_MISSING_IDS: 'An ODC endpoint returned no id for some of the records sent.',
  FERRY_HTTP_MISSING_KEY: 'A row reaches the ODC sink without its key attribute.',
  FERRY_HTTP_NETWORK: 'An ODC request got no answer (network failure).',
  FERRY_HTTP_RECORD_TOO_LARGE: 'One record is larger than the request size limit (maxBytes).',
  FERRY_HTTP_RESERVED_ATTRIBUTE: "An attribute's name clashes with a field of the ODC contract.",
  FERRY_HTTP_TIMEOUT: 'An ODC request timed out.',
  FERRY_HTTP_UNSAFE_NUMBER:
    'A value sent to ODC is a non-integer or unsafe JS number (decimals flow as strings).',
  FERRY_HTTP_USER_EMAIL: 'An O11 user has no email, which ODC users need.',
  FERRY_INIT_USAGE:
    '`ferry init` got an unknown kind, no kind outside a terminal, or would overwrite a file.',
  FERRY_INPUT_FILE:
    'A file named by a command option cannot be read, parsed or created (option and path named).',
  FERRY_INVALID_IDENTIFIER: 'A table or column name is not a plain SQL identifier.',
  FERRY_JOB_EXPIRED:
    "A distributed run's job went without its worker's heartbeat past `distributed.expireSeconds` (the worker died or was cut off); pg-boss offers it again.",
  FERRY_MANDATORY_CYCLE: 'Mandatory references form a cycle, so no row of it can be written first.',
  FERRY_MAPPING_CONSTANT: "A mapping constant does not fit its attribute's type.",
  FERRY_MAPPING_ENTITY: 'The mapping has no entity of the given name.',
  FERRY_MAPPING_EXISTS: '`ferry discover` would overwrite an existing mapping file.',
  FERRY_MAPPING_INVALID: 'The mapping spec is invalid; the error lists every issue with its JSON pointer.',
  FERRY_MAPPING_MISSING: 'The mapping file cannot be read, or the source needs one and none is set.',
  FERRY_MAPPING_RUNTIME:
    'The mapping needs a runtime part (e.g. an id map or user list) that was not passed.',
  FERRY_MASK_KEY_MISSING: 'The mapping masks attributes but the mask key variable is not set.',
  FERRY_MASK_KEY_WEAK: 'The mask key is shorter than 16 bytes.',
  FERRY_MIGRATION_CHECKPOINTS: 'The target mode needs the PostgreSQL checkpoint store on the target pool.',
  FERRY_MIGRATION_CONFIG: 'A target schema override puts two entities in one table.',
  FERRY_MIGRATION_PARTITIONS: 'Partitions need a knex source, the run id and the checkpoint store.',
  FERRY_MIGRATION_REMAP: 'Identity "remap" was asked of the PostgreSQL sink, which keeps ids.',
  FERRY_MIGRATION_SOURCE: "The catalog has no entity for a mapping entity's source.",
  FERRY_NDJSON_ENCODE: 'A value cannot be written as NDJSON.',
  FERRY_NDJSON_IO: 'The NDJSON target file could not be opened, written or closed.',
  FERRY_NDJSON_RESUME: 'An NDJSON export cannot resume: no offset was recorded for a batch.',
  FERRY_O11_METADATA_MISSING: 'An O11 metadata table was not found in the source database.',
  FERRY_ODC_IDENTITY_AUTH:
    'The ODC portal refused the API client, or its token endpoint answered something unusable.',
  FERRY_ODC_IDENTITY_UNREACHABLE: "The ODC portal's identity endpoint cannot be reached.",
  FERRY_PARENT_CHECK: 'References to an entity cannot be checked (no target table with a one-column key).',
  FERRY_PARTITION_LAYOUT: 'A stored partition layout is not one Ferry wrote.',
  FERRY_PARTITION_RANGES: "The key ranges of an entity's partitions do not cover the key space once.",
  FERRY_PERMISSION_DENIED: 'The login may not read or write a table it needs.',
  FERRY_PG_DELETE_MISSING: '`ferry sync` found no target row to delete for a key of the diff (a stale diff).',
  FERRY_PG_ENCODE: 'A value cannot be encoded for PostgreSQL COPY or INSERT.',
  FERRY_PG_ERROR: 'PostgreSQL refused a statement; the reason is classified from its SQLSTATE.',
  FERRY_PG_IDENTIFIER: 'A PostgreSQL identifier is empty, too long or otherwise unusable.',
  FERRY_PG_NO_CHECKPOINT_STORE: 'A PostgreSQL sink got a checkpoint but has no checkpoint store.',
  FERRY_PG_ROLLED_BACK: 'A write to PostgreSQL was aborted and rolled back.',
  FERRY_PG_TABLE:
    'A PostgreSQL target table or column is unusable as mapped (no columns, bad type modifier).',
  FERRY_PG_TX_OPEN: 'A PostgreSQL sink was asked for a second open transaction.',
  FERRY_PG_UPDATE_MISSING: 'A second-pass update found no row to update.',
  FERRY_PLAN_INVALID: 'The plan is invalid (empty or repeated entity, unknown dependency, cycle, bad count).',
  FERRY_REJECTS_FILE: 'Rejected rows could not be appended to the rejects file.',
  FERRY_REJECTS_WRITE: 'The reject sink failed while the runner wrote rejected rows.',
  FERRY_REJECT_ALL: 'Every row of an entity was rejected.',
  FERRY_REJECT_THRESHOLD: 'The reject threshold of an entity was crossed.',
  FERRY_REPORT_MISSING: 'There is no run report for the run asked for.',
  FERRY_RESET_TRUNCATE: "The run's target tables could not be emptied; nothing was deleted.",
  FERRY_RESET_UNCONFIRMED: '`ferry reset` needs --yes to confirm.',
  FERRY_RUN_JOBS_ACTIVE:
    'The run has jobs waiting or running on its distributed queue (`reset` refuses until they are done or expired).',
  FERRY_RUN_LOCKED: 'The run id is held by another process.',
  FERRY_RUN_LOCK_LOST: "The run's lock was lost and another process holds it now.",
  FERRY_RUN_OPTIONS: 'The options given to run() are invalid.',
  FERRY_SINK_CLOSE: 'A sink failed while closing.',
  FERRY_SINK_OPEN: 'A sink failed while opening.',
  FERRY_SINK_WRITE: 'A sink failed while writing or flushing a batch.',
  FERRY_SOURCE_CONFIG: 'A source option (key, batch size, position) the source cannot use.',
  FERRY_SOURCE_FILE: 'A source file was not found.',
  FERRY_SOURCE_JSON: 'A JSON source file is not valid JSON, or a record is not a JSON object.',
  FERRY_SOURCE_JSON_AMBIGUOUS: 'Both an entity.json and an entity.ndjson exist for one entity.',
  FERRY_SOURCE_JSON_MISSING: 'No export file exists for an entity of a JSON source.',
  FERRY_SOURCE_KEY: 'A key column of the source is neither text nor an integer.',
  FERRY_SOURCE_KIND: 'The command needs another source kind.',
  FERRY_SOURCE_READ: 'Reading the source failed; the reason is classified from the driver error.',
  FERRY_SOURCE_VALUE: 'A source column value cannot be read as its kind; declare the kind.',
  FERRY_STAGE: 'A stage threw while transforming a batch.',
  FERRY_STAGE_CONFIG: 'A stage was given invalid options.',
  FERRY_SYNC_DIFF_CHANGED:
    'A sync was resumed with another diff than the one its checkpoints were saved for.',
  FERRY_SYNC_DIFF_STALE:
    '`ferry sync` found no source row for a key the diff listed (the source changed since the diff).',
  FERRY_SYNC_OPTIONS: '`ferry sync` was given options it cannot use (source kind, delete policy, store).',
  FERRY_TARGET_COLUMN_MISSING: 'The target table has no column for a mapped attribute.',
  FERRY_TARGET_CYCLE: 'An entity in a reference cycle needs a second pass the target kind cannot do.',
  FERRY_TARGET_KIND: 'The command needs another target kind.',
  FERRY_TARGET_REMAP: 'Identity "remap" was asked of a target that issues no ids.',
  FERRY_UNKNOWN: 'An unclassified error in the runner.',
  FERRY_UNKNOWN_ENTITY: 'An entity named on the command line is not known.',
  FERRY_UNREACHABLE: 'A database cannot be reached or refused the login.',
  FERRY_USERS_ABORTED: 'The users command was aborted while a bulk operation was pending.',
  FERRY_USERS_CONFIG: '`ferry users` needs users.odc in the config, with an https portal URL.',
  FERRY_USERS_INVALID: 'The ODC user list is not JSON or NDJSON, or a user has no id.',
  FERRY_USERS_STATE: 'The users state file has an unknown version or shape.',
  FERRY_USER_UNMATCHED: 'An O11 user has no matching ODC user and users.unmatched is "fail".',
} as const satisfies Readonly<Record<`FERRY_${string}` | `FAKE_${string}`, string>>;

/**
 * `FERRY_HTTP_<status>`: an ODC endpoint answered with this non-2xx HTTP status (e.g. `FERRY_HTTP_409`);
 * the reason and retryability follow the status (429 and 5xx retry).
 */
export type HttpStatusErrorCode = `FERRY_HTTP_${number}`;

/** A code of {@link errorCodes}, or an HTTP status code. A free string does not type-check. */
export type FerryErrorCode = keyof typeof errorCodes | HttpStatusErrorCode;

/** The meaning of `FERRY_HTTP_<status>` codes, for the generated reference. */
export const HTTP_STATUS_ERROR_MEANING =
  'An ODC endpoint answered with this non-2xx HTTP status, e.g. `FERRY_HTTP_409`; 429 and 5xx are retried.';

/** Whether `code` is one of the fixed codes of {@link errorCodes} or an HTTP status code. */
export function isFerryErrorCode(code: string): code is FerryErrorCode {
  return Object.hasOwn(errorCodes, code) || /^FERRY_HTTP_[1-9][0-9]{2}$/.test(code);
}
