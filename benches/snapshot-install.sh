#!/usr/bin/env bash
# usage: benches/snapshot-install.sh [GB] [extra server args...]
# A 3-member cluster of kiwi-server processes on loopback; one member is stopped while GB gigabytes of
# incompressible values (1 KiB each) are written through the leader; it then restarts and must catch up through a
# snapshot far larger than one Raft request can carry. Prints the load time, the catch-up time and the member's
# snapshot counters. Needs redis-cli and python3.
set -u
GB=${1:-1}; shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/src/Kiwi.Server/bin/Release/net10.0/kiwi-server"
WORK=$(mktemp -d)
MEM=127.0.0.1:17301,127.0.0.1:17302,127.0.0.1:17303
declare -a pids
start() { local i=$1; shift; mkdir -p "$WORK/n$i"; "$BIN" --port $((17400+i)) --dir "$WORK/n$i" --raft-port $((17300+i)) --raft-members $MEM --raft-snapshot-every 2000 "$@" >>"$WORK/n$i.log" 2>&1 & pids[$i]=$!; }
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
for i in 1 2 3; do start $i "$@"; done
role() { timeout 2 redis-cli -p $((17400+$1)) info raft 2>/dev/null | tr -d '\r' | sed -n 's/^role://p'; }
leader=0
for t in $(seq 1 300); do for i in 1 2 3; do [ "$(role $i)" = leader ] && leader=$i; done; [ $leader != 0 ] && break; sleep 0.1; done
lag=$(( leader % 3 + 1 ))
kill -9 "${pids[$lag]}"; rm -rf "$WORK/n$lag"
keys=$(( GB * 1024 * 1024 ))
t0=$(date +%s)
python3 - "$keys" <<'PY' | redis-cli -p $((17400+leader)) --pipe 2>&1 | grep -c TRYAGAIN | sed "s/^/writes answered TRYAGAIN: /"
import os, sys
n = int(sys.argv[1]); out = sys.stdout.buffer
for i in range(n):
    k = b"key:%d" % i; v = os.urandom(1024)
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1024\r\n%s\r\n" % (len(k), k, v))
PY
t1=$(date +%s)
echo "loaded $keys keys of 1 KiB in $((t1-t0)) s through member $leader; data dir $(du -sh "$WORK/n$leader" | cut -f1)"
timeout 5 redis-cli -p $((17400+leader)) set last one >/dev/null
start $lag "$@"
t2=$(date +%s%N)
until [ "$(timeout 2 redis-cli -p $((17400+lag)) --raw get last 2>/dev/null)" = one ]; do
  sleep 0.2
  if [ $(( ($(date +%s%N) - t2) / 1000000000 )) -gt 1800 ]; then echo "member $lag did not catch up in 30 min"; exit 1; fi
done
t3=$(date +%s%N)
echo "member $lag caught up in $(( (t3-t2)/1000000 )) ms; $(timeout 2 redis-cli -p $((17400+lag)) info raft | tr -d '\r' | grep -E 'snapshot' | tr '\n' ' ')"
echo "keys on member $lag: $(timeout 5 redis-cli -p $((17400+lag)) dbsize)"
