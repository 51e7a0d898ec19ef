#!/usr/bin/env bash
# Stops the private PostgreSQL cluster of postgres-start.sh; REASSURE_POSTGRES_WIPE=1 deletes it too.
set -euo pipefail
dir=${REASSURE_POSTGRES_DIR:-/tmp/reassure-postgres}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "$bin" ] && [ -f "$dir/data/PG_VERSION" ] && su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
  su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null
  echo "PostgreSQL stopped" >&2
fi
if [ "${REASSURE_POSTGRES_WIPE:-0}" = 1 ]; then rm -rf "$dir"; fi
