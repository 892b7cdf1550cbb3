#!/usr/bin/env bash
# The long randomized fault run of issue #15, outside CI: random pauses, kill -9 + restarts, cut links and bridge
# partitions on a 3-member cluster of kiwi-server processes under load, for MINUTES (default 30), then the
# report: operations and outcomes, the linearizability verdict per key, acknowledged writes lost, writes applied
# twice, failover times per kind of fault. Needs root (network namespaces). Exit status 0 when nothing was wrong.
#   tests/Kiwi.Jepsen.Tests/run-faults.sh [MINUTES] [RAFT_REQUEST_TIMEOUT_MS]
# KIWI_FAULT_SEED=N replays a run's choice of faults (the seed is printed first in the report).
set -uo pipefail
minutes="${1:-30}"
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
  echo "run-faults.sh needs root: it creates network namespaces, veth pairs and a bridge" >&2
  exit 2
fi

report="$(mktemp)"
export KIWI_FAULT_MINUTES="$minutes" KIWI_FAULT_REPORT="$report" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -n "${2:-}" ]; then
  export KIWI_FAULT_REQUEST_TIMEOUT_MS="$2"
fi

if ! build="$(dotnet build -c Release tests/Kiwi.Jepsen.Tests 2>&1)"; then
  echo "$build" | tail -30
  exit 1
fi

echo "progress: tail -f $report"
dotnet test tests/Kiwi.Jepsen.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Kiwi.Jepsen.Tests.Faults.RandomFaultTests" --logger "console;verbosity=normal"
status=$?
echo
cat "$report"
rm -f "$report"
exit $status
