#!/usr/bin/env bash
# NativeAOT end-to-end proof: publish the worker as a native linux-x64 binary with zero trim/AOT warnings, run it
# against a real Redis, enqueue from another process, check results, dead letters, a unique send, the cancellation of
# a running task, a workflow (chains, a group, a chord) whose every step runs in the native worker, that a [Schedule]
# ticks exactly once with two worker processes, and a graceful SIGTERM exit.
# Uses $TYPEDTASKS_REDIS (host:port) when set, otherwise starts its own redis-server on a free port.
# Dead letters are read and requeued with the typedtasks tool (src/TypedTasks.Cli), built here.
# Needs: .NET SDK 10, clang (any clang or clang-NN on PATH), zlib1g-dev, redis-server + redis-cli. Exit code != 0 on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
out="$work/publish"
count="${E2E_TASKS:-1000}"
worker_pid=""
worker2_pid=""
redis_pid=""

cleanup() {
  [[ -n "$worker_pid" ]] && kill "$worker_pid" 2>/dev/null || true
  [[ -n "$worker2_pid" ]] && kill "$worker2_pid" 2>/dev/null || true
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "e2e FAIL: $*" >&2; [[ -f "$work/worker.log" ]] && { echo "--- worker log (tail) ---" >&2; tail -40 "$work/worker.log" >&2; }; exit 1; }
now_ms() { date +%s%3N; }

# NativeAOT links with clang; Debian ships it as clang-NN without a plain 'clang' unless the metapackage is installed.
compiler_args=()
if ! command -v clang >/dev/null 2>&1; then
  versioned="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -V | tail -1 || true)"
  [[ -n "$versioned" ]] || fail "no clang on PATH (apt-get install clang zlib1g-dev)"
  compiler_args=("-p:CppCompilerAndLinker=$versioned")
fi

echo "== Publishing the NativeAOT worker (linux-x64, Release)"
# PublishAot is set in AotWorker.csproj rather than with -p:PublishAot=true: a global property would also reach the
# generator project (netstandard2.0), which cannot be compiled ahead of time.
publish_start=$(now_ms)
if ! dotnet publish "$here/AotWorker.csproj" -c Release -r linux-x64 -o "$out" "${compiler_args[@]}" >"$work/publish.log" 2>&1; then
  tail -60 "$work/publish.log" >&2
  fail "dotnet publish failed"
fi
publish_seconds=$(( ($(now_ms) - publish_start) / 1000 ))
# Belt and braces: the project already turns IL2xxx/IL3xxx into errors; any such warning printed still fails here.
if grep -E "warning IL[23][0-9]{3}" "$work/publish.log"; then
  fail "trim/AOT analysis warnings in the publish output"
fi
binary="$out/AotWorker"
[[ -x "$binary" ]] || fail "no native binary at $binary"
file_size=$(stat -c %s "$binary")
echo "   published in ${publish_seconds}s, binary $(( file_size / 1024 / 1024 )) MiB ($file_size bytes), 0 IL2xxx/IL3xxx warnings"

if [[ -n "${TYPEDTASKS_REDIS:-}" ]]; then
  redis="$TYPEDTASKS_REDIS"
else
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --loglevel warning >"$work/redis.log" 2>&1 &
  redis_pid=$!
  redis="127.0.0.1:$port"
  for _ in $(seq 100); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
fi
redis_host="${redis%:*}"
redis_port="${redis##*:}"
redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null || fail "Redis at $redis does not answer"
echo "== Redis at $redis"

# Every run gets its own key prefix, so a shared CI Redis never mixes runs.
export TypedTasks__Redis="$redis"
export TypedTasks__Redis__KeyPrefix="e2e$(date +%s)$$"

# The typedtasks tool (src/TypedTasks.Cli) reads the same deployment: TYPEDTASKS_REDIS and TYPEDTASKS_PREFIX.
echo "== Building the typedtasks tool"
cli_project="$here/../../src/TypedTasks.Cli/TypedTasks.Cli.csproj"
dotnet build "$cli_project" -c Release -nologo -v:q >"$work/cli-build.log" 2>&1 || { tail -30 "$work/cli-build.log" >&2; fail "building the typedtasks tool failed"; }
cli="$(cd "$here/../../src/TypedTasks.Cli/bin/Release/net10.0" && pwd)/TypedTasks.Cli.dll"
export TYPEDTASKS_REDIS="$redis" TYPEDTASKS_PREFIX="$TypedTasks__Redis__KeyPrefix"
tt() { dotnet "$cli" "$@"; }
json_get() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
cd "$out"

