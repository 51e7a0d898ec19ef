#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what it needs (apt-get), starts a
# private RabbitMQ node and a private PostgreSQL 15 cluster on test ports, runs `swift test`
# (SQLite and PostgreSQL halves of the store suite included), and stops everything it started.
# Extra arguments go to `swift test` (e.g. deploy/test.sh --filter AMQPTests).
set -euo pipefail
cd "$(dirname "$0")/.."

export REASSURE_RABBITMQ_DIR=${REASSURE_RABBITMQ_DIR:-/tmp/reassure-test-rabbitmq}
export REASSURE_RABBITMQ_NODE=${REASSURE_RABBITMQ_NODE:-reassure-test@localhost}
export REASSURE_RABBITMQ_PORT=${REASSURE_RABBITMQ_PORT:-5682}
export REASSURE_RABBITMQ_MGMT_PORT=${REASSURE_RABBITMQ_MGMT_PORT:-15682}
export REASSURE_RABBITMQ_PROM_PORT=${REASSURE_RABBITMQ_PROM_PORT:-15702}
export REASSURE_RABBITMQ_TLS_PORT=${REASSURE_RABBITMQ_TLS_PORT:-5681}

export REASSURE_POSTGRES_DIR=${REASSURE_POSTGRES_DIR:-/tmp/reassure-test-postgres}
export REASSURE_POSTGRES_PORT=${REASSURE_POSTGRES_PORT:-55433}

deploy/install-packages.sh rabbitmq-server librabbitmq-dev libsqlite3-dev pkg-config curl postgresql

stop_services() {
  REASSURE_RABBITMQ_WIPE=1 deploy/rabbitmq-stop.sh || true
  REASSURE_POSTGRES_WIPE=1 deploy/postgres-stop.sh || true
}
trap stop_services EXIT

REASSURE_TEST_POSTGRES_URL=$(deploy/postgres-start.sh | tail -n 1)
export REASSURE_TEST_POSTGRES_URL
REASSURE_TEST_AMQP_URL=$(deploy/rabbitmq-start.sh | tail -n 1)
export REASSURE_TEST_AMQP_URL
export REASSURE_TEST_RABBITMQ_NODE=$REASSURE_RABBITMQ_NODE
export REASSURE_TEST_AMQPS_URL="amqps://guest:guest@localhost:$REASSURE_RABBITMQ_TLS_PORT/%2f?cacertfile=$REASSURE_RABBITMQ_DIR/tls/ca.pem"
export REASSURE_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$REASSURE_RABBITMQ_MGMT_PORT"
# Tests log at warning and above unless asked otherwise.
export REASSURE_LOG_LEVEL=${REASSURE_LOG_LEVEL:-warning}

swift build --build-tests
# One test at a time: several suites run real processes (brokers, worker processes killed with
# SIGKILL, claim probes) and time-scaled schedules; on a 2-core machine running them all at once
# starves the timing-sensitive ones. Serial, the whole suite takes a few minutes.
swift test --skip-build --no-parallel "$@"
