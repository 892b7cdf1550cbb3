#!/usr/bin/env bash
# The benchmark report (issue #18): one command, one sitting, one machine. Builds Release, then runs
#   - embedded (kiwi-bench embedded): a single command awaited, batches of 10/50/100/500, 10 s sustained SETs,
#     latency percentiles, and the adaptor overhead (RocksDB written directly vs SET through the writer);
#   - server (kiwi-bench server, our load generator with HdrHistogram percentiles): Kiwi.Fast, redis-server and
#     Garnet at the same durabilities side by side (none, fsync every second, fsync before the reply), SET GET
#     HSET LPUSH ZADD unpipelined and -P 16 over 50 connections; on Kiwi also one connection unpipelined and at
#     depths 10/50/100/500, and a 10 s run of the five-command mix;
#   - a 3-node Kiwi cluster (Raft) row;
#   - redis-benchmark on the same servers (SET, GET, -P 1 and 16), to cross-check our load generator;
# then kiwi-report writes benches/results/<date>.md and its PNG charts (and <date>.jsonl, the raw lines).
#
# Usage: benches/report.sh [--quick] [--no-build] [--no-install] [--date YYYY-MM-DD] [--out DIR]
#   --quick       short runs, SET and GET only, everysec only, no cluster (about 4 minutes; to try the script)
#   --no-build    use the Release build already there
#   --no-install  do not install missing tools (redis-server and redis-tools from apt, garnet-server from NuGet)
#   --date D      name of the report (default: today, UTC)
#   --out DIR     where the report goes (default benches/results; --quick: /tmp/kiwi-report-quick)
# Servers listen on 127.0.0.1 on free high ports, with their data in a temp dir; all stop on exit.
set -euo pipefail

quick=0
build=1
install=1
date_name="$(date -u +%Y-%m-%d)"
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --no-build) build=0; shift ;;
        --no-install) install=0; shift ;;
        --date) date_name="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "report: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script=report
# shellcheck source=benches/lib.sh
source "$repo/benches/lib.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiwi-report.XXXXXX")"
[[ -n "$out" ]] || out="$([[ $quick -eq 1 ]] && echo "${TMPDIR:-/tmp}/kiwi-report-quick" || echo "$repo/benches/results")"
results="$work/results.jsonl"
started=$SECONDS
server_pids=()
child_pid=""

# --- durations ----------------------------------------------------------------------------------------------
if [[ $quick -eq 1 ]]; then
    seconds=1.5; warmup=0.5; sustained=3; commands=(SET GET)
else
    seconds=3; warmup=1; sustained=10; commands=(SET GET HSET LPUSH ZADD)
fi
connections=50
keyspace=100000
value=32

# --- cleanup ------------------------------------------------------------------------------------------------
stop_servers() {
    local pid
    for pid in "${server_pids[@]}"; do stop_pid "$pid"; done
    server_pids=()
}

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    [[ -z "$child_pid" ]] || stop_pid "$child_pid"
    stop_servers
    if [[ $code -ne 0 && -s "${results:-}" ]]; then
        # The lines measured before the failure are worth keeping (a full run takes 25 minutes).
        cp "$results" "${TMPDIR:-/tmp}/kiwi-report-failed.jsonl"
        echo "report: the results so far are in ${TMPDIR:-/tmp}/kiwi-report-failed.jsonl" >&2
    fi
    rm -rf "$work"
    exit "$code"
}
trap cleanup EXIT
trap 'echo "report: failed at line $LINENO" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Runs a command in the background and waits for it, so a signal reaches the trap at once.
run() {
    "$@" &
    child_pid=$!
    wait "$child_pid"
    local code=$?
    child_pid=""
    return "$code"
}

meta() { printf '{"kind":"meta","name":"%s","value":"%s"}\n' "$1" "${2//\"/}" >>"$results"; }

# --- tools --------------------------------------------------------------------------------------------------
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
    [[ $install -eq 1 ]] || { echo "report: redis-server/redis-benchmark missing (apt-get install -y redis-server redis-tools)" >&2; exit 1; }
    log "installing redis-server and redis-tools (apt)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