# A task waits before the worker exists, so start-up is measured up to the first finished task, not to an empty queue.
probe_id=$("$binary" probe) || fail "probe enqueue failed"

echo "== Starting the native worker"
"$binary" >"$work/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 200); do grep -q "First task" "$work/worker.log" && break; kill -0 "$worker_pid" 2>/dev/null || fail "worker exited at start"; sleep 0.05; done
first_task_ms=$(grep -oE "finished [0-9]+ ms after the process started" "$work/worker.log" | grep -oE "[0-9]+" | head -1)
[[ -n "$first_task_ms" ]] || fail "the worker never finished the probe task $probe_id"
echo "   first task finished ${first_task_ms} ms after the process started"

echo "== Enqueueing $count additions + 10 reports from another process"
"$binary" enqueue "$count" | tee "$work/enqueue.log" || fail "enqueue/check failed"
grep -q "sum of additions $(( count * (count + 1) )) " "$work/enqueue.log" || fail "wrong sum"
grep -q "10 reports correct, status succeeded with progress 100%" "$work/enqueue.log" || fail "report status or progress wrong"

echo "== Malformed entries go to the dead letters; the worker keeps running"
stream="{${TypedTasks__Redis__KeyPrefix}:math}:stream"
enq=$(now_ms)
rcli() { redis-cli -h "$redis_host" -p "$redis_port" "$@"; }
rcli XADD "$stream" '*' id e2e-missing-fields actor math.add >/dev/null
# Attempt 6: the unknown actor's bounded retries (WorkerOptions.UnknownActorMaxRetries, 5 by default, minutes apart)
# are spent, so this worker dead-letters it at once.
rcli XADD "$stream" '*' id e2e-unknown actor no.such.actor args '{}' attempt 6 enq "$enq" >/dev/null
# Headers that are not valid UTF-8, between two good entries: the good ones run, the bad one is dead-lettered.
rcli XADD "$stream" '*' id e2e-good-1 actor math.add args '{"a":1,"b":2}' attempt 1 enq "$enq" >/dev/null
rcli XADD "$stream" '*' id e2e-bad-headers actor math.add args '{"a":1,"b":2}' attempt 1 enq "$enq" h $'{"\xff":"v"}' >/dev/null
rcli XADD "$stream" '*' id e2e-good-2 actor math.add args '{"a":1,"b":2}' attempt 1 enq "$enq" >/dev/null
# A producer's due time: the entry must not run before it.
due=$(( $(now_ms) + 1500 ))
rcli XADD "$stream" '*' id e2e-due actor math.add args '{"a":40,"b":2}' attempt 1 enq "$enq" due "$due" >/dev/null
rcli PUBLISH "{${TypedTasks__Redis__KeyPrefix}:math}:wake" "" >/dev/null
result_key() { echo "${TypedTasks__Redis__KeyPrefix}:result:{$1}"; }
# The dead letters are read with the typedtasks tool, the way an operator would: its --json output, parsed here.
for _ in $(seq 100); do
  tt dead-letters list --queue math --json >"$work/dead.json" 2>"$work/dead.err" || fail "typedtasks dead-letters list failed: $(cat "$work/dead.err")"
  [[ "$(json_get count <"$work/dead.json")" == "3" ]] && break
  sleep 0.1
done
tt dead-letters list --queue math || fail "typedtasks dead-letters list (table) failed"
python3 -c 'import json,sys; [print(i["reason"], i["actor"] or "-", i["taskId"] or "-", i["id"]) for i in json.load(sys.stdin)["items"]]' <"$work/dead.json" >"$work/dead.log"
[[ $(grep -c "^MalformedMessage " "$work/dead.log") -eq 2 ]] || fail "the entries with missing fields and invalid UTF-8 headers are not dead-lettered as MalformedMessage"
grep -q "^UnknownActor no.such.actor e2e-unknown " "$work/dead.log" || fail "the unknown actor is not dead-lettered as UnknownActor"
# Its id, as listed, requeues it: it leaves the dead letters and goes back to the queue as a first attempt.
unknown_id=$(grep "^UnknownActor " "$work/dead.log" | awk '{print $4}')
tt dead-letters requeue "$unknown_id" --queue math --json >"$work/requeue.json" || fail "typedtasks dead-letters requeue $unknown_id failed"
[[ "$(json_get count <"$work/requeue.json")" == "1" ]] || fail "requeue of $unknown_id did not requeue it: $(cat "$work/requeue.json")"
tt dead-letters list --queue math --json >"$work/dead.json" || fail "typedtasks dead-letters list failed after the requeue"
[[ "$(json_get count <"$work/dead.json")" == "2" ]] && ! grep -q "$unknown_id" "$work/dead.json" || fail "the requeued dead letter $unknown_id is still listed"
for id in e2e-good-1 e2e-good-2; do
  [[ "$(rcli EXISTS "$(result_key "$id")")" == "1" ]] || fail "good entry $id, read together with a malformed one, did not run"
