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
#   REASSURE_RABBITMQ_TLS_PORT   if set, also an amqps listener on this port, with a private CA
#                                and a certificate for localhost/127.0.0.1 made in $dir/tls
#                                (clients trust $dir/tls/ca.pem)
# Prints the AMQP URL on its last line.
set -euo pipefail

dir=${REASSURE_RABBITMQ_DIR:-/tmp/reassure-rabbitmq}
node=${REASSURE_RABBITMQ_NODE:-reassure-dev@localhost}
port=${REASSURE_RABBITMQ_PORT:-5672}
mgmt_port=${REASSURE_RABBITMQ_MGMT_PORT:-15672}
prom_port=${REASSURE_RABBITMQ_PROM_PORT:-15692}
dist_port=${REASSURE_RABBITMQ_DIST_PORT:-$((port + 20000))}

here=$(cd "$(dirname "$0")" && pwd)
tls_port=${REASSURE_RABBITMQ_TLS_PORT:-}
"$here/install-packages.sh" rabbitmq-server librabbitmq-dev curl openssl

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
if [ -n "$tls_port" ]; then
  tls=$dir/tls
  mkdir -p "$tls"
  if [ ! -f "$tls/server.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Reassure dev CA" \
      -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tls/san.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
      -days 30 -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null
  fi
  cat >> "$dir/rabbitmq.conf" <<CONF
listeners.ssl.default = $tls_port
ssl_options.cacertfile = $tls/ca.pem
ssl_options.certfile = $tls/server.pem
ssl_options.keyfile = $tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
CONF
fi
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
echo "RabbitMQ node $node ready in ${elapsed_ms} ms (AMQP $port${tls_port:+, AMQPS $tls_port}, management $mgmt_port, prometheus $prom_port, data $dir)" >&2
echo "amqp://guest:guest@127.0.0.1:$port/%2f"
