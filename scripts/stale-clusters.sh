#!/usr/bin/env bash
# Remove PostgreSQL test clusters left behind by killed test runs (packages/cli/test/pg-cluster.ts names
# them `ferry_t<suffix>_p<pid>`, pid of the test process). A cluster whose process is gone is dropped;
# one whose process lives belongs to a running test and stays. Older names without a pid are dropped
# only when the cluster is down (a running one may be in use). The `main` cluster is never touched.
set -uo pipefail
command -v pg_lsclusters >/dev/null || exit 0

pg_lsclusters --no-header | while read -r version name _port status _rest; do
  case "$name" in ferry_t*) ;; *) continue ;; esac
  pid=""
  [[ "$name" =~ _p([0-9]+)$ ]] && pid="${BASH_REMATCH[1]}"
  if [[ -n "$pid" ]]; then
    kill -0 "$pid" 2>/dev/null && continue
  elif [[ "$status" == online* ]]; then
    continue
  fi
  echo "stale-clusters: dropping $version/$name (its test process is gone)" >&2
  pg_dropcluster --stop "$version" "$name" || echo "stale-clusters: could not drop $version/$name" >&2
done
