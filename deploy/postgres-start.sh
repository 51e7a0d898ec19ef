#!/usr/bin/env bash
# Installs (if missing) and starts a private PostgreSQL 15 cluster for development and tests:
# its own directory and port, run as user postgres (initdb refuses root), no systemd.
#
# Environment (optional): REASSURE_POSTGRES_DIR (default /tmp/reassure-postgres),
# REASSURE_POSTGRES_PORT (default 55432), REASSURE_POSTGRES_DB (default reassure_test).
# Prints the database URL on its last line.
set -euo pipefail
dir=${REASSURE_POSTGRES_DIR:-/tmp/reassure-postgres}
port=${REASSURE_POSTGRES_PORT:-55432}
db=${REASSURE_POSTGRES_DB:-reassure_test}
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-packages.sh" postgresql

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; exit 1; }
as_postgres() { su postgres -s /bin/sh -c "$*"; }

mkdir -p "$dir"
chown postgres:postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_postgres "'$bin/initdb' -D '$dir/data' -A trust -U postgres" >/dev/null
fi
if ! as_postgres "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
  started=$(date +%s%N)
  as_postgres "'$bin/pg_ctl' -D '$dir/data' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" -l '$dir/log' -w start" >/dev/null
  echo "PostgreSQL ready in $(( ($(date +%s%N) - started) / 1000000 )) ms (port $port, data $dir/data)" >&2
fi
as_postgres "'$bin/psql' -h '$dir' -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -q 1 \
  || as_postgres "'$bin/createdb' -h '$dir' -p $port -U postgres '$db'"
echo "postgres://postgres@127.0.0.1:$port/$db"
