using StackExchange.Redis;

namespace Kiwi.Server.Tests;

/// <summary>
/// SPOP, SRANDMEMBER, HRANDFIELD and ZRANDMEMBER without a count on collections big enough to be picked by a random
/// descent of the members' bytes (Kiwi.Core.Commands.RandomProbe) rather than a walk.
/// </summary>
public sealed class SetRandomMemberTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private IDatabase Db => server.Redis.GetDatabase();

    // Members of every shape the random probe (RandomProbe) must descend: numbers of mixed widths, members that are
    // prefixes of others, the empty member, bytes 0x00 and 0xFF, long shared prefixes.
    private static byte[][] OddMembers()
    {
        var members = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            members.Add(System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            members.Add(System.Text.Encoding.ASCII.GetBytes("user:session:" + (i * 7919).ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
        }

        members.Add([]);
        members.Add("a"u8.ToArray());
        members.Add("ab"u8.ToArray());
        members.Add("abc"u8.ToArray());
        members.Add([0x00]);
        members.Add([0x00, 0x00]);
        members.Add([0xFF]);
        members.Add([0xFF, 0xFF, 0x00]);
        return [.. members];
    }

    [Fact]
    public void Spop_of_a_big_set_one_at_a_time_returns_every_member_exactly_once()
    {
        byte[][] members = OddMembers();
        Db.SetAdd("s:bigpop", [.. members.Select(m => (RedisValue)m)]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < members.Length; i++)
        {
            RedisValue popped = Db.SetPop("s:bigpop");
            Assert.False(popped.IsNull);
            Assert.True(seen.Add(Convert.ToHexString((byte[])popped!)), "popped twice");
            Assert.Equal(members.Length - i - 1, Db.SetLength("s:bigpop"));
        }

        Assert.Equal(members.Select(m => Convert.ToHexString(m)).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.True(Db.SetPop("s:bigpop").IsNull);
        Assert.False(Db.KeyExists("s:bigpop"));
    }

    [Fact]
    public void Srandmember_and_hrandfield_of_big_collections_answer_members_of_every_shape()
    {
        byte[][] members = OddMembers();
        Db.SetAdd("s:bigrand", [.. members.Select(m => (RedisValue)m)]);
        Db.HashSet("h:bigrand", [.. members.Select(m => new HashEntry(m, "v"))]);
        var all = new HashSet<string>(members.Select(m => Convert.ToHexString(m)), StringComparer.Ordinal);
        int numbers = 0, sessions = 0;
        for (int i = 0; i < 600; i++)
        {
            byte[] member = (byte[])Db.SetRandomMember("s:bigrand")!;
            Assert.Contains(Convert.ToHexString(member), all);
            numbers += member.Length > 0 && member[0] is >= (byte)'0' and <= (byte)'9' ? 1 : 0;
            sessions += member.Length > 0 && member[0] == (byte)'u' ? 1 : 0;
            Assert.Contains(Convert.ToHexString((byte[])Db.HashRandomField("h:bigrand")!), all);
        }

        // Each byte in use at a position is about equally likely (RandomProbe): the first byte is one of fifteen (ten
        // digits, 'u', 'a', 0x00, 0xFF and the empty member), so about 400 numbers and 40 sessions (sd 12 and 6).
        Assert.InRange(numbers, 320, 480);
        Assert.InRange(sessions, 10, 80);
        Assert.Equal(members.Length, Db.SetLength("s:bigrand"));
    }

    [Fact]
    public void Srandmember_of_a_big_set_of_evenly_spread_members_draws_about_as_a_fair_draw()
    {
        var random = new Random(5);
        var members = new HashSet<string>(StringComparer.Ordinal);
        while (members.Count < 2000)
        {
            members.Add("m:" + random.Next(1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture));
        }

        Db.SetAdd("s:even", [.. members.Select(m => (RedisValue)m)]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 1500; i++)
        {
            string member = (string)Db.SetRandomMember("s:even")!;
            Assert.Contains(member, members);
            seen.Add(member);
        }

        // A fair draw of 1,500 from 2,000 sees about 1,055 different members; one stuck on a few sees far fewer.
        Assert.True(seen.Count > 900, $"saw {seen.Count} members");
    }

    [Fact]
    public void Zrandmember_of_a_big_sorted_set_draws_members_never_score_entries()
    {
        // The sorted set's records hold both orders under one prefix: the draw must stay among the member records.
        byte[][] members = OddMembers();
        var random = new Random(11);
        Db.SortedSetAdd("z:bigrand", [.. members.Select(m => new SortedSetEntry(m, random.Next(-1000, 1000) / 7.0))]);
        var all = new HashSet<string>(members.Select(m => Convert.ToHexString(m)), StringComparer.Ordinal);
        int numbers = 0;
        for (int i = 0; i < 600; i++)
        {
            byte[] member = (byte[])Db.SortedSetRandomMember("z:bigrand")!;
            Assert.Contains(Convert.ToHexString(member), all);
            numbers += member.Length > 0 && member[0] is >= (byte)'0' and <= (byte)'9' ? 1 : 0;
        }

        Assert.InRange(numbers, 320, 480);
        Assert.Equal(members.Length, Db.SortedSetLength("z:bigrand"));
    }
}