done
if [[ $(now_ms) -lt $due && "$(rcli EXISTS "$(result_key e2e-due)")" == "1" ]]; then
  fail "the entry with a future due time ran early"
fi
for _ in $(seq 100); do [[ "$(rcli EXISTS "$(result_key e2e-due)")" == "1" ]] && break; sleep 0.1; done
[[ "$(rcli EXISTS "$(result_key e2e-due)")" == "1" ]] || fail "the entry with a due time never ran"
ran_at=$(rcli HGET "$(result_key e2e-due)" at)
[[ "$ran_at" -ge "$due" ]] || fail "the entry due at $due finished at $ran_at"
# Polled: the requeued unknown-actor task is taken and scheduled for a retry while this runs.
for _ in $(seq 100); do [[ "$(rcli XPENDING "$stream" workers | head -1)" == "0" ]] && break; sleep 0.1; done
[[ "$(rcli XPENDING "$stream" workers | head -1)" == "0" ]] || fail "entries are still pending"
kill -0 "$worker_pid" 2>/dev/null || fail "the worker died on malformed entries"
"$binary" enqueue 10 >/dev/null || fail "the worker stopped processing after the malformed entries"
echo "   3 dead letters listed by typedtasks, one requeued by its id, good neighbours ran, the due entry waited for its time, nothing pending, worker still processing"

echo "== A unique send is recognised; a running task is cancelled"
unique_out=$("$binary" send-unique) || fail "the second unique send was not recognised as a duplicate"
# The host logs to stdout too: take the id from the line the command prints.
waiting_id=$(grep -oE '^[0-9A-Za-z]+ duplicate recognised$' <<<"$unique_out" | cut -d' ' -f1)
[[ -n "$waiting_id" ]] || fail "send-unique printed no task id: $unique_out"
for _ in $(seq 100); do [[ "$(rcli XPENDING "$stream" workers | head -1)" -ge 1 ]] && break; sleep 0.1; done
[[ "$(rcli XPENDING "$stream" workers | head -1)" -ge 1 ]] || fail "the long task $waiting_id never started"
"$binary" cancel "$waiting_id" || fail "cancelling the running task $waiting_id failed"
for _ in $(seq 100); do grep -q "$waiting_id (math.wait) attempt 1 was cancelled while running" "$work/worker.log" && break; sleep 0.1; done
grep -q "$waiting_id (math.wait) attempt 1 was cancelled while running" "$work/worker.log" || fail "the worker did not cancel the running task"
# Acknowledged and deleted from the stream, and not scheduled again (the due set may hold the requeued unknown actor's retry).
for _ in $(seq 50); do rcli XRANGE "$stream" - + | grep -q "$waiting_id" || break; sleep 0.1; done
! rcli XRANGE "$stream" - + | grep -q "$waiting_id" || fail "the cancelled task is still in the stream"
! rcli ZRANGE "{${TypedTasks__Redis__KeyPrefix}:math}:due" 0 -1 | grep -q "$waiting_id" || fail "the cancelled task was scheduled for a retry"
echo "   duplicate recognised, running task cancelled on the worker, not retried"

echo "== A workflow: a group of 10 chains, a chord and a chain, every step run by the native worker"
workflow_out=$("$binary" workflow) || fail "the workflow failed or a step did not succeed: $workflow_out"
workflow_line=$(grep -E '^workflow wf-[0-9A-Za-z]+ succeeded: result 1120, [0-9]+ of [0-9]+ steps succeeded$' <<<"$workflow_out") \
  || fail "the workflow command printed no success line: $workflow_out"
