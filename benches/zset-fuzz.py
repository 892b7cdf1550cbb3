#!/usr/bin/env python3
"""Sorted-set fuzz against a real Redis: usage zset-fuzz.py OURS_PORT REDIS_PORT SEED OPS [v].

Wider than redis-diff.py's zset family: every ZADD option, WEIGHTS/AGGREGATE, -0, NaN products, skiplist
conversions (70-byte members), ZRANGESTORE/ZMPOP/ZINTERCARD, odd ranges. Reuses redis-diff.py's client and
comparison (from ../shared/tools). Lexicographic commands on a key Redis holds as a skiplist are not compared
(its search over members of different scores depends on its random levels); both keys are then deleted.
Prints each mismatch (with the key's recent commands when a fifth argument is given) and a summary line.
"""
import random, socket, sys
import importlib.util
import os
spec = importlib.util.spec_from_file_location("rd", os.environ.get("REDIS_DIFF", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../shared/tools/redis-diff.py")))
rd = importlib.util.module_from_spec(spec); spec.loader.exec_module(rd)
ours, theirs = rd.Conn('127.0.0.1', int(sys.argv[1])), rd.Conn('127.0.0.1', int(sys.argv[2]))
seed = int(sys.argv[3]); n = int(sys.argv[4])
r = random.Random(seed)
for c in (ours, theirs): c.send([b"FLUSHALL"])
K = [b"za", b"zb", b"zc", b"s1", b"str"]
M = [b"a", b"b", b"c", b"d", b"e", b"", b"aa", b"b\x00", b"\xff", b"x" * 70]
S = [b"1", b"2", b"-1", b"0", b"-0", b"1.5", b"inf", b"-inf", b"1e300", b"-2.5", b"3", b"0.1", b"1e-5", b"2"]
R = [b"1", b"(1", b"-inf", b"+inf", b"(2", b"0", b"(-0", b"3", b"(inf", b"-1", b"1e400", b"", b"(", b"x"]
L = [b"-", b"+", b"[a", b"(a", b"[b", b"(c", b"[", b"(", b"[aa", b"[\xff", b"x"]
I = [b"0", b"1", b"-1", b"2", b"-2", b"5", b"-100", b"100", b"x", b"9223372036854775807", b"-9223372036854775808"]
def k(): return r.choice(K[:3]) if r.random() < 0.9 else r.choice(K)
def m(): return r.choice(M)
def gen():
    t = r.randrange(30)
    if t < 6:
        opts = [o for o in [b"NX", b"XX", b"GT", b"LT", b"CH", b"INCR"] if r.random() < 0.15]
        return [b"ZADD", k()] + opts + sum(([r.choice(S), m()] for _ in range(r.randrange(1, 5))), [])
    if t == 6: return [b"ZINCRBY", k(), r.choice(S), m()]
    if t == 7: return [b"ZREM", k(), m(), m()]
    if t == 8: return [r.choice([b"ZRANK", b"ZREVRANK", b"ZSCORE"]), k(), m()]
    if t == 9: return [b"ZMSCORE", k(), m(), m()]
    if t == 10: return [b"ZCOUNT", k(), r.choice(R), r.choice(R)]
    if t == 11: return [b"ZLEXCOUNT", k(), r.choice(L), r.choice(L)]
    if t in (12, 13):
        kind = r.choice([b"", b"BYSCORE", b"BYLEX"])
        a, b = (r.choice(I), r.choice(I)) if kind == b"" else (r.choice(R), r.choice(R)) if kind == b"BYSCORE" else (r.choice(L), r.choice(L))
        opts = ([kind] if kind else []) + ([b"REV"] if r.random() < 0.4 else []) + ([b"WITHSCORES"] if r.random() < 0.4 else []) + ([b"LIMIT", r.choice(I), r.choice(I)] if r.random() < 0.4 else [])
        r.shuffle(opts)
        return [b"ZRANGE", k(), a, b] + opts
    if t == 14:
        c = r.choice([b"ZRANGEBYSCORE", b"ZREVRANGEBYSCORE"])
        return [c, k(), r.choice(R), r.choice(R)] + ([b"WITHSCORES"] if r.random() < 0.4 else []) + ([b"LIMIT", r.choice(I), r.choice(I)] if r.random() < 0.4 else [])
    if t == 15:
        c = r.choice([b"ZRANGEBYLEX", b"ZREVRANGEBYLEX"])
        return [c, k(), r.choice(L), r.choice(L)] + ([b"LIMIT", r.choice(I), r.choice(I)] if r.random() < 0.4 else [])
    if t == 16: return [b"ZREVRANGE", k(), r.choice(I), r.choice(I)] + ([b"WITHSCORES"] if r.random() < 0.4 else [])
    if t == 17: return [r.choice([b"ZPOPMIN", b"ZPOPMAX"]), k()] + ([r.choice(I)] if r.random() < 0.5 else [])
    if t == 18: return [b"ZMPOP", r.choice([b"1", b"2", b"3", b"0", b"x"]), k(), k()] + [r.choice([b"MIN", b"MAX", b"min", b"X"])] + ([b"COUNT", r.choice(I)] if r.random() < 0.5 else [])
    if t == 19: return [r.choice([b"ZREMRANGEBYSCORE"]), k(), r.choice(R), r.choice(R)]
    if t == 20: return [b"ZREMRANGEBYRANK", k(), r.choice(I), r.choice(I)]
    if t == 21: return [b"ZREMRANGEBYLEX", k(), r.choice(L), r.choice(L)]
    if t in (22, 23):
        c = r.choice([b"ZUNION", b"ZINTER", b"ZDIFF", b"ZUNIONSTORE", b"ZINTERSTORE", b"ZDIFFSTORE", b"ZINTERCARD"])
        nk = r.choice([1, 2, 2, 3])
        args = [c] + ([k()] if c.endswith(b"STORE") else []) + [str(nk).encode() if r.random() < 0.95 else r.choice([b"0", b"x", b"9"])] + [k() for _ in range(nk)]
        if r.random() < 0.4: args += [b"WEIGHTS"] + [r.choice(S + [b"x"]) for _ in range(nk)]
        if r.random() < 0.4: args += [b"AGGREGATE", r.choice([b"SUM", b"MIN", b"MAX", b"avg"])]
        if r.random() < 0.3: args += [b"WITHSCORES"]
        if r.random() < 0.2: args += [b"LIMIT", r.choice(I)]
        return args
    if t == 24:
        kind = r.choice([b"", b"BYSCORE", b"BYLEX"])
        a, b = (r.choice(I), r.choice(I)) if kind == b"" else (r.choice(R), r.choice(R)) if kind == b"BYSCORE" else (r.choice(L), r.choice(L))
        return [b"ZRANGESTORE", k(), k(), a, b] + ([kind] if kind else []) + ([b"REV"] if r.random() < 0.4 else []) + ([b"LIMIT", r.choice(I), r.choice(I)] if r.random() < 0.3 else [])
    if t == 25: return [b"ZCARD", k()]
    if t == 26: return [r.choice([b"SADD"]), b"s1", m()] if r.random() < 0.5 else [b"SET", b"str", b"v"]
    if t == 27: return [b"OBJECT", b"ENCODING", k()]
    if t == 28: return [b"ZRANDMEMBER", k()] + ([r.choice(I)] if r.random() < 0.6 else []) + ([b"WITHSCORES"] if r.random() < 0.3 else [])
    return [b"ZSCAN", k(), b"0"]
mism = 0
hist = []
for i in range(n):
    cmd = gen()
    hist.append(cmd)
    lexpre = any(theirs.send([b"OBJECT", b"ENCODING", x]) == ("bulk", b"skiplist") for x in cmd[1:3])
    if cmd[0] in rd.SCAN_CMDS:
        a, b = rd.scan_all(ours, cmd), rd.scan_all(theirs, cmd)
    else:
        a, b = ours.send(cmd), theirs.send(cmd)
    lex = cmd[0] in (b"ZLEXCOUNT", b"ZRANGEBYLEX", b"ZREVRANGEBYLEX", b"ZREMRANGEBYLEX") or b"BYLEX" in [x.upper() for x in cmd]
    if lex and lexpre:
        for c in (ours, theirs):  # Redis's skiplist search on members of different scores depends on its random levels: unspecified
            for key in cmd[1:3]: c.send([b"DEL", key])
    elif not rd.same(cmd, a, b):
        mism += 1
        if len(sys.argv) > 5:
            for h in hist[-60:]:
                if any(x in h for x in cmd[1:4]): print("   ", h)
        print("MISMATCH", cmd, "\n  ours ", rd.show(a, 400), "\n  redis", rd.show(b, 400))
        if cmd[0] in (b"ZRANDMEMBER",): pass
        for c in (ours, theirs):
            for key in K: c.send([b"DEL", key])
print(f"seed {seed}: {n} commands, {mism} mismatches")
