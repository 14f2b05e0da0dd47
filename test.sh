#!/usr/bin/env bash
# Runs every test of TypedTasks: generator, core runtime, hosting, Redis broker (against a real redis-server the tests
# start themselves on free loopback ports, a 3-master cluster included) and the NativeAOT worker end to end.
# Usage: ./test.sh            installs redis-server, clang and zlib1g-dev with apt-get when they are missing
#        ./test.sh --no-aot   skips the NativeAOT publish + end-to-end run (a few minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")"

run_aot=1
[ "${1:-}" = "--no-aot" ] && run_aot=0

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
if [ "$run_aot" -eq 1 ]; then
  # NativeAOT links with clang against zlib.
  { command -v clang >/dev/null 2>&1 || compgen -c clang- | grep -qE '^clang-[0-9]+$'; } || missing+=(clang)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get (the tests need a real Redis and the NativeAOT toolchain)." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

configuration="${CONFIGURATION:-Release}"
dotnet build TypedTasks.sln -c "$configuration" -warnaserror -nologo -v:q

log=$(mktemp)
status=0
dotnet test TypedTasks.sln -c "$configuration" --no-build --nologo 2>&1 | tee "$log" || status=$?

# One summary line over every test project ("N passed, N failed").
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"

# The NativeAOT proof: publish the worker sample with zero trim/AOT warnings, run the native binary against Redis,
# enqueue from another process, check results, dead letters and a graceful exit. Counted as one test.
if [ "$run_aot" -eq 1 ]; then
  if bash samples/AotWorker/e2e.sh; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