workflow_id=$(cut -d' ' -f2 <<<"$workflow_line")
# 10 x (add, add) + the group + sum + add = 23 steps. Steps are numbered dependencies first: 0 = add(1, 1), 1 = its
# add(+1), ..., 20 = the group, 21 = sum, 22 = add(+1000). Each step's task ran under its id {workflow}.{step} and
# stored its own result there.
grep -q " 23 of 23 steps succeeded$" <<<"$workflow_line" || fail "expected 23 succeeded steps: $workflow_line"
for pair in 0=2 1=3 18=20 19=21 21=120 22=1120; do
  step="${pair%=*}"; value="${pair#*=}"
  [[ "$(rcli HGET "$(result_key "$workflow_id.$step")" v)" == "$value" ]] || fail "step $step of $workflow_id did not store $value under $workflow_id.$step"
done
echo "   ${workflow_line#workflow }"
echo "== Periodic schedule: two worker processes run the scheduler; every tick runs exactly once"
"$binary" >"$work/worker2.log" 2>&1 &
worker2_pid=$!
sleep 7
kill -TERM "$worker2_pid"
wait "$worker2_pid" || fail "the second worker exited non-zero after SIGTERM"
worker2_pid=""
ticks=$(cat "$work/worker.log" "$work/worker2.log" | { grep -oE "Scheduled task sched:heartbeat:[0-9]+" || true; } | grep -oE "[0-9]+$" | sort -n || true)
[[ $(echo "$ticks" | grep -c .) -ge 4 ]] || fail "fewer than 4 heartbeat ticks ran: $(echo $ticks)"
doubled=$(echo "$ticks" | uniq -d)
[[ -z "$doubled" ]] || fail "heartbeat ticks ran more than once: $doubled"
first=$(echo "$ticks" | head -1); last=$(echo "$ticks" | tail -1)
[[ $(echo "$ticks" | grep -c .) -eq $(( (last - first) / 2000 + 1 )) ]] || fail "heartbeat ticks missing between $first and $last: $(echo $ticks)"
ran_by_second=$(grep -c "Scheduled task sched:heartbeat:" "$work/worker2.log" || true)
echo "   $(echo "$ticks" | grep -c .) ticks every 2 s from $first to $last, each once (the second worker ran $ran_by_second)"

echo "== SIGTERM: graceful stop"
kill -TERM "$worker_pid"
exit_code=0
wait "$worker_pid" || exit_code=$?
worker_pid=""
[[ "$exit_code" -eq 0 ]] || fail "worker exited with $exit_code after SIGTERM"
grep -q "Worker stopped" "$work/worker.log" || fail "no 'Worker stopped' in the worker log"
echo "   exited 0 after a graceful stop"

echo "== Traces: with Telemetry__Console=true the send span of one process is the parent of the other's process span"
Telemetry__Console=true "$binary" probe >"$work/trace-probe.log" 2>&1 || fail "the traced probe failed"
Telemetry__Console=true "$binary" >"$work/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 200); do grep -qE "Activity.DisplayName: +process math" "$work/worker.log" && break; kill -0 "$worker_pid" 2>/dev/null || fail "traced worker exited"; sleep 0.05; done
# The console exporter prints TraceId, SpanId, (ParentSpanId,) DisplayName for each span, in that order.
send_span=$(awk '/Activity.TraceId:/{t=$2} /Activity.SpanId:/{s=$2} /Activity.DisplayName: +send math/{print t "/" s; exit}' "$work/trace-probe.log")
process_parent=$(awk '/Activity.TraceId:/{t=$2; p=""} /Activity.ParentSpanId:/{p=$2} /Activity.DisplayName: +process math/{print t "/" p; exit}' "$work/worker.log")
[[ -n "$send_span" ]] || fail "no 'send math' span in the probe's output"
[[ -n "$process_parent" ]] || fail "no 'process math' span in the worker's output"
[[ "$send_span" == "$process_parent" ]] || fail "the process span (trace/parent $process_parent) is not a child of the send span ($send_span)"
kill -TERM "$worker_pid"; wait "$worker_pid" || fail "the traced worker did not stop cleanly"; worker_pid=""
echo "   send span $send_span is the parent of the worker's process span"

echo
echo "NativeAOT e2e OK: binary $(( file_size / 1024 / 1024 )) MiB, first task ${first_task_ms} ms after start, $count + 10 tasks checked, publish ${publish_seconds}s"
