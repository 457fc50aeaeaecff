#!/bin/bash
# Times "Retry all failed" over HTTP on a real party server: 10,000 FlakyTask tasks fail (max
# attempts 1 from the config file), the queue is paused so the retried tasks stay put, then one
# POST /tasks/retry?state=FAILED is timed with curl.
# usage: party-bench/scripts/bulk-retry.sh PARTY_ROOT PORT DB   (DB: a SQLite path or a jdbc:postgresql URL)
set -e
root=$(cd "$1" && pwd); port=$2; db=$3
work=$(mktemp -d); cd $work
cat > party.yaml <<YAML
store: {db: "$db"}
http: {port: $port}
workers: {count: 4}
task-types:
  FlakyTask: {max-attempts: 1}
cleanup: {every: "off"}
YAML
$root/party server > server.log 2>&1 &
pid=$!
for i in $(seq 1 60); do curl -sf localhost:$port/health >/dev/null && break; sleep 1; done
python3 -c "import json; print(json.dumps({'tasks':[{'party':'FlakyTask','data':{'i':i}} for i in range(10000)]}))" > body.json
curl -sf -XPOST localhost:$port/tasks --data-binary @body.json -o /dev/null
for i in $(seq 1 300); do
  failed=$(curl -sf localhost:$port/status | python3 -c "import sys,json; s=json.load(sys.stdin); print(s['states']['FAILED'])" 2>/dev/null || echo -1)
  [ "$failed" = "10000" ] && break; sleep 1
done
echo "failed before retry: $failed"
# stop the workers' effect on timing: pause the default queue so the retried tasks stay PENDING
curl -sf -XPOST localhost:$port/queues/default/pause -o /dev/null
curl -s -o retry.json -w 'retry all failed: %{time_total} s\n' -XPOST "localhost:$port/tasks/retry?state=FAILED"
cat retry.json; echo
kill -TERM $pid; wait $pid || true
