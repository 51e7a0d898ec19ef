#!/usr/bin/env bash
# Stops the private RabbitMQ node started by rabbitmq-start.sh (same environment variables).
# Set REASSURE_RABBITMQ_WIPE=1 to delete its data directory as well.
set -euo pipefail
dir=${REASSURE_RABBITMQ_DIR:-/tmp/reassure-rabbitmq}
node=${REASSURE_RABBITMQ_NODE:-reassure-dev@localhost}

if rabbitmqctl -n "$node" -q status >/dev/null 2>&1; then
  rabbitmqctl -n "$node" -q stop >/dev/null
  echo "RabbitMQ node $node stopped" >&2
else
  echo "RabbitMQ node $node was not running" >&2
fi
if [ "${REASSURE_RABBITMQ_WIPE:-0}" = 1 ]; then
  rm -rf "$dir"
fi
