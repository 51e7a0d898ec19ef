#!/usr/bin/env bash
# The main job, from a fresh Debian machine: installs what it needs, starts a private RabbitMQ
# node, builds reassure, declares Reassure's broker topology and shows it, shows the contact
# plans of the sample events, then stops what it started. (The full demo - serve, workers and
# stub gateways on SQLite - grows in as the workers land.)
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-packages.sh rabbitmq-server librabbitmq-dev pkg-config curl

# Stop only what this script started: a node that was already running stays up.
node=${REASSURE_RABBITMQ_NODE:-reassure-dev@localhost}
started_broker=1
rabbitmqctl -n "$node" -q status >/dev/null 2>&1 && started_broker=0
stop_services() {
  [ "$started_broker" = 1 ] && deploy/rabbitmq-stop.sh || true
}
trap stop_services EXIT

REASSURE_AMQP_URL=$(deploy/rabbitmq-start.sh | tail -n 1)
export REASSURE_AMQP_URL

echo "Building reassure (first build takes a few minutes)…" >&2
swift build --product reassure >&2
reassure=$(swift build --product reassure --show-bin-path)/reassure

# The store refuses to run without a data key; the demo makes a local development key.
mkdir -p data
export REASSURE_DATA_KEY_FILE=${REASSURE_DATA_KEY_FILE:-data/dev-data.key}
if [ ! -s "$REASSURE_DATA_KEY_FILE" ]; then
  head -c 32 /dev/urandom | base64 > "$REASSURE_DATA_KEY_FILE"
  chmod 600 "$REASSURE_DATA_KEY_FILE"
  echo "Created a development data key in $REASSURE_DATA_KEY_FILE (personal data in the store is encrypted with it)." >&2
fi
echo >&2
echo "== The store (reassure migrate, SQLite at ${REASSURE_STORE_URL:-sqlite://./data/reassure.sqlite}) ==" >&2
"$reassure" migrate

echo >&2
echo "== Reassure's queues on the broker (reassure status) ==" >&2
"$reassure" status
for sample in somali amharic portuguese-mozambique zulu arabic unsafe unknown-language; do
  echo >&2
  echo "== Contact plan for deploy/samples/$sample.json (reassure plan) ==" >&2
  "$reassure" plan --event "deploy/samples/$sample.json"
done
echo >&2
echo "== An invalid event (reassure validate) ==" >&2
"$reassure" validate deploy/samples/invalid.json || true
echo >&2
echo "Management UI while it runs: http://127.0.0.1:${REASSURE_RABBITMQ_MGMT_PORT:-15672} (guest/guest)" >&2
