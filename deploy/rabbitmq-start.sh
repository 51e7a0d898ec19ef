#!/usr/bin/env bash
# Installs (if missing) and starts a private RabbitMQ node for development and tests.
# No systemd: the node runs as user rabbitmq from its own directory, on its own ports.
#
# Environment (all optional):
#   REASSURE_RABBITMQ_DIR        data and logs            (default /tmp/reassure-rabbitmq)
#   REASSURE_RABBITMQ_NODE       node name                (default reassure-dev@localhost)
#   REASSURE_RABBITMQ_PORT       AMQP port                (default 5672)
#   REASSURE_RABBITMQ_MGMT_PORT  management HTTP port     (default 15672)
#   REASSURE_RABBITMQ_PROM_PORT  Prometheus metrics port  (default 15692)
#   REASSURE_RABBITMQ_DIST_PORT  Erlang distribution port (default AMQP port + 20000)
# Prints the AMQP URL on its last line.
set -euo pipefail

dir=${REASSURE_RABBITMQ_DIR:-/tmp/reassure-rabbitmq}
node=${REASSURE_RABBITMQ_NODE:-reassure-dev@localhost}
port=${REASSURE_RABBITMQ_PORT:-5672}
mgmt_port=${REASSURE_RABBITMQ_MGMT_PORT:-15672}
prom_port=${REASSURE_RABBITMQ_PROM_PORT:-15692}
dist_port=${REASSURE_RABBITMQ_DIST_PORT:-$((port + 20000))}

here=$(cd "$(dirname "$0")" && pwd)
"$here/install-packages.sh" rabbitmq-server librabbitmq-dev curl

if rabbitmqctl -n "$node" -q status >/dev/null 2>&1; then
  echo "RabbitMQ node $node is already running" >&2
  echo "amqp://guest:guest@127.0.0.1:$port/%2f"
  exit 0
fi

mkdir -p "$dir/mnesia" "$dir/log"
cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = $port
management.tcp.port = $mgmt_port
prometheus.tcp.port = $prom_port
loopback_users = none
CONF
echo '[rabbitmq_management,rabbitmq_prometheus].' > "$dir/enabled_plugins"
chown -R rabbitmq:rabbitmq "$dir"

export RABBITMQ_NODENAME=$node
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq
export RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_PID_FILE=$dir/rabbitmq.pid

started=$(date +%s%N)
setsid rabbitmq-server > "$dir/log/console.log" 2>&1 < /dev/null &
# await_startup fails at once while the Erlang VM is not yet reachable: retry until ready.
ready=0
for _ in $(seq 1 120); do
  if rabbitmqctl -n "$node" -q await_startup --timeout 5 >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  echo "RabbitMQ node $node did not start; last lines of $dir/log/console.log:" >&2
  tail -n 30 "$dir/log/console.log" >&2 || true
  exit 1
fi
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "RabbitMQ node $node ready in ${elapsed_ms} ms (AMQP $port, management $mgmt_port, prometheus $prom_port, data $dir)" >&2
echo "amqp://guest:guest@127.0.0.1:$port/%2f"
