// Documented exit codes of the `ferry` command. Scripts and CI branch on them, so they never change.

/** Exit codes; see the CLI reference in the README. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The run or command failed (database error, rejected rows over the threshold, ...). */
  failed: 1,
  /** Wrong usage or an invalid config or mapping. */
  usage: 2,
  /**
   * `check` found model inconsistencies, `assess` found blocking patterns, `verify` found mismatches,
   * `diff` found differences,
   * `plan` found user references without users, `run` refused to start on check findings.
   */
  findings: 3,
  /** The run was aborted (Ctrl-C) and can be resumed. */
  aborted: 4,
  /** A database or endpoint could not be reached or refused the credentials. */
  unreachable: 5,
  /**
   * Another process holds the run's lock (a `run` of the same run id is under way): wait or stop it.
   * Also a run that lost its lock to another process while the target restarted (`FERRY_RUN_LOCK_LOST`).
   */
  locked: 6,
  /** The login connected but may not read a table or column it needs (named in the message): grant it. */
  permission: 7,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
