namespace Kiwi.Server.Tests.Lists;

/// <summary>
/// Edge indexes and counts (huge, negative, LONG_MIN, 0, "-0") in one sequence, each reply as redis-server 7.0.15
/// gave it (captured with a raw client; redis-diff does not send these).
/// </summary>
public sealed class ListEdgeCaseTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly (string Command, string Reply)[] s_script =
    [
        ("rpush e a b c d e f", ":6\r\n"),
        ("lrange e 9223372036854775807 -9223372036854775808", "*0\r\n"),
        ("lrange e -9223372036854775808 9223372036854775807", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"),
        ("lrange e -3 -2", "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"),
        ("lrange e 2 2", "*1\r\n$1\r\nc\r\n"),
        ("ltrim e -9223372036854775808 9223372036854775807", "+OK\r\n"),
        ("lrange e 0 -1", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"),
        ("lpop e 9223372036854775807", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"),
        ("rpush e a b a c a", ":5\r\n"),
        ("lrem e -9223372036854775808 a", ":3\r\n"),
        ("lrange e 0 -1", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        ("linsert e before b b0", ":3\r\n"),
        ("linsert e after c c1", ":4\r\n"),
        ("linsert e after c1 c2", ":5\r\n"),
        ("lrange e 0 -1", "*5\r\n$2\r\nb0\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nc1\r\n$2\r\nc2\r\n"),
        ("lset e -1 last", "+OK\r\n"),
        ("lset e -6 x", "-ERR index out of range\r\n"),
        ("lindex e -5", "$2\r\nb0\r\n"),
        ("lindex e 9223372036854775807", "$-1\r\n"),
        ("lindex e -9223372036854775808", "$-1\r\n"),
        ("rpoplpush e e", "$4\r\nlast\r\n"),
        ("lrange e 0 -1", "*5\r\n$4\r\nlast\r\n$2\r\nb0\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nc1\r\n"),
        ("lmpop 2 e e2 left count 9223372036854775807", "*2\r\n$1\r\ne\r\n*5\r\n$4\r\nlast\r\n$2\r\nb0\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nc1\r\n"),
        ("rpush e2 x", ":1\r\n"),
        ("lmove e2 e2 right left", "$1\r\nx\r\n"),
        ("lpos e2 x maxlen 0", ":0\r\n"),
        ("lpos e2 x rank 2", "$-1\r\n"),
        ("lpos e2 x count 1 rank -1 maxlen 1", "*1\r\n:0\r\n"),
        ("lpush e3 1 2 3 4 5 6 7 8 9 10", ":10\r\n"),
        ("lpos e3 5 rank -2", "$-1\r\n"),
        ("ltrim e3 2 -3", "+OK\r\n"),
        ("lrange e3 0 -1", "*6\r\n$1\r\n8\r\n$1\r\n7\r\n$1\r\n6\r\n$1\r\n5\r\n$1\r\n4\r\n$1\r\n3\r\n"),
        ("ltrim e3 0 0", "+OK\r\n"),
        ("lrange e3 0 -1", "*1\r\n$1\r\n8\r\n"),
        ("lrem e3 0 8", ":1\r\n"),
        ("exists e3", ":0\r\n"),
        ("lpush e3 a", ":1\r\n"),
        ("lpop e3 -0", "-ERR value is out of range, must be positive\r\n"),
        ("lpos e3 a rank -9223372036854775807", "$-1\r\n"),
        ("lpos e3 a count 0 maxlen 9223372036854775807", "*1\r\n:0\r\n"),
        ("lpop e3 -0", "-ERR value is out of range, must be positive\r\n"),
        ("lpush e3 a b", ":3\r\n"),
        ("lpos e3 a rank -9223372036854775807", "$-1\r\n"),
        ("lpos e3 a count 0 maxlen 9223372036854775807", "*2\r\n:1\r\n:2\r\n"),
        ("lmpop 1 e3 right count 9223372036854775807", "*2\r\n$2\r\ne3\r\n*3\r\n$1\r\na\r\n$1\r\na\r\n$1\r\nb\r\n"),
    ];

    [Fact]
    public async Task Each_reply_matches_redis()
    {
        using RawClient client = await RawClient.ConnectAsync(server.Port);
        await client.CallAsync(RawClient.Command("DEL", "e", "e2", "e3"));
        foreach ((string command, string reply) in s_script)
        {
            Assert.Equal((command, reply), (command, await client.CallAsync(RawClient.Command(command.Split(' ')))));
        }
    }
}
