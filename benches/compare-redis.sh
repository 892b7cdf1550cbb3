#!/usr/bin/env bash
# Compares Kiwi.Fast with redis-server using redis-benchmark, in one run, and prints ops/s and Kiwi/Redis ratios
# plus Kiwi's bytes allocated per command (INFO stats total_allocated_bytes / total_commands_processed).
#
# Needs (installs nothing): dotnet SDK, redis-server, redis-benchmark, redis-cli
#   (apt-get install -y redis-tools redis-server), and python3 or /dev/tcp-capable bash to find free ports.
#
# Usage: benches/compare-redis.sh [-n REQUESTS] [-c CLIENTS] [-t TESTS] [--aof] [--kiwi-only] [--no-build]
#   -n N          requests per test (default 500000)
#   -c N          parallel connections (default 50)
#   -t LIST       redis-benchmark tests, comma separated (default set,get; e.g. hset,sadd)
#   --aof         run redis-server with the same durability as Kiwi's default (appendonly yes, appendfsync
#                 everysec) instead of no persistence
#   --kiwi-only   do not start redis-server; print Kiwi's numbers only
#   --no-build    use the already built Release server
# Each test (each of -t, then each with -P 16) is one redis-benchmark run against Kiwi, then one against Redis.
# "CPU/op" is the server process's user+system CPU (all threads, from /proc) per request during its run.
# Environment: DOTNET_* variables are passed to the Kiwi process (e.g. DOTNET_gcServer=1); KIWI_ARGS adds
# server flags (e.g. KIWI_ARGS="--appendfsync no").
set -euo pipefail

requests=500000
clients=50
keyspace=100000
datasize=32
kiwi_only=0
build=1
test_list="set,get"
aof=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) requests="$2"; shift 2 ;;
        -c) clients="$2"; shift 2 ;;
        -t) test_list="$2"; shift 2 ;;
        --aof) aof=1; shift ;;
        --kiwi-only) kiwi_only=1; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare-redis: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

for tool in dotnet redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "compare-redis: '$tool' not found (apt-get install -y redis-tools redis-server)" >&2; exit 1; }
done
if [[ $kiwi_only -eq 0 ]]; then
    command -v redis-server >/dev/null || { echo "compare-redis: 'redis-server' not found (apt-get install -y redis-server), or use --kiwi-only" >&2; exit 1; }
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script=compare-redis
# shellcheck source=benches/lib.sh
source "$repo/benches/lib.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiwi-compare.XXXXXX")"
kiwi_pid=""
redis_pid=""
bench_pid=""

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    [[ -z "$bench_pid" ]] || { kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; }
    stop_pid "$kiwi_pid"
    stop_pid "$redis_pid"
    rm -rf "$work"
    exit "$code"
}
trap cleanup EXIT
trap 'echo "compare-redis: failed at line $LINENO" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

info_stat() { # port field
    redis-cli -p "$1" INFO stats | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'
}

# --- build and start ----------------------------------------------------------------------------------------
kiwi_dir="$repo/src/Kiwi.Server/bin/Release/net10.0"
if [[ $build -eq 1 ]]; then
    echo "building Kiwi.Server (Release)..." >&2
    dotnet build -c Release "$repo/src/Kiwi.Server/Kiwi.Server.csproj" -nologo -v q >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; echo "compare-redis: build failed" >&2; exit 1; }
fi
if [[ -x "$kiwi_dir/kiwi-server" ]]; then
    kiwi_cmd=("$kiwi_dir/kiwi-server")
elif [[ -f "$kiwi_dir/kiwi-server.dll" ]]; then
    kiwi_cmd=(dotnet "$kiwi_dir/kiwi-server.dll")
else
    echo "compare-redis: no built server in $kiwi_dir (drop --no-build)" >&2
    exit 1
fi

kiwi_port="$(free_port)"
mkdir -p "$work/kiwi-data"
# shellcheck disable=SC2086 # KIWI_ARGS is a list of flags
"${kiwi_cmd[@]}" --port "$kiwi_port" --dir "$work/kiwi-data" ${KIWI_ARGS:-} >"$work/kiwi.log" 2>&1 &
kiwi_pid=$!