fi
garnet=1
if ! command -v garnet-server >/dev/null; then
    if [[ $install -eq 1 ]]; then
        log "installing garnet-server (dotnet tool, NuGet)"
        dotnet tool install --global garnet-server >"$work/garnet-install.log" 2>&1 || { garnet=0; log "garnet-server could not be installed: $(tail -2 "$work/garnet-install.log")"; }
    else
        garnet=0
    fi
fi
command -v python3 >/dev/null || { echo "report: python3 is needed to pick free ports" >&2; exit 1; }

# --- build --------------------------------------------------------------------------------------------------
bin_server="$repo/src/Kiwi.Server/bin/Release/net10.0/kiwi-server"
bin_bench="$repo/benches/Kiwi.Bench/bin/Release/net10.0/kiwi-bench"
bin_report="$repo/benches/Kiwi.Report/bin/Release/net10.0/kiwi-report"
if [[ $build -eq 1 ]]; then
    for project in src/Kiwi.Server/Kiwi.Server.csproj benches/Kiwi.Bench/Kiwi.Bench.csproj benches/Kiwi.Report/Kiwi.Report.csproj; do
        log "building $project (Release)"
        dotnet build -c Release "$repo/$project" -nologo -v q >"$work/build.log" 2>&1 \
            || { tail -30 "$work/build.log" >&2; echo "report: build of $project failed" >&2; exit 1; }
    done
fi
for b in "$bin_server" "$bin_bench" "$bin_report"; do
    [[ -x "$b" ]] || { echo "report: $b not built (drop --no-build)" >&2; exit 1; }
done

version="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
git -C "$repo" diff --quiet HEAD 2>/dev/null || version+="+dirty"
: >"$results"
meta date "$date_name"
meta mode "$([[ $quick -eq 1 ]] && echo quick || echo full)"
meta started "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta machine "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
meta kiwi "Kiwi.Fast $version"
meta redis "$(redis-server --version | awk '{ print $3 }' | sed 's/v=//')"
meta dotnet "$(dotnet --version)"
[[ $garnet -eq 0 ]] || meta garnet "$(dotnet tool list --global 2>/dev/null | awk '$1 == "garnet-server" { print $2 }')"
meta shape "$connections connections, $keyspace keys, $value-byte values, ${seconds} s per run after ${warmup} s warm-up"

bench() { # kiwi-bench arguments...; appends its JSON line to the results
    run "$bin_bench" "$@" --json >>"$results" 2>>"$work/bench.err" \
        || { echo "report: kiwi-bench $* failed: $(tail -3 "$work/bench.err")" >&2; exit 1; }
}

# --- embedded -----------------------------------------------------------------------------------------------
log "embedded: single, batches, sustained ${sustained} s, adaptor overhead"
bench embedded --seconds "$sustained" --warmup "$warmup" --dir "$work/embedded" --tag system=kiwi-embedded --tag durability=everysec

