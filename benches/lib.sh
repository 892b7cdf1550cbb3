# Shared by the benchmark scripts (source it; set `script` to the caller's name for messages first).
# Process and port helpers only: each script keeps its own options, trap and cleanup.

# Stops a process: TERM, up to 10 s for it to exit, then KILL. An empty pid or one already gone is fine.
stop_pid() {
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Prints a free TCP port on 127.0.0.1 (python3, else a probe with bash's /dev/tcp).
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "$script: no free port found" >&2
    return 1
}

# Waits until a server answers PING: name port pid log [seconds, default 60]. Exits the script with the last
# lines of the server's log when the process dies or the time runs out.
wait_ping() {
    local name="$1" port="$2" pid="$3" log="$4" deadline=$((SECONDS + ${5:-60}))
    while (( SECONDS < deadline )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$script: $name exited before answering PING; its log:" >&2
            tail -30 "$log" >&2
            exit 1
        fi
        [[ "$(redis-cli -p "$port" PING 2>/dev/null)" == "PONG" ]] && return 0
        sleep 0.2
    done
    echo "$script: $name did not answer PING on port $port within ${5:-60} s; its log:" >&2
    tail -30 "$log" >&2
    exit 1
}
