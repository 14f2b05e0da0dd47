#!/usr/bin/env bash
# Issue 5's end-to-end comparison in one command: builds the TypedTasks load test (JIT worker and NativeAOT worker),
# starts one redis-server, runs TypedTasks and then the peers (BullMQ, Hangfire) back to back on it, writes
# benchmarks/results/*.jsonl and run.meta.txt, prints the table with ratios to BullMQ and the targets, and
# regenerates docs/images/benchmarks.png.
#
#   benchmarks/run-all.sh [--quick] [--micro]
#
#   --quick   small N (a smoke run of about 2 minutes; its figures are not comparable to a full run)
#   --micro   also run the BenchmarkDotNet micro-benchmarks (--job short) and keep their report in results/
#
# Requirements: .NET 10 SDK (with the NativeAOT prerequisites: clang, zlib1g-dev), node >= 20 with npm,
# redis-server, redis-cli and redis-benchmark, rsvg-convert (Debian: librsvg2-bin) for the PNG.
# Run nothing else at the same time: everything shares the machine's cores (see results/run.meta.txt).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
invocation="benchmarks/run-all.sh${*:+ $*}"
quick=0
micro=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --micro) micro=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run-all.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

for tool in dotnet node npm redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: '$tool' is required" >&2; exit 1; }
done

log() { echo "[run-all] $*" >&2; }
busy_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat
}

results="$here/results"
mkdir -p "$results"
worker_project="$here/TypedTasks.LoadTest.Worker"
worker_jit="$worker_project/bin/Release/net10.0/TypedTasks.LoadTest.Worker.dll"
worker_aot_dir="$worker_project/bin/aot"
worker_aot="$worker_aot_dir/TypedTasks.LoadTest.Worker"
loadtest="$here/TypedTasks.LoadTest/bin/Release/net10.0/TypedTasks.LoadTest.dll"

log "building the load test and the JIT worker (Release)"
dotnet build "$here/TypedTasks.LoadTest/TypedTasks.LoadTest.csproj" -c Release -nologo -v quiet >&2
dotnet build "$worker_project/TypedTasks.LoadTest.Worker.csproj" -c Release -nologo -v quiet >&2
log "publishing the NativeAOT worker (linux-x64)"
dotnet publish "$worker_project/TypedTasks.LoadTest.Worker.csproj" -c Release -r linux-x64 -o "$worker_aot_dir" -nologo -v quiet >&2

if [[ $micro -eq 1 ]]; then
  log "BenchmarkDotNet micro-benchmarks (--job short)"
  dotnet build "$here/TypedTasks.Benchmarks/TypedTasks.Benchmarks.csproj" -c Release -nologo -v quiet >&2
  dotnet "$here/TypedTasks.Benchmarks/bin/Release/net10.0/TypedTasks.Benchmarks.dll" \
    --filter '*' --job short --exporters github csv --artifacts "$results/micro" >&2
fi

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >/dev/null 2>&1 &
redis_pid=$!
peers_backup="$(mktemp)"
peers_meta_backup="$(mktemp)"
cleanup() {
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  rm -f "$peers_backup" "$peers_meta_backup"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
redis="127.0.0.1:$port"
redis_version="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^redis_version://p')"
log "Redis $redis_version at $redis"

# One Redis round trip from one client, the floor of an awaited one-at-a-time enqueue.
rtt_n=$([[ $quick -eq 1 ]] && echo 20000 || echo 100000)
rate_of() { tr '\r' '\n' | sed -n 's/.* \([0-9.]*\) requests per second.*/\1/p' | tail -1; }
ping_rate="$(redis-benchmark -p "$port" -t ping_mbulk -n "$rtt_n" -c 1 -q | rate_of)"
xadd_rate="$(redis-benchmark -p "$port" -n "$rtt_n" -c 1 -q XADD rtt-probe MAXLEN 1000 '*' f v | rate_of)"
redis-cli -p "$port" flushall >/dev/null
log "one client, un-pipelined: PING $ping_rate/s, XADD $xadd_rate/s"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
busy_before="$(busy_cpu_seconds)"
started_at="$(date +%s)"

if [[ $quick -eq 1 ]]; then
  tt=(--n 5000 --seconds 2 --runs 3)
else
  tt=()
fi
log "TypedTasks (JIT and NativeAOT workers)"
: > "$results/typedtasks.jsonl"
dotnet "$loadtest" --redis "$redis" --workload all,floor --worker-jit "$worker_jit" --worker-aot "$worker_aot" "${tt[@]}" \
  --results "$results/typedtasks.jsonl" >/dev/null

log "peers (benchmarks/compare/run-peers.sh)"
# run-peers.sh overwrites its own committed result files; keep those as they are and take this run's copy.
cp "$here/compare/results/peers.jsonl" "$peers_backup"
cp "$here/compare/results/peers.meta.txt" "$peers_meta_backup"
peer_args=(--redis "$redis")
[[ $quick -eq 1 ]] && peer_args+=(--quick)
"$here/compare/run-peers.sh" "${peer_args[@]}" >/dev/null
cp "$here/compare/results/peers.jsonl" "$results/peers.jsonl"
cp "$here/compare/results/peers.meta.txt" "$results/peers.meta.txt"
cp "$peers_backup" "$here/compare/results/peers.jsonl"
cp "$peers_meta_backup" "$here/compare/results/peers.meta.txt"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
busy_after="$(busy_cpu_seconds)"
elapsed=$(( $(date +%s) - started_at ))
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $invocation"
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "redis: $redis_version at $redis (--save \"\" --appendonly no)"
  echo "redis round trip, one client un-pipelined (redis-benchmark -c 1 -n $rtt_n): PING $ping_rate/s; XADD $xadd_rate/s"
  echo "node: $(node --version); dotnet: $(dotnet --version)"
  echo "load average before: $load_before; after: $load_after"
  echo "machine busy CPU during the measurements: $(awk -v a="$busy_before" -v b="$busy_after" 'BEGIN { printf "%.1f", b - a }') s over ${elapsed} s wall (at most $(( elapsed * $(nproc) )) s); the peers' own share is in peers.meta.txt"
} > "$results/run.meta.txt"
cat "$results/run.meta.txt" >&2

dispatch_csv="$results/micro/results/TypedTasks.Benchmarks.DispatchBenchmarks-report.csv"
report_args=("$results/typedtasks.jsonl" "$results/peers.jsonl" --meta "$results/run.meta.txt")
[[ -f "$dispatch_csv" ]] && report_args+=(--dispatch "$dispatch_csv")
node "$here/report/report.mjs" "${report_args[@]}" | tee "$results/table.md"
mkdir -p "$root/docs/images"
node "$here/report/chart.mjs" "$results/typedtasks.jsonl" "$results/peers.jsonl" --out "$root/docs/images/benchmarks.svg"
if command -v rsvg-convert >/dev/null; then
  rsvg-convert --width 1600 "$root/docs/images/benchmarks.svg" -o "$root/docs/images/benchmarks.png"
  log "chart: docs/images/benchmarks.png"
else
  log "rsvg-convert not found (Debian: apt-get install librsvg2-bin); only docs/images/benchmarks.svg was written"
fi