if [[ $kiwi_only -eq 0 ]]; then
    redis_port="$(free_port)"
    while [[ "$redis_port" == "$kiwi_port" ]]; do redis_port="$(free_port)"; done
    mkdir -p "$work/redis-data"
    persistence=(--appendonly no)
    if [[ $aof -eq 1 ]]; then persistence=(--appendonly yes --appendfsync everysec); fi
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' "${persistence[@]}" --dir "$work/redis-data" \
        --daemonize no --logfile "$work/redis.log" >/dev/null 2>&1 &
    redis_pid=$!
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
wait_ping "Kiwi.Fast" "$kiwi_port" "$kiwi_pid" "$work/kiwi.log"
[[ $kiwi_only -eq 1 ]] || wait_ping "redis-server" "$redis_port" "$redis_pid" "$work/redis.log"

# --- run ----------------------------------------------------------------------------------------------------
# Each test runs as its own redis-benchmark invocation, Kiwi then Redis back to back, so both see the same
# machine load; SET runs before GET so GET finds the keys.
clk_tck="$(getconf CLK_TCK 2>/dev/null || echo 100)"
cpu_ticks() { # pid -> utime+stime in clock ticks (0 without /proc)
    if [[ -r "/proc/$1/stat" ]]; then
        awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
    else
        echo 0
    fi
}

# bench PORT TEST PIPELINE: sets rps to the requests per second (redis-benchmark --csv: "test","rps",...). It runs
# in the background and is waited for, so a signal stops the script (and the trap kills it) at once.
bench() {
    local args=(-p "$1" -t "$2" -n "$requests" -r "$keyspace" -d "$datasize" -c "$clients" --csv)
    if [[ "$3" -gt 1 ]]; then args+=(-P "$3"); fi
    redis-benchmark "${args[@]}" >"$work/bench.csv" 2>"$work/bench.err" </dev/null &
    bench_pid=$!
    wait "$bench_pid" || { echo "compare-redis: redis-benchmark failed: $(tail -c 300 "$work/bench.err")" >&2; exit 1; }
    bench_pid=""
    rps="$(tr -d '\r' <"$work/bench.csv" | awk -F, 'NR > 1 && NF > 1 { gsub(/"/, "", $2); print $2; exit }')"
}

declare -A kiwi_rps redis_rps kiwi_cpu redis_cpu kiwi_alloc
tests=()
IFS=',' read -r -a test_names <<<"${test_list^^}"
for t in "${test_names[@]}"; do tests+=("$t"); done
for t in "${test_names[@]}"; do tests+=("$t -P 16"); done
alloc_bytes=0
alloc_cmds=0
gc0_before="$(info_stat "$kiwi_port" gc_collections_gen0)"
gc1_before="$(info_stat "$kiwi_port" gc_collections_gen1)"
gc2_before="$(info_stat "$kiwi_port" gc_collections_gen2)"
for name in "${tests[@]}"; do
    read -r cmd _ pipeline <<<"$name"
    pipeline="${pipeline:-1}"
    cmd="${cmd,,}"
    line="redis-benchmark -t $cmd -n $requests -r $keyspace -d $datasize -c $clients"
    if [[ $pipeline -gt 1 ]]; then line+=" -P $pipeline"; fi

    echo "$line  (Kiwi.Fast)" >&2
    bytes0="$(info_stat "$kiwi_port" total_allocated_bytes)"
    cmds0="$(info_stat "$kiwi_port" total_commands_processed)"
    cpu0="$(cpu_ticks "$kiwi_pid")"
    bench "$kiwi_port" "$cmd" "$pipeline"
    kiwi_rps["$name"]="$rps"
    cpu1="$(cpu_ticks "$kiwi_pid")"
    bytes1="$(info_stat "$kiwi_port" total_allocated_bytes)"
    cmds1="$(info_stat "$kiwi_port" total_commands_processed)"
    alloc_bytes=$((alloc_bytes + bytes1 - bytes0))
    alloc_cmds=$((alloc_cmds + cmds1 - cmds0))
    kiwi_alloc["$name"]="$(awk -v b=$((bytes1 - bytes0)) -v c=$((cmds1 - cmds0)) 'BEGIN { printf "%.2f", (c > 0 ? b / c : 0) }')"
    kiwi_cpu["$name"]="$(awk -v t=$((cpu1 - cpu0)) -v hz="$clk_tck" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"

    if [[ $kiwi_only -eq 0 ]]; then
        echo "$line  (redis-server)" >&2
        cpu0="$(cpu_ticks "$redis_pid")"
        bench "$redis_port" "$cmd" "$pipeline"
        redis_rps["$name"]="$rps"
        cpu1="$(cpu_ticks "$redis_pid")"
        redis_cpu["$name"]="$(awk -v t=$((cpu1 - cpu0)) -v hz="$clk_tck" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
    fi
