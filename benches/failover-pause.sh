#!/usr/bin/env bash
# usage: benches/failover-pause.sh ROUNDS [extra server args...]  — SIGSTOP the leader, time until a write is acknowledged by another node.
set -u
ROUNDS=${1:-5}; shift
BIN="$(cd "$(dirname "$0")/.." && pwd)/src/Kiwi.Server/bin/Release/net10.0/kiwi-server"
WORK=$(mktemp -d)
MEM=127.0.0.1:17101,127.0.0.1:17102,127.0.0.1:17103
pids=()
start() { i=$1; shift; rm -rf $WORK/n$i; mkdir -p $WORK/n$i; $BIN --port $((17200+i)) --dir $WORK/n$i --raft-port $((17100+i)) --raft-members $MEM "$@" >$WORK/n$i.log 2>&1 & pids[$i]=$!; }
for i in 1 2 3; do start $i "$@"; done
leader() { for i in 1 2 3; do [ "${paused:-0}" = "$i" ] && continue; r=$(timeout 1 redis-cli -p $((17200+i)) info raft 2>/dev/null | grep -E '^role:' | tr -d '\r'); [ "$r" = "role:leader" ] && { echo $i; return; }; done; echo 0; }
for r in $(seq 1 $ROUNDS); do
  paused=0
  for t in $(seq 1 200); do L=$(leader); [ "$L" != 0 ] && break; sleep 0.1; done
  # warm: a write through the leader
  redis-cli -p $((17200+L)) set warm $r >/dev/null
  t0=$(date +%s%N); kill -STOP ${pids[$L]}; paused=$L
  ok=0
  while [ $(( ($(date +%s%N)-t0)/1000000 )) -lt 20000 ]; do
    for i in 1 2 3; do [ $i = $L ] && continue
      out=$(timeout 0.5 redis-cli -p $((17200+i)) set k$r v 2>/dev/null)
      [ "$out" = "OK" ] && { ok=1; break; }
    done
    [ $ok = 1 ] && break
  done
  t1=$(date +%s%N)
  echo "round $r: leader n$L paused; write acknowledged after $(( (t1-t0)/1000000 )) ms (ok=$ok)"
  kill -CONT ${pids[$L]}; paused=0
  sleep 2
  # term stability check after resume
done
for i in 1 2 3; do kill -9 ${pids[$i]} 2>/dev/null; done
rm -rf "$WORK"
