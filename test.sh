#!/usr/bin/env bash
# Runs every test of TypedTasks: generator, core runtime, Redis broker (against a real redis-server the tests start
# themselves on free loopback ports) and the NativeAOT worker end to end.
# Usage: ./test.sh            (installs redis-server with apt-get when it is missing)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found; installing it with apt-get (the broker tests need a real Redis)." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server >/dev/null
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
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
