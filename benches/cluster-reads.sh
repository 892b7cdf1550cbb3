#!/usr/bin/env bash
# Linearizable GETs on a 3-member cluster: kiwi-server processes on loopback, redis-benchmark against the leader
# and against a follower (issue #15: the leader confirms each read with a committed empty entry, a follower asks
# the leader for its commit index). Prints ops/s and p50 of each, twice, and the leader's read_confirmations.
# Needs: a Release build (dotnet build -c Release src/Kiwi.Server), redis-benchmark and redis-cli.
#   benches/cluster-reads.sh [SERVER_BIN_DIR] [CLIENTS] [REQUESTS]
# SERVER_BIN_DIR defaults to this checkout's src/Kiwi.Server/bin/Release/net10.0 (give another checkout's to
# compare two commits in one sitting).
set -uo pipefail
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/src/Kiwi.Server/bin/Release/net10.0}"
clients="${2:-50}"
requests="${3:-100000}"
bin="$dir/kiwi-server"
[ -x "$bin" ] || { echo "cluster-reads: no server at $bin (dotnet build -c Release src/Kiwi.Server)" >&2; exit 1; }
work="$(mktemp -d)"
members=127.0.0.1:17101,127.0.0.1:17102,127.0.0.1:17103
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
for i in 1 2 3; do
  mkdir -p "$work/n$i"
  "$bin" --port $((17200 + i)) --dir "$work/n$i" --raft-port $((17100 + i)) --raft-members "$members" >"$work/n$i.log" 2>&1 &
  pids+=($!)
done
leader=0
for _ in $(seq 1 150); do
  for i in 1 2 3; do
    role=$(timeout 1 redis-cli -p $((17200 + i)) info raft 2>/dev/null | grep -E '^role:' | tr -d '\r')
    [ "$role" = "role:leader" ] && leader=$i
  done
  [ "$leader" != 0 ] && break
  sleep 0.2
done
[ "$leader" != 0 ] || { echo "cluster-reads: no leader within 30 s" >&2; exit 1; }
follower=$((leader % 3 + 1))
redis-benchmark -p $((17200 + leader)) -t set -n 20000 -r 10000 -c 20 -q >/dev/null 2>&1
for round in 1 2; do
  for member in "$leader" "$follower"; do
    label=$([ "$member" = "$leader" ] && echo leader || echo follower)
    line=$(redis-benchmark -p $((17200 + member)) -t get -n "$requests" -r 10000 -c "$clients" -q 2>/dev/null | grep -o 'GET: [0-9.]* requests per second.*')
    echo "round $round  $label m$member: $line"
  done
done
redis-cli -p $((17200 + leader)) raft.info | grep -E '^read_confirmations' | tr -d '\r'
