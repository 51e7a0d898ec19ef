#!/usr/bin/env bash
# The main job, from a fresh Debian machine: installs what it needs, starts a private RabbitMQ
# node, builds reassure, and runs the whole system on the embedded SQLite store with a scaled
# clock (12 hours per second):
#   - `reassure serve` (the producer: HTTP ingest, outbox relay, webhooks),
#   - two `reassure worker` processes (scheduler, clock, dispatcher, outcomes),
#   - `reassure gateway-stub` as the SMS provider (over HTTP, with signed receipts back to serve)
#     and the in-process stub as the email provider.
# It feeds the sample events in deploy/samples, shows messages going out in the victims'
# languages, simulates a STOP and a CALL reply, shows the tasks they create, prints where to
# look, and stops everything it started on Ctrl-C (or at once when not run from a terminal).
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-packages.sh rabbitmq-server librabbitmq-dev libsqlite3-dev pkg-config curl

http_port=${REASSURE_DEMO_HTTP_PORT:-8080}
stub_port=${REASSURE_DEMO_STUB_PORT:-9090}
demo=data/demo
pids=()

# Stop only what this script started: a node that was already running stays up.
node=${REASSURE_RABBITMQ_NODE:-reassure-dev@localhost}
started_broker=1
rabbitmqctl -n "$node" -q status >/dev/null 2>&1 && started_broker=0
stop_everything() {
  trap - EXIT INT TERM
  echo >&2
  echo "Stopping the demo…" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$started_broker" = 1 ] && deploy/rabbitmq-stop.sh || true
}
trap stop_everything EXIT
trap 'exit 130' INT TERM

REASSURE_AMQP_URL=$(deploy/rabbitmq-start.sh | tail -n 1)
export REASSURE_AMQP_URL

echo "Building reassure (the first build takes several minutes)…" >&2
swift build --product reassure >&2
reassure=$(swift build --product reassure --show-bin-path)/reassure

# A fresh demo store each run; the development key encrypts its personal data.
mkdir -p data
rm -rf "$demo" && mkdir -p "$demo"
export REASSURE_DATA_KEY_FILE=${REASSURE_DATA_KEY_FILE:-data/dev-data.key}
if [ ! -s "$REASSURE_DATA_KEY_FILE" ]; then
  head -c 32 /dev/urandom | base64 > "$REASSURE_DATA_KEY_FILE"
  chmod 600 "$REASSURE_DATA_KEY_FILE"
  echo "Created a development data key in $REASSURE_DATA_KEY_FILE." >&2
fi
export REASSURE_STORE_URL="sqlite://$demo/reassure.sqlite"
export REASSURE_GATEWAY_WEBHOOK_SECRET
REASSURE_GATEWAY_WEBHOOK_SECRET=$(head -c 24 /dev/urandom | base64)
export REASSURE_LOG_LEVEL=${REASSURE_LOG_LEVEL:-warning}
"$reassure" migrate >/dev/null
# The broker keeps messages between runs; this store is new, so start from empty queues.
for queue in reassure.scheduler reassure.dispatch reassure.outcomes reassure.dead; do
  rabbitmqctl -n "$node" -q purge_queue "$queue" >/dev/null 2>&1 || true
done

echo "== Starting the SMS provider stub (reassure gateway-stub on 127.0.0.1:$stub_port) ==" >&2
"$reassure" gateway-stub --addr "127.0.0.1:$stub_port" --name sms-stub --api-key demo-provider-key \
  --receipts-url "http://127.0.0.1:$http_port/v1/gateway/receipts" --inbound-url "http://127.0.0.1:$http_port/v1/gateway/inbound" \
  --webhook-secret "$REASSURE_GATEWAY_WEBHOOK_SECRET" --sent-log "$demo/sms-sent.jsonl" --receipt-delay-ms 300 \
  2>"$demo/gateway-stub.log" &
pids+=($!)

echo "== Starting the producer (reassure serve on 127.0.0.1:$http_port) ==" >&2
REASSURE_HTTP_ADDR="127.0.0.1:$http_port" "$reassure" serve 2>"$demo/serve.log" &
pids+=($!)

echo "== Starting two workers (12 hours of schedule per second) ==" >&2
for n in 1 2; do
  REASSURE_WORKER_ID="demo-worker-$n" REASSURE_CLOCK_SCALE=43200 \
  REASSURE_GATEWAY_SMS=http REASSURE_GATEWAY_SMS_URL="sms-stub=http://127.0.0.1:$stub_port" REASSURE_GATEWAY_API_KEY=demo-provider-key \
  REASSURE_GATEWAY_EMAIL=stub REASSURE_STUB_SENT_LOG="$demo/email-sent.jsonl" \
  REASSURE_METRICS_ADDR="127.0.0.1:$((9464 + n))" \
    "$reassure" worker 2>"$demo/worker-$n.log" &
  pids+=($!)
