#!/usr/bin/env bash
# Issue 19's table, re-run on demand: each bug that once slipped through is introduced again, one at a
# time, into the working tree; the test files named for it run one by one; the file is restored. A bug
# that no test file catches makes the script exit 1. Not in CI: it runs minutes of integration tests and
# edits sources in place (run it on a clean checkout; `git diff` is empty again at the end, even on ^C).
# Usage: bash scripts/mutation/issue19-bugs.sh [bug ...]   (default: all; names below)
set -euo pipefail
cd "$(dirname "$0")/../.."

declare -A FILE FROM TO TESTS
bug() { FILE[$1]=$2; FROM[$1]=$3; TO[$1]=$4; TESTS[$1]=$5; }

bug decimal-truncate packages/mapping/src/decimal-convert.ts \
  'const { precision, scale, rounding } = target;' \
  "const { precision } = target; const scale = Math.min(target.scale, 6); const rounding = 'down' as const;" \
  'examples/o11-sqlserver-to-postgres/o11-sqlserver-to-postgres.test.ts packages/cli/test/cli-commands.integration.test.ts packages/adapters/test/e2e-o11-postgres.integration.test.ts'
bug checkpoint-after-commit packages/adapters/src/postgres/postgres-transaction.ts \
  "      if (checkpoint !== undefined) await this.#store(checkpoint).saveIn(client, checkpoint);
      for (const [entity, pairs] of this.#pairs) await options.idMap!.store.putIn(client, entity, pairs);
      await client.query('COMMIT');" \
  "      for (const [entity, pairs] of this.#pairs) await options.idMap!.store.putIn(client, entity, pairs);
      await client.query('COMMIT');
      if (checkpoint !== undefined) await this.#store(checkpoint).saveIn(client, checkpoint);" \
  'packages/adapters/test/postgres-write-faults.integration.test.ts'
bug quote-identifier packages/adapters/src/postgres/identifiers.ts \
  "return \`\"\${name.replaceAll('\"', '\"\"')}\"\`;" \
  "return \`\"\${name}\"\`;" \
  'packages/adapters/test/postgres-identifiers.test.ts packages/adapters/test/postgres-conformance.integration.test.ts'
bug filtered-count packages/core/src/runner/attempt-pipeline.ts \
  'rowsFiltered: batch.rowsFiltered ?? 0,' \
  'rowsFiltered: 0,' \
  'packages/core/test/runner-counts.test.ts packages/cli/test/cli-rejects.integration.test.ts'
bug copy-backslash packages/adapters/src/postgres/copy-encoder.ts \
  "if (code === 92) replacement = '\\\\\\\\';" \
  'if (code === 92) replacement = undefined;' \
  'packages/adapters/test/postgres-copy-encoder.test.ts packages/adapters/test/postgres-conformance.integration.test.ts'
bug copy-empty-null packages/adapters/src/postgres/copy-encoder.ts \
  'if (copy) return escapeCopyText(value);' \
  'if (copy) return value === "" ? COPY_NULL : escapeCopyText(value);' \
  'packages/adapters/test/postgres-copy-encoder.test.ts packages/adapters/test/postgres-conformance.integration.test.ts'
ALL=(decimal-truncate checkpoint-after-commit quote-identifier filtered-count copy-backslash copy-empty-null)

# Replace exactly one occurrence of FROM by TO in FILE, or fail: a moved anchor must not pass silently.
replace() {
  node -e '
    const fs = require("node:fs");
    const [file, from, to] = process.argv.slice(1);
    const text = fs.readFileSync(file, "utf8");
    const count = text.split(from).length - 1;
    if (count !== 1) { console.error(`${file}: the anchor occurs ${count} times, not once`); process.exit(2); }
    fs.writeFileSync(file, text.replace(from, () => to));
  ' "$1" "$2" "$3"
}

status=0
for name in "${@:-${ALL[@]}}"; do
  file=${FILE[$name]:?unknown bug $name (one of: ${ALL[*]})}
  git diff --quiet -- "$file" || { echo "$file has local changes: run on a clean checkout" >&2; exit 2; }
  trap 'git checkout -- "$file"' EXIT INT TERM
  replace "$file" "${FROM[$name]}" "${TO[$name]}"
  caught=()
  for test in ${TESTS[$name]}; do
    # A hang is a finding of its own, not a catch: each file gets 10 minutes.
    rc=0
    timeout 600 npx vitest run "$test" > "/tmp/issue19-$name-$(basename "$test").log" 2>&1 || rc=$?
    if [ $rc -eq 0 ]; then
      echo "$name: $test passed (missed)"
    elif [ $rc -eq 124 ]; then
      echo "$name: $test HUNG (killed after 600 s)"
      status=1
    else
      echo "$name: $test FAILED (caught)"
      caught+=("$test")
    fi
  done
  git checkout -- "$file"
  trap - EXIT INT TERM
  if [ ${#caught[@]} -eq 0 ]; then
    echo "$name: NOT CAUGHT"
    status=1
  fi
done
exit $status