done
gc0_after="$(info_stat "$kiwi_port" gc_collections_gen0)"
gc1_after="$(info_stat "$kiwi_port" gc_collections_gen1)"
gc2_after="$(info_stat "$kiwi_port" gc_collections_gen2)"

# --- report -------------------------------------------------------------------------------------------------
declare -A target=(["SET"]=0.8 ["GET"]=0.8 ["SET -P 16"]=0.4 ["GET -P 16"]=0.6
    ["HSET"]=0.75 ["SADD"]=0.75 ["HSET -P 16"]=0.5 ["SADD -P 16"]=0.5
    ["LPUSH"]=0.7 ["RPOP"]=0.7 ["ZADD"]=0.7 ["ZPOPMIN"]=0.7 ["LRANGE_100"]=0.7
    ["LPUSH -P 16"]=0.4 ["RPOP -P 16"]=0.4 ["ZADD -P 16"]=0.4 ["ZPOPMIN -P 16"]=0.4
    ["LRANGE_100 -P 16"]=0.4)
version="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || true)"
if [[ -n "$version" ]] && ! git -C "$repo" diff --quiet HEAD 2>/dev/null; then version+="+dirty"; fi
echo
echo "redis-benchmark -t $test_list -n $requests -r $keyspace -d $datasize -c $clients [-P 16]; redis-server $([[ $aof -eq 1 ]] && echo 'appendonly yes, appendfsync everysec' || echo 'without persistence')"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo '?')); load before: $load_before"
echo "Kiwi.Fast ${version:-?}$([[ $kiwi_only -eq 1 ]] || echo "; $(redis-server --version | awk '{ print $1, $2, $3 }')")"
echo
if [[ $kiwi_only -eq 1 ]]; then
    printf '| %-10s | %12s | %12s | %8s |\n' "test" "Kiwi ops/s" "Kiwi CPU/op" "B/cmd"
    printf '|%s|%s|%s|%s|\n' "------------" "-------------:" "-------------:" "---------:"
    for name in "${tests[@]}"; do
        printf '| %-10s | %12.0f | %9s µs | %8s |\n' "$name" "${kiwi_rps[$name]:-0}" "${kiwi_cpu[$name]}" "${kiwi_alloc[$name]}"
    done
else
    printf '| %-10s | %12s | %12s | %10s | %7s | %12s | %12s |\n' \
        "test" "Kiwi ops/s" "Redis ops/s" "Kiwi/Redis" "target" "Kiwi CPU/op" "Redis CPU/op"
    printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------" "-------------:" "-------------:" "-----------:" ":-------:" "-------------:" "-------------:"
    for name in "${tests[@]}"; do
        awk -v t="$name" -v k="${kiwi_rps[$name]:-0}" -v r="${redis_rps[$name]:-0}" -v g="${target[$name]:-}" \
            -v kc="${kiwi_cpu[$name]}" -v rc="${redis_cpu[$name]}" 'BEGIN {
            ratio = (r > 0 ? k / r : 0)
            printf "| %-10s | %12.0f | %12.0f | %10.2f | %-2s %-4s | %9s µs | %9s µs |\n", t, k, r, ratio, (g == "" ? "" : (ratio >= g ? "ok" : "<")), g, kc, rc
        }'
    done
fi
echo
awk -v b="$alloc_bytes" -v c="$alloc_cmds" 'BEGIN {
    printf "Kiwi allocated bytes/command: %.2f (%d bytes over %d commands, INFO stats before/after each test; target < 4)\n", (c > 0 ? b / c : 0), b, c
}'
echo "  per test (B/command): $(for name in "${tests[@]}"; do printf '%s: %s; ' "$name" "${kiwi_alloc[$name]}"; done)"
echo "Kiwi GCs during the tests: gen0 $((gc0_after - gc0_before)), gen1 $((gc1_after - gc1_before)), gen2 $((gc2_after - gc2_before))"
