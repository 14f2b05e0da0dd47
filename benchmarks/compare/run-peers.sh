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

# CPU seconds the whole machine has spent busy (all cores), from /proc/stat.
busy_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat
}

# CPU seconds used by this script's finished children (tools, workers, our redis-server once stopped). `times` must
# run in this shell, not in a $(...) subshell, which has no children of its own.
times_file="$(mktemp)"
own_cpu_seconds() {
  times > "$times_file"
  tail -1 "$times_file" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.1f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}

# Before our own install and build, whose helper processes can linger for a moment.
idle_check_start="$(busy_cpu_seconds)"
sleep 2
if awk -v a="$idle_check_start" -v b="$(busy_cpu_seconds)" -v cores="$(nproc)" 'BEGIN { exit !((b - a) / 2 > cores / 4) }'; then
  log "WARNING: other processes keep the cores busy before the run; the figures will be depressed"
fi

log "installing BullMQ dependencies (npm ci)"
(cd "$here/bullmq" && npm ci --no-audit --no-fund --loglevel=error >&2)
log "building the Hangfire tool (Release)"
dotnet build "$here/hangfire/HangfireCompare.csproj" -c Release -nologo -v quiet >&2
hangfire_dll="$here/hangfire/bin/Release/net10.0/HangfireCompare.dll"
hangfire_exe="$here/hangfire/bin/Release/net10.0/HangfireCompare"

redis_pid=""
stop_redis() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  fi
}
cleanup() {
  stop_redis
  rm -f "$times_file" "$times_file.before" "$times_file.after"
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
redis_version="$(redis-cli -h "$redis_host" -p "$redis_port" info server | tr -d '\r' | sed -n 's/^redis_version://p')"
log "Redis $redis_version at $redis;" \
  "node $(node --version); .NET $(dotnet --version); $(nproc) cores"

mkdir -p "$here/results"
results="$here/results/peers.jsonl"
: > "$results"

# Other work on the same cores moves these figures by several times: account for it (results/peers.meta.txt).
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
busy_before="$(busy_cpu_seconds)"
own_cpu_seconds > "$times_file.before"  # npm ci and the build, which ran before busy_before

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
busy_after="$(busy_cpu_seconds)"
stop_redis  # now, so that `times` counts its CPU too
own_cpu_seconds > "$times_file.after"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $invocation"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ { print $2 }') GiB"
  echo "redis: $redis_version at $redis"
  echo "node: $(node --version); dotnet: $(dotnet --version)"
  echo "load average before: $load_before; after: $load_after"
  echo "machine busy CPU during the run: $(awk -v a="$busy_before" -v b="$busy_after" 'BEGIN { printf "%.1f", b - a }') s;" \
    "of which this script's own processes:" \
    "$(awk -v a="$(cat "$times_file.before")" -v b="$(cat "$times_file.after")" 'BEGIN { printf "%.1f", b - a }') s" \
    "(without Redis when --redis is given)"
} > "$here/results/peers.meta.txt"
log "results: $results (machine and load: results/peers.meta.txt)"
node "$here/print-table.mjs" "$results"
