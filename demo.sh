#!/usr/bin/env bash
# Runs the quickstart: a producer and a worker in one process.
#   ./demo.sh                          in-memory broker, nothing to install
#   ./demo.sh --redis localhost:6379   the same against Redis (any StackExchange.Redis configuration string)
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project samples/Quickstart -c Release -- "$@"
