#!/usr/bin/env python3
"""SORT/SORT_RO fuzz against a real Redis: usage sort-fuzz.py OURS_PORT REDIS_PORT SEED OPS (FLUSHALLs both).

Lists, sets and a sorted set of numbers, odd numbers ("", " 3", "3 ", inf, 1e3) and words; weight strings w_* and
hashes h_*; SORT with random BY/GET/LIMIT/ASC/DESC/ALPHA/STORE (and bad options). Skips what Redis leaves undefined:
a set's order when nothing is sorted (its hash order) and ties of ALPHA BY values (its qsort is not stable). Prints
each mismatch, and a summary line.
"""
import random, socket, sys
def conn(port):
    s = socket.create_connection(("127.0.0.1", port)); return s.makefile("rwb")
def send(f, args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    f.write(out); f.flush(); return read(f)
def read(f):
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t in (b"+", b"-", b":"): return (t, rest)
    if t == b"$":
        n = int(rest); 
        if n < 0: return None
        d = f.read(n + 2)[:-2]; return d
    if t == b"*":
        n = int(rest)
        if n < 0: return None
        return [read(f) for _ in range(n)]
    raise Exception(line)
ours_port, redis_port = int(sys.argv[1]), int(sys.argv[2])
seed = int(sys.argv[3]); ops = int(sys.argv[4])
r = random.Random(seed)
a, b = conn(ours_port), conn(redis_port)
for f in (a, b): send(f, ["FLUSHALL"])
def val():
    k = r.random()
    if k < 0.5: return str(r.randint(-5, 20))
    if k < 0.6: return r.choice(["1.5", "-0.5", "1e3", "01", "inf", "-inf", "", " 3", "3 "])
    return r.choice(["a", "b", "B", "ab", "x", "zz", "A1"])
keys = ["l1", "l2", "s1", "s2", "z1", "str", "h", "dst"]
diffs = 0
for i in range(ops):
    k = r.random()
    if k < 0.25:
        kind = r.choice(["rpush", "sadd", "zadd", "mset", "hset", "del", "set"])
        if kind == "rpush": cmd = ["RPUSH", r.choice(["l1", "l2"])] + [val() for _ in range(r.randint(1, 5))]
        elif kind == "sadd": cmd = ["SADD", r.choice(["s1", "s2"])] + [val() for _ in range(r.randint(1, 5))]
        elif kind == "zadd":
            cmd = ["ZADD", "z1"]
            for _ in range(r.randint(1, 4)): cmd += [str(r.randint(-3, 3)), val()]
        elif kind == "mset":
            cmd = ["MSET"]
            for _ in range(r.randint(1, 4)): cmd += ["w_" + val(), val()]
        elif kind == "hset":
            cmd = ["HSET", "h_" + val()] + [r.choice(["f", "g"]), val()]
        elif kind == "set": cmd = ["SET", r.choice(["str", "dst"]), "v"]
        else: cmd = ["DEL", r.choice(keys)]
    else:
        src = r.choice(keys[:6] + ["missing"])
        ro = r.random() < 0.2
        cmd = ["SORT_RO" if ro else "SORT", src]
        for _ in range(r.randint(0, 4)):
            o = r.random()
            if o < 0.2: cmd += [r.choice(["BY"]), r.choice(["w_*", "h_*->f", "h_*->g", "nosort", "w_*->", "#"])]
            elif o < 0.4: cmd += ["GET", r.choice(["#", "w_*", "h_*->f", "nostar", "h_*->g"])]
            elif o < 0.55: cmd += ["LIMIT", str(r.randint(-2, 6)), str(r.randint(-2, 6))]
            elif o < 0.7: cmd += [r.choice(["ASC", "DESC"])]
            elif o < 0.85: cmd += ["ALPHA"]
            elif o < 0.9: cmd += [r.choice(["LIMIT", "BOGUS", "GET"])]
            else: cmd += ["STORE", r.choice(["dst", "l2"])]
    if cmd[0].startswith("SORT"):
        bys = [cmd[j + 1] for j in range(2, len(cmd) - 1) if cmd[j] == "BY"]
        nosort = any("*" not in p for p in bys)
        # undefined orders in Redis: a set's hash order, and ties of ALPHA BY values (its qsort is not stable)
        if (nosort and cmd[1].startswith("s") and "STORE" not in cmd) or ("ALPHA" in cmd and bys and not nosort):
            continue
    x, y = send(a, cmd), send(b, cmd)
    # a set sorted by a constant without STORE: Redis's order is its hash order
    if x != y and cmd[1].startswith("s") and "nosort" in cmd and "STORE" not in cmd and isinstance(x, list) and isinstance(y, list) and "LIMIT" not in cmd:
        x, y = sorted(map(repr, x)), sorted(map(repr, y))
    if x != y and "ALPHA" in cmd and "BY" in cmd and isinstance(x, list) and isinstance(y, list) and sorted(map(repr, x)) == sorted(map(repr, y)):
        x = y  # equal ALPHA BY values: Redis's qsort leaves their order undefined
    if x != y:
        diffs += 1
        if diffs <= 8: print("DIFF", cmd, "\n ours ", x, "\n redis", y)
    if i % 50 == 0:
        for kk in ["dst", "l2"]:
            if send(a, ["LRANGE", kk, "0", "-1"]) != send(b, ["LRANGE", kk, "0", "-1"]) and send(a, ["TYPE", kk]) == (b"+", b"list"):
                diffs += 1; print("STATE DIFF", kk)
print("seed", seed, "diffs", diffs)