# --- servers ------------------------------------------------------------------------------------------------
port=0
start_server() { # system durability
    local system="$1" durability="$2" dir="$work/$1-$2" pid
    port="$(free_port)"
    mkdir -p "$dir"
    case "$system" in
        kiwi)
            local fsync="$durability"; [[ "$durability" != none ]] || fsync=no
            "$bin_server" --port "$port" --bind 127.0.0.1 --dir "$dir" --appendfsync "$fsync" >"$dir.log" 2>&1 & ;;
        redis)
            local persistence=(--appendonly no)
            [[ "$durability" == none ]] || persistence=(--appendonly yes --appendfsync "$durability")
            redis-server --port "$port" --bind 127.0.0.1 --save '' "${persistence[@]}" --dir "$dir" \
                --daemonize no --logfile "$dir.log" >/dev/null 2>&1 & ;;
        garnet)
            # --aof alone issues a commit per operation without waiting for it; a commit every 1000 ms is
            # Redis' everysec, and waiting for the commit before the reply is its always.
            local persistence=()
            case "$durability" in
                everysec) persistence=(--aof --aof-commit-freq 1000) ;;
                always) persistence=(--aof --aof-commit-wait) ;;
            esac
            # In memory like redis-server (no --storage-tier); the AOF goes under the checkpoint directory.
            (cd "$dir" && exec garnet-server --port "$port" --bind 127.0.0.1 --device-type RandomAccess --checkpointdir "$dir" \
                --memory 2g --index 64m "${persistence[@]}") >"$dir.log" 2>&1 & ;;
    esac
    pid=$!
    server_pids+=("$pid")
    wait_ping "$system ($durability)" "$port" "$pid" "$dir.log" 90
    # Not recorded: a fresh .NET server (Kiwi, Garnet) compiles its hot paths in its first seconds.
    run "$bin_bench" server --port "$port" --commands SET,GET,HSET,LPUSH,ZADD --clients "$connections" --pipeline 4 \
        --seconds 2 --warmup 0 --keys "$keyspace" --value "$value" >/dev/null 2>>"$work/bench.err" || true
}

rb_line() { # system durability command pipeline ops/s: redis-benchmark on $port for about $seconds s, as one JSON line
    local requests
    requests="$(awk -v r="${5:-0}" -v s="$seconds" 'BEGIN { n = int(r * s); print (n < 10000 ? 10000 : n) }')"
    local args=(-p "$port" -t "${3,,}" -n "$requests" -r "$keyspace" -d "$value" -c "$connections" --csv)
    [[ "$4" -eq 1 ]] || args+=(-P "$4")
    run redis-benchmark "${args[@]}" >"$work/rb.csv" 2>"$work/rb.err" </dev/null \
        || { echo "report: redis-benchmark failed: $(tail -c 300 "$work/rb.err")" >&2; exit 1; }
    tr -d '\r"' <"$work/rb.csv" | awk -F, -v s="$1" -v d="$2" -v c="$3" -v p="$4" -v n="$connections" 'NR == 2 {
        printf "{\"kind\":\"redis-benchmark\",\"system\":\"%s\",\"durability\":\"%s\",\"commands\":\"%s\",\"connections\":%d,\"pipeline\":%d,\"ops_per_sec\":%s,\"p50_us\":%.0f,\"p95_us\":%.0f,\"p99_us\":%.0f}\n", s, d, c, n, p, $2, $5 * 1000, $6 * 1000, $7 * 1000
    }' >>"$results"
}

systems=(kiwi redis)
[[ $garnet -eq 0 ]] || systems+=(garnet)
durabilities=(none everysec always)
[[ $quick -eq 0 ]] || durabilities=(everysec)
declare -A ports
matrix() { # system durability command pipeline [group]
    bench server --port "${ports[$1]}" --commands "$3" --clients "$connections" --pipeline "$4" --keys "$keyspace" \
        --value "$value" --seconds "$seconds" --warmup "$warmup" --tag "system=$1" --tag "durability=$2" --tag "group=${5:-matrix}"
}
last_ops() { tail -1 "$results" | grep -o '"ops_per_sec":[0-9.]*' | cut -d: -f2; }

