#!/usr/bin/env bash
# Mutation testing with StrykerJS, one target after another: core, mapping, postgres (the PostgreSQL sink
# and COPY encoder). Slow, so not in CI. Incremental: a second call re-tests only what changed.
# Usage: bash scripts/mutation/run.sh core|mapping|postgres [...]   (also core-all, mapping-all, postgres-write;
# MUTATION_CONCURRENCY, default 1). `target:file` mutates one file of a target (e.g. postgres-write:copy-in),
# with its own report: a slow target can be run, and its results kept, file by file.
set -euo pipefail
cd "$(dirname "$0")/../.."
for target in "$@"; do
  MUTATION_TARGET="$target" npx stryker run scripts/mutation/stryker.config.mjs
done