done

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "Gave up waiting for $what; the logs are in $demo/." >&2
  exit 1
}
wait_for 60 "reassure serve" curl -fsS "http://127.0.0.1:$http_port/ready"

token=$("$reassure" token create --role integrator --name "demo-integrator-$(date +%s)")
operator=$("$reassure" token create --role operator --name "demo-operator-$(date +%s)")

echo >&2
echo "== Feeding the sample events (POST /v1/events) ==" >&2
samples=(somali amharic portuguese-mozambique zulu arabic unsafe unknown-language discreet)
batch="{\"events\": [$(for s in "${samples[@]}"; do cat "deploy/samples/$s.json"; echo ,; done | sed '$ s/,$//')]}"
curl -sS -X POST "http://127.0.0.1:$http_port/v1/events" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary "$batch"
echo
echo "An invalid event is refused with every problem at once:" >&2
curl -sS -X POST "http://127.0.0.1:$http_port/v1/events" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary @deploy/samples/invalid.json
echo

five_languages_sent() { [ "$(cat "$demo"/*-sent.jsonl 2>/dev/null | grep -o '"language":"[^"]*"' | sort -u | wc -l)" -ge 5 ]; }
wait_for 60 "messages in five languages" five_languages_sent

echo >&2
echo "== Messages sent so far (from the providers' sent-logs; numbers masked) ==" >&2
cat "$demo"/*-sent.jsonl | sed -E 's/.*"channel":"([a-z]+)".*"language":"([^"]*)".*"to":"([^"]*)".*/\1  \2  to \3/' | sort | uniq -c

echo >&2
echo "== A victim flagged discreet_contact (Somali, Portuguese; no neutral Somali wording yet) ==" >&2
wait_for 60 "the discreet victim's message" grep -q '[*]09"' "$demo/sms-sent.jsonl"
grep '[*]09"' "$demo/sms-sent.jsonl" | head -n 1 | sed -E 's/.*"body":"([^"]*)".*"language":"([^"]*)".*"sender":"([^"]*)".*/from \3 in \2: \1/'

echo >&2
echo "== The Somali victim replies JOOJI (STOP); the Amharic victim replies 1 (CALL) ==" >&2
somali_before=$(grep -c '[*]01"' "$demo/sms-sent.jsonl" || true)
for reply in '+27825550101 JOOJI' '+27825550102 1'; do
  set -- $reply
  curl -sS -X POST "http://127.0.0.1:$stub_port/simulate/inbound" -H 'Authorization: Bearer demo-provider-key' \
    -H 'Content-Type: application/json' --data "{\"from\": \"$1\", \"text\": \"$2\", \"channel\": \"sms\"}"
  echo
done
tasks() { curl -fsS "http://127.0.0.1:$http_port/v1/tasks" -H "Authorization: Bearer $operator"; }
wait_for 60 "the callback task" sh -c "curl -fsS http://127.0.0.1:$http_port/v1/tasks -H 'Authorization: Bearer $operator' | grep -q callback"
# Everything else for the Somali victim is cancelled: the next message to them is the confirmation.
wait_for 60 "the opt-out confirmation" sh -c "[ \$(grep -c '[*]01\"' $demo/sms-sent.jsonl) -gt $somali_before ]"

echo >&2
echo "== Open tasks for people (GET /v1/tasks) ==" >&2
tasks
echo
echo >&2
echo "== reassure status ==" >&2
"$reassure" status

cat >&2 <<EOF

Where to look while it runs:
  sent messages      $demo/sms-sent.jsonl (gateway-stub), $demo/email-sent.jsonl (in-process stub)
  logs               $demo/*.log
  producer API       http://127.0.0.1:$http_port/v1/...  (operator token: $operator)
  metrics            http://127.0.0.1:$http_port/metrics, http://127.0.0.1:9465/metrics, http://127.0.0.1:9466/metrics
  RabbitMQ           http://127.0.0.1:${REASSURE_RABBITMQ_MGMT_PORT:-15672} (guest/guest)
  status             REASSURE_STORE_URL=$REASSURE_STORE_URL REASSURE_DATA_KEY_FILE=$REASSURE_DATA_KEY_FILE $reassure status
The schedule keeps running (check-ins, day 14, day 28 …) at 12 hours per second.
EOF
if [ -t 0 ]; then
  echo "Press Ctrl-C to stop everything." >&2
  while true; do sleep 3600; done
fi