# The servers of one durability run side by side (idle but one), and each cell of the matrix runs on each of
# them back to back, then again in the reverse order: the machine's load drifts, and this keeps a ratio's two
# sides seconds apart. The report takes the better of the two rounds of each.
for durability in "${durabilities[@]}"; do
    for system in "${systems[@]}"; do
        start_server "$system" "$durability"
        ports[$system]="$port"
    done
    for pipeline in 1 16; do
        for cmd in "${commands[@]}"; do
            log "$durability: $cmd -P $pipeline on ${systems[*]}, twice"
            for system in "${systems[@]}"; do matrix "$system" "$durability" "$cmd" "$pipeline"; done
            for ((i = ${#systems[@]} - 1; i >= 0; i--)); do matrix "${systems[$i]}" "$durability" "$cmd" "$pipeline"; done
        done
    done
    if [[ "$durability" == everysec ]]; then
        # The cross-check: our generator, then redis-benchmark sized to run as long, three times alternating on
        # the same server; the report compares the medians.
        for system in kiwi redis; do
            port="${ports[$system]}"
            for pipeline in 1 16; do
                for cmd in SET GET; do
                    log "$system: cross-check $cmd -P $pipeline"
                    for _ in 1 2 3; do
                        matrix "$system" "$durability" "$cmd" "$pipeline" crosscheck
                        rb_line "$system" "$durability" "$cmd" "$pipeline" "$(last_ops)"
                    done
                done
            done
        done
        log "kiwi: one connection, depth 1/10/50/100/500"
        for depth in 1 10 50 100 500; do
            bench server --port "${ports[kiwi]}" --commands SET --clients 1 --pipeline "$depth" --keys "$keyspace" \
                --value "$value" --seconds "$seconds" --warmup "$warmup" --tag system=kiwi --tag durability=everysec --tag group=batch
        done
        bench server --port "${ports[kiwi]}" --commands GET --clients 1 --pipeline 1 --keys "$keyspace" \
            --value "$value" --seconds "$seconds" --warmup "$warmup" --tag system=kiwi --tag durability=everysec --tag group=batch
        log "kiwi: ${sustained} s sustained, five-command mix"
        bench server --port "${ports[kiwi]}" --commands SET,GET,HSET,LPUSH,ZADD --clients "$connections" --pipeline 1 \
            --keys "$keyspace" --value "$value" --seconds "$sustained" --warmup "$warmup" --tag system=kiwi --tag durability=everysec --tag group=sustained
    fi
    stop_servers
done

# --- cluster ------------------------------------------------------------------------------------------------
if [[ $quick -eq 0 ]]; then
    log "kiwi cluster: 3 nodes"
    raft_ports=() resp_ports=() members=""
    for i in 0 1 2; do
        raft_ports+=("$(free_port)")
        resp_ports+=("$(free_port)")
        members+="${members:+,}127.0.0.1:${raft_ports[$i]}"
    done
    for i in 0 1 2; do
        mkdir -p "$work/cluster-$i"
        "$bin_server" --port "${resp_ports[$i]}" --bind 127.0.0.1 --dir "$work/cluster-$i" --raft-port "${raft_ports[$i]}" \
            --raft-members "$members" >"$work/cluster-$i.log" 2>&1 &
        server_pids+=($!)
    done
    leader=""
    for _ in $(seq 1 300); do
        for i in 0 1 2; do
            role="$( (timeout 1 redis-cli -p "${resp_ports[$i]}" INFO raft 2>/dev/null || true) | tr -d '\r' | awk -F: '$1 == "role" { print $2 }')"
            [[ "$role" != leader ]] || leader="${resp_ports[$i]}"
        done
        [[ -z "$leader" ]] || break
        sleep 0.2
    done
    if [[ -z "$leader" ]]; then
        log "kiwi cluster: no leader within 60 s; no cluster row"
    else
        port="$leader"
        run "$bin_bench" server --port "$port" --commands SET,GET --clients "$connections" --pipeline 4 \
            --seconds 2 --warmup 0 --keys "$keyspace" --value "$value" >/dev/null 2>>"$work/bench.err" || true
        for pipeline in 1 16; do
            for cmd in SET GET; do
                log "kiwi cluster: $cmd -P $pipeline on the leader"
                bench server --port "$port" --commands "$cmd" --clients "$connections" --pipeline "$pipeline" \
                    --keys "$keyspace" --value "$value" --seconds "$seconds" --warmup "$warmup" \
                    --tag system=kiwi-cluster --tag durability=everysec --tag group=cluster
            done
        done
    fi
    stop_servers
fi

# --- report -------------------------------------------------------------------------------------------------
meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
meta runtime_seconds "$((SECONDS - started))"
mkdir -p "$out"
cp "$results" "$out/$date_name.jsonl"
"$bin_report" --input "$results" --out "$out" --name "$date_name"
log "report: $out/$date_name.md ($((SECONDS - started)) s)"
