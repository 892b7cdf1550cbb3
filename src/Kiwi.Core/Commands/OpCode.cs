namespace Kiwi.Core.Commands;

/// <summary>Codes of the commands the writer applies. Persisted in log entries: append only, never renumber.</summary>
internal enum OpCode : byte
{
    /// <summary>SET and its variants (SETNX, SETEX, PSETEX, GETSET); see <see cref="SetFlags"/>.</summary>
    Set = 1,

    /// <summary>GETDEL.</summary>
    GetDel = 2,

    /// <summary>GETEX with an option; see <see cref="GetExFlags"/>.</summary>
    GetEx = 3,

    /// <summary>MSET.</summary>
    MSet = 4,

    /// <summary>MSETNX.</summary>
    MSetNx = 5,

    /// <summary>APPEND.</summary>
    Append = 6,

    /// <summary>SETRANGE; N1 is the offset.</summary>
    SetRange = 7,

    /// <summary>INCR, INCRBY, DECR, DECRBY; N1 is the delta.</summary>
    IncrBy = 8,

    /// <summary>INCRBYFLOAT; the second argument is the increment as text.</summary>
    IncrByFloat = 9,

    /// <summary>DEL and UNLINK.</summary>
    Del = 10,

    /// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT; N1 is the absolute unix-ms time; see <see cref="ExpireFlags"/>.</summary>
    Expire = 11,

    /// <summary>PERSIST.</summary>
    Persist = 12,

    /// <summary>Internal: the active expiry cycle removes a key whose expiry (N1) has passed.</summary>
    ExpireSweep = 13,

    /// <summary>FLUSHDB (the command's database) or, with flag 1, FLUSHALL.</summary>
    FlushDb = 14,

    /// <summary>RENAME source destination; flag 1 = RENAMENX.</summary>
    Rename = 15,

    /// <summary>COPY source destination; flag 1 = REPLACE; N1 = destination database.</summary>
    Copy = 16,

    /// <summary>HSET/HMSET/HSETNX key field value [field value ...]; see <see cref="HashSetFlags"/>.</summary>
    HSet = 20,

    /// <summary>HDEL key field [field ...].</summary>
    HDel = 21,

    /// <summary>HINCRBY key field; N1 is the increment.</summary>
    HIncrBy = 22,

    /// <summary>HINCRBYFLOAT key field increment (as text).</summary>
    HIncrByFloat = 23,

    /// <summary>SADD key member [member ...].</summary>
    SAdd = 30,

    /// <summary>SREM key member [member ...].</summary>
    SRem = 31,

    /// <summary>SPOP key: flag 1 = with a count (N1, not negative); N2 is the random seed drawn at proposal.</summary>
    SPop = 32,

    /// <summary>SMOVE source destination member.</summary>
    SMove = 33,

    /// <summary>SINTERSTORE/SUNIONSTORE/SDIFFSTORE destination key [key ...]; the flags are the <see cref="SetOperation"/>.</summary>
    SStore = 34,

    // 30-39: sets; the bit commands start at 40.

    /// <summary>SETBIT key; N1 = bit offset (0 to 2^32-1), N2 = the bit (0 or 1).</summary>
    SetBit = 40,

    /// <summary>BITOP destination source...; the flags are the <see cref="Bits.BitOperation"/>.</summary>
    BitOp = 41,

    /// <summary>BITFIELD key ops; N1 = number of ops, the second argument holds them (see <see cref="Bits.BitFieldOp"/>).</summary>
    BitField = 42,

    // 60-69: lists (see Lists.ListFlags).

    /// <summary>LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...].</summary>
    LPush = 60,

    /// <summary>LPOP/RPOP key [count]: N1 = count with <see cref="Lists.ListFlags.WithCount"/>.</summary>
    LPop = 61,

    /// <summary>LSET key element; N1 = index.</summary>
    LSet = 62,

    /// <summary>LTRIM key; N1 = start, N2 = stop.</summary>
    LTrim = 63,

    /// <summary>LREM key element; N1 = count.</summary>
    LRem = 64,

    /// <summary>LINSERT key pivot element; <see cref="Lists.ListFlags.After"/> or before.</summary>
    LInsert = 65,

    /// <summary>LMOVE/RPOPLPUSH/BLMOVE source destination.</summary>
    LMove = 66,

    /// <summary>LMPOP/BLPOP/BRPOP/BLMPOP key [key ...]; N1 = count.</summary>
    LMPop = 67,

    // 70-79: sorted sets (see SortedSets.ZSetOps for their flags and arguments).

    /// <summary>ZADD/ZINCRBY key (score:f64 LE, member)...; see <see cref="SortedSets.ZAddFlags"/>.</summary>
    ZAdd = 70,

    /// <summary>ZREM key member [member ...].</summary>
    ZRem = 71,

    /// <summary>ZPOPMIN/ZPOPMAX key, ZMPOP keys...; see <see cref="SortedSets.ZPopFlags"/>; N1 = count (-1: none given).</summary>
    ZPop = 72,

