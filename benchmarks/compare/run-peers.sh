#!/usr/bin/env bash
# Runs the peer side of the TypedTasks comparison (BullMQ, then Hangfire) on one Redis, writes every result line to
# results/peers.jsonl (overwritten) and prints a table.
#
#   benchmarks/compare/run-peers.sh [--redis HOST:PORT] [--quick]
#
# Without --redis it starts its own redis-server on a free loopback port (no persistence) and stops it afterwards.
# WARNING: it runs FLUSHALL between workloads, so a --redis given here must be a disposable instance.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
invocation="benchmarks/compare/run-peers.sh${*:+ $*}"
redis=""
quick=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --redis) redis="${2:?--redis needs HOST:PORT}"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run-peers.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in node npm dotnet redis-cli; do
  command -v "$tool" >/dev/null || { echo "run-peers.sh: '$tool' is required" >&2; exit 1; }
done

log() { echo "[run-peers] $*" >&2; }

log "installing BullMQ dependencies (npm ci)"
(cd "$here/bullmq" && npm ci --no-audit --no-fund --loglevel=error >&2)
log "building the Hangfire tool (Release)"
dotnet build "$here/hangfire/HangfireCompare.csproj" -c Release -nologo -v quiet >&2
hangfire_dll="$here/hangfire/bin/Release/net10.0/HangfireCompare.dll"
hangfire_exe="$here/hangfire/bin/Release/net10.0/HangfireCompare"

redis_pid=""
cleanup() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [[ -z "$redis" ]]; then
  command -v redis-server >/dev/null || { echo "run-peers.sh: 'redis-server' is required (or pass --redis)" >&2; exit 1; }
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >/dev/null 2>&1 &
  redis_pid=$!
  redis="127.0.0.1:$port"
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.05
  done
fi
redis_host="${redis%:*}"
redis_port="${redis##*:}"
redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null || { echo "run-peers.sh: no Redis at $redis" >&2; exit 1; }
log "Redis $(redis-cli -h "$redis_host" -p "$redis_port" info server | tr -d '\r' | sed -n 's/^redis_version://p') at $redis;" \
  "node $(node --version); .NET $(dotnet --version); $(nproc) cores"

mkdir -p "$here/results"
results="$here/results/peers.jsonl"
: > "$results"

# Other work on the same cores moves these figures by several times: say so next to the results.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v load="${load_before%% *}" -v cores="$(nproc)" 'BEGIN { exit !(load > cores / 4) }'; then
  log "WARNING: load average is $load_before on $(nproc) cores; the figures will be depressed"
fi

# One workload per invocation, on an empty Redis; result lines go to the file, progress to stderr.
run() {
  redis-cli -h "$redis_host" -p "$redis_port" flushall >/dev/null
  "$@" | tee -a "$results"
}

if [[ $quick -eq 1 ]]; then
  bull_single=2000; bull_batch=5000; bull_drain=5000; seconds=2; runs=3
  hf_single=1000; hf_batch=2000; hf_drain=2000
else
  bull_single=20000; bull_batch=100000; bull_drain=100000; seconds=10; runs=5
  hf_single=20000; hf_batch=20000; hf_drain=20000
fi

bull=(node "$here/bullmq/bench.mjs" --redis "$redis")
run "${bull[@]}" --workload enqueue-single --n "$bull_single"
run "${bull[@]}" --workload enqueue-batch --n "$bull_batch"
run "${bull[@]}" --workload drain --n "$bull_drain"
run "${bull[@]}" --workload latency --rate 200 --seconds "$seconds"
run "${bull[@]}" --workload cold-start --runs "$runs"

# The apphost is what a user would launch; fall back to 'dotnet HangfireCompare.dll' where there is none.
if [[ -x "$hangfire_exe" ]]; then hf=("$hangfire_exe"); else hf=(dotnet "$hangfire_dll"); fi
hf+=(--redis "$redis")
run "${hf[@]}" --workload enqueue-single --n "$hf_single"
run "${hf[@]}" --workload enqueue-batch --n "$hf_batch"
run "${hf[@]}" --workload drain --n "$hf_drain"
run "${hf[@]}" --workload latency --rate 200 --seconds "$seconds"
run "${hf[@]}" --workload cold-start --runs "$runs"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $invocation"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ { print $2 }') GiB"
  echo "redis: $(redis-cli -h "$redis_host" -p "$redis_port" info server | tr -d '\r' | sed -n 's/^redis_version://p')"
  echo "node: $(node --version); dotnet: $(dotnet --version)"
  echo "load average before: $load_before; after: $load_after"
} > "$here/results/peers.meta.txt"
log "results: $results (machine and load: results/peers.meta.txt)"
node "$here/print-table.mjs" "$results"
