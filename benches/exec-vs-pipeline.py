#!/usr/bin/env python3
"""EXEC of 10 SETs vs the same 10 SETs pipelined, on one server, from the same client (issue #17).

Usage: benches/exec-vs-pipeline.py PORT [--clients 20] [--seconds 5] [--depth 8]
Each client keeps DEPTH groups in flight; a group is either MULTI + 10 SET + EXEC, or 10 SETs. Prints SETs/s for
both and their ratio. Run it against kiwi-server and redis-server (with the same durability) in one sitting.
"""
import argparse, asyncio, time

def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

def group(client, n, tx):
    sets = b"".join(command("SET", f"evp:{client}:{i}", "v" * 32) for i in range(n))
    return (command("MULTI") + sets + command("EXEC"), n + 2) if tx else (sets, n)

async def read_replies(reader, count, buf):
    # Counts top-level RESP replies (simple, error, integer, bulk, and EXEC's array of simple replies).
    done = 0
    while done < count:
        while True:
            if not buf[0]:
                break
            line_end = buf[0].find(b"\r\n")
            if line_end < 0:
                break
            t = buf[0][:1]
            if t == b"*":
                n = int(buf[0][1:line_end])
                # EXEC's array of n one-line replies (+OK)
                pos = line_end + 2
                ok = True
                for _ in range(max(n, 0)):
                    e = buf[0].find(b"\r\n", pos)
                    if e < 0:
                        ok = False
                        break
                    pos = e + 2
                if not ok:
                    break
                buf[0] = buf[0][pos:]
            elif t == b"$":
                n = int(buf[0][1:line_end])
                need = line_end + 2 + (n + 2 if n >= 0 else 0)
                if len(buf[0]) < need:
                    break
                buf[0] = buf[0][need:]
            else:
                buf[0] = buf[0][line_end + 2:]
            done += 1
            if done == count:
                return
        data = await reader.read(1 << 16)
        if not data:
            raise ConnectionError("closed")
        buf[0] += data

async def run(port, clients, seconds, depth, tx, n=10):
    stop = time.perf_counter() + seconds
    total = [0]
    async def one(c):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        payload, replies = group(c, n, tx)
        buf = [b""]
        while time.perf_counter() < stop:
            writer.write(payload * depth)
            await writer.drain()
            await read_replies(reader, replies * depth, buf)
            total[0] += n * depth
        writer.close()
    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(clients)))
    return total[0] / (time.perf_counter() - start)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--depth", type=int, default=8)
    a = p.parse_args()
    pipelined = asyncio.run(run(a.port, a.clients, a.seconds, a.depth, tx=False))
    exec_ = asyncio.run(run(a.port, a.clients, a.seconds, a.depth, tx=True))
    print(f"port {a.port}: 10 pipelined SETs {pipelined:,.0f} SET/s; EXEC of 10 SETs {exec_:,.0f} SET/s; EXEC/pipelined {exec_/pipelined:.2f}")

if __name__ == "__main__":
    main()
