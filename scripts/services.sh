#!/usr/bin/env bash
# Make sure the PostgreSQL and MariaDB that the integration tests use answer on 127.0.0.1,
# starting them when they do not. Fails loudly when one cannot be reached.
set -uo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
maria_up() { mariadb-admin -h 127.0.0.1 -P 3306 -uroot ping --silent >/dev/null 2>&1 || mysqladmin -h 127.0.0.1 -P 3306 -uroot ping --silent >/dev/null 2>&1; }

wait_for() { # name check
  for _ in $(seq 1 60); do "$2" && return 0; sleep 0.5; done
  echo "services: $1 did not answer on 127.0.0.1" >&2
  return 1
}

if ! pg_up; then
  echo "services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! maria_up; then
  echo "services: starting MariaDB" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  sleep 2
  maria_up || start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
fi
wait_for PostgreSQL pg_up && wait_for MariaDB maria_up