    /// <summary>ZREMRANGEBYRANK/SCORE/LEX key min max (as given); the flags are the <see cref="SortedSets.ZRangeKind"/>.</summary>
    ZRemRange = 73,

    /// <summary>ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE destination keys... [weights:f64 LE...]; see <see cref="SortedSets.ZStoreFlags"/>; N1 = number of keys.</summary>
    ZStore = 74,

    /// <summary>ZRANGESTORE destination source min max; see <see cref="SortedSets.ZRangeStoreFlags"/>; N1 = offset, N2 = limit.</summary>
    ZRangeStore = 75,

    /// <summary>SORT key [options...] STORE destination: the command's arguments from the key on, parsed again by the writer.</summary>
    SortStore = 76,

    // 77-79: transactions (see Transactions.TransactionWrites).

    /// <summary>
    /// EXEC: the next N1 commands of the entry are one transaction, replied as one array; N2 = the WATCH token
    /// checked first (0: none): when a watched key changed since WATCH, none of them runs and the reply is a null array.
    /// </summary>
    Exec = 77,

    /// <summary>
    /// A read queued in a transaction, run by the writer against the batch view: its RESP arguments (name first);
    /// with flag 1 the one argument is instead a reply fixed at queue time (an error), copied as is.
    /// </summary>
    TxRead = 78,

    /// <summary>WATCH key [key ...] under the token N1; with flag 1 (no arguments) UNWATCH: the token is dropped.</summary>
    Watch = 79,

    // 80-83: databases.

    /// <summary>MOVE key db; N1 = the destination database (logical, checked at proposal).</summary>
    Move = 80,

    /// <summary>SWAPDB; N1 and N2 = the two logical databases (checked at proposal).</summary>
    SwapDb = 81,

    // 84-86: pub/sub.

    /// <summary>
    /// PUBLISH/SPUBLISH channel message in cluster mode (flag 1 = SPUBLISH): changes no data; every member hands it to
    /// its subscribers once the batch holding it is committed. N1 = the receivers counted on the member that took the
    /// command (the reply, Redis cluster's local count).
    /// </summary>
    Publish = 84,

    /// <summary>RESTORE key payload; see <see cref="RestoreFlags"/>; N1 = absolute expiry (unix ms, 0 = none).</summary>
    Restore = 87,
}

/// <summary>Flags of <see cref="OpCode.HSet"/>.</summary>
[Flags]
internal enum HashSetFlags : byte
{
    /// <summary>HSET: replies the number of fields added.</summary>
    None = 0,

    /// <summary>HMSET: replies OK.</summary>
    ReplyOk = 1,

    /// <summary>HSETNX: sets only a field that does not exist, replies 1/0.</summary>
    OnlyNew = 2,
}

/// <summary>Flags of <see cref="OpCode.Set"/>.</summary>
[Flags]
internal enum SetFlags : byte
{
    /// <summary>No option.</summary>
    None = 0,

    /// <summary>Only set when the key does not exist.</summary>
    Nx = 1,

    /// <summary>Only set when the key exists.</summary>
    Xx = 2,

    /// <summary>Keep the key's time to live.</summary>
    KeepTtl = 4,

    /// <summary>Reply with the previous value.</summary>
    Get = 8,

    /// <summary>Reply 1/0 instead of OK/nil (SETNX).</summary>
    ReplyInteger = 16,

    /// <summary>N1 holds an absolute expiry (unix ms).</summary>
    Expire = 32,

    /// <summary>With <see cref="Expire"/>: N1 is relative to the applying entry's clock (queued in a transaction).</summary>
    RelativeExpire = 64,
}

/// <summary>Flags of <see cref="OpCode.GetEx"/>.</summary>
[Flags]
internal enum GetExFlags : byte
{
    /// <summary>No option (a plain read).</summary>
    None = 0,

    /// <summary>Remove the time to live.</summary>
    Persist = 1,

    /// <summary>N1 holds the new absolute expiry (unix ms).</summary>
    Expire = 2,

    /// <summary>The expiry given was invalid: reply the error once the key is found to be a string.</summary>
    InvalidExpire = 4,

    /// <summary>The expiry given was not an integer: reply that error once the key is found to be a string.</summary>
    NotInteger = 8,

    /// <summary>With <see cref="Expire"/>: N1 is relative to the applying entry's clock (queued in a transaction).</summary>
    RelativeExpire = 16,
}

/// <summary>Flags of <see cref="OpCode.Expire"/>.</summary>
[Flags]
internal enum ExpireFlags : byte
{
    /// <summary>Always set.</summary>
    None = 0,

    /// <summary>Only when the key has no expiry.</summary>
    Nx = 1,

    /// <summary>Only when the key has an expiry.</summary>
    Xx = 2,

    /// <summary>Only when the new expiry is greater than the current one.</summary>
    Gt = 4,

    /// <summary>Only when the new expiry is less than the current one.</summary>
    Lt = 8,

    /// <summary>N1 is relative to the applying entry's clock (EXPIRE/PEXPIRE queued in a transaction).</summary>
    Relative = 16,
}
