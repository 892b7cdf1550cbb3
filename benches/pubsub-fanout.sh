#!/usr/bin/env bash
# PUBLISH fan-out: 1 publisher, N subscribers (default 100) on one channel, kiwi-server vs redis-server in one run.
# Reports publishes/s and deliveries/s from the first PUBLISH until every subscriber holds every message.
# Usage: benches/pubsub-fanout.sh [messages] [subscribers] [payload-bytes]
# Needs: redis-server on PATH, a Release build (dotnet build -c Release Kiwi.Fast.sln), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-20000}
SUBSCRIBERS=${2:-100}
PAYLOAD=${3:-16}
REDIS_PORT=${REDIS_PORT:-6629}
KIWI_PORT=${KIWI_PORT:-7629}
DIR=$(mktemp -d /tmp/kiwi-fanout.XXXXXX)

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize no > "$DIR/redis.log" 2>&1 &
REDIS_PID=$!
src/Kiwi.Server/bin/Release/net10.0/kiwi-server --port "$KIWI_PORT" --dir "$DIR/data" > "$DIR/kiwi.log" 2>&1 &
KIWI_PID=$!
trap 'kill $REDIS_PID $KIWI_PID 2>/dev/null; wait $REDIS_PID $KIWI_PID 2>/dev/null; rm -rf "$DIR"' EXIT

python3 - "$MESSAGES" "$SUBSCRIBERS" "$PAYLOAD" "$REDIS_PORT" "$KIWI_PORT" <<'PY'
import selectors, socket, sys, time
messages, subscribers, payload = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ports = {"redis-server": int(sys.argv[4]), "kiwi-server": int(sys.argv[5])}

def connect(port):
    deadline = time.time() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)

def command(*args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)

def run(name, port):
    channel = b"fanout"
    body = b"x" * payload
    frame = len(b"*3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(channel), channel, len(body), body))
    subs = []
    for _ in range(subscribers):
        s = connect(port)
        s.sendall(command(b"SUBSCRIBE", channel))
        reply = b""
        while not reply.endswith(b":1\r\n"):
            reply += s.recv(4096)
        s.setblocking(False)
        subs.append(s)
    publisher = connect(port)
    want = frame * messages
    got = {s: 0 for s in subs}
    sel = selectors.DefaultSelector()
    for s in subs:
        sel.register(s, selectors.EVENT_READ)
    batch = command(b"PUBLISH", channel, body) * 100
    start = time.perf_counter()
    sent = 0
    pending_replies = 0
    publisher.setblocking(False)
    out = b""
    done = 0
    while done < subscribers:
        if sent < messages and len(out) < 1 << 16:
            out += batch
            sent += 100
            pending_replies += 100
        if out:
            try:
                n = publisher.send(out)
                out = out[n:]
            except BlockingIOError:
                pass
        try:
            while publisher.recv(1 << 20):
                pass
        except BlockingIOError:
            pass
        for key, _ in sel.select(timeout=0 if (out or sent < messages) else 0.05):
            s = key.fileobj
            try:
                data = s.recv(1 << 20)
            except BlockingIOError:
                continue
            got[s] += len(data)
            if got[s] >= want:
                sel.unregister(s)
                done += 1
    elapsed = time.perf_counter() - start
    for s in subs:
        s.close()
    publisher.close()
    print(f"{name:13s} {messages} messages x {subscribers} subscribers ({payload} B): {elapsed:6.2f} s, "
          f"{messages / elapsed:10.0f} publishes/s, {messages * subscribers / elapsed:12.0f} deliveries/s")
    return messages / elapsed

rates = {name: run(name, port) for name, port in ports.items()}
print(f"kiwi/redis: {rates['kiwi-server'] / rates['redis-server']:.2f}x")
PY
