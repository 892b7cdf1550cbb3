using System.Buffers;
using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Tests.Resp;

/// <summary>Every reply type as exact bytes in RESP2 and RESP3 (Redis networking.c addReply* functions).</summary>
public sealed class RespWriterTests
{
    [Theory]
    [InlineData((byte)RespVersion.Resp2)]
    [InlineData((byte)RespVersion.Resp3)]
    public void SameInBothVersions(byte protocol)
    {
        var version = (RespVersion)protocol;
        Assert.Equal("+OK\r\n", Write(version, w => w.WriteOk()));
        Assert.Equal("+PONG\r\n", Write(version, w => w.WriteSimpleString("PONG"u8)));
        Assert.Equal("+\r\n", Write(version, w => w.WriteSimpleString(default)));
        Assert.Equal("-ERR boom\r\n", Write(version, w => w.WriteError("ERR boom"u8)));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Write(version, w => w.WriteError(KiwiError.WrongType)));
        Assert.Equal(":0\r\n", Write(version, w => w.WriteInteger(0)));
        Assert.Equal(":-1\r\n", Write(version, w => w.WriteInteger(-1)));
        Assert.Equal(":9223372036854775807\r\n", Write(version, w => w.WriteInteger(long.MaxValue)));
        Assert.Equal(":-9223372036854775808\r\n", Write(version, w => w.WriteInteger(long.MinValue)));
        Assert.Equal("$5\r\nhello\r\n", Write(version, w => w.WriteBulk("hello"u8)));
        Assert.Equal("$0\r\n\r\n", Write(version, w => w.WriteBulk(default)));
        Assert.Equal("$4\r\na\r\n\0\r\n", Write(version, w => w.WriteBulk("a\r\n\0"u8)));
        Assert.Equal("*3\r\n", Write(version, w => w.WriteArrayHeader(3)));
        Assert.Equal("*0\r\n", Write(version, w => w.WriteArrayHeader(0)));
        Assert.Equal("+OK\r\n:1\r\n", Write(version, w =>
        {
            w.WriteRaw(RespReplies.Ok);
            w.WriteRaw(RespReplies.One);
        }));
    }

    [Fact]
    public void Null_DiffersByVersion()
    {
        Assert.Equal("$-1\r\n", Write(RespVersion.Resp2, w => w.WriteNull()));
        Assert.Equal("_\r\n", Write(RespVersion.Resp3, w => w.WriteNull()));
        Assert.Equal("*-1\r\n", Write(RespVersion.Resp2, w => w.WriteNullArray()));
        Assert.Equal("_\r\n", Write(RespVersion.Resp3, w => w.WriteNullArray()));
    }

    [Fact]
    public void Aggregates_DifferByVersion()
    {
        Assert.Equal("*4\r\n", Write(RespVersion.Resp2, w => w.WriteMapHeader(2)));
        Assert.Equal("%2\r\n", Write(RespVersion.Resp3, w => w.WriteMapHeader(2)));
        Assert.Equal("*3\r\n", Write(RespVersion.Resp2, w => w.WriteSetHeader(3)));
        Assert.Equal("~3\r\n", Write(RespVersion.Resp3, w => w.WriteSetHeader(3)));
        Assert.Equal("*3\r\n", Write(RespVersion.Resp2, w => w.WritePushHeader(3)));
        Assert.Equal(">3\r\n", Write(RespVersion.Resp3, w => w.WritePushHeader(3)));
        Assert.Equal("*4294967294\r\n", Write(RespVersion.Resp2, w => w.WriteMapHeader(int.MaxValue)));
    }

    [Fact]
    public void Boolean_DiffersByVersion()
    {
        Assert.Equal(":1\r\n", Write(RespVersion.Resp2, w => w.WriteBoolean(true)));
        Assert.Equal(":0\r\n", Write(RespVersion.Resp2, w => w.WriteBoolean(false)));
        Assert.Equal("#t\r\n", Write(RespVersion.Resp3, w => w.WriteBoolean(true)));
        Assert.Equal("#f\r\n", Write(RespVersion.Resp3, w => w.WriteBoolean(false)));
    }

    [Fact]
    public void Double_IsATypeInResp3AndABulkInResp2()
    {
        Assert.Equal(",3.14\r\n", Write(RespVersion.Resp3, w => w.WriteDouble(3.14)));
        Assert.Equal("$4\r\n3.14\r\n", Write(RespVersion.Resp2, w => w.WriteDouble(3.14)));
        Assert.Equal(",inf\r\n", Write(RespVersion.Resp3, w => w.WriteDouble(double.PositiveInfinity)));
        Assert.Equal("$4\r\n-inf\r\n", Write(RespVersion.Resp2, w => w.WriteDouble(double.NegativeInfinity)));
        Assert.Equal(",nan\r\n", Write(RespVersion.Resp3, w => w.WriteDouble(double.NaN)));
        Assert.Equal(",10\r\n", Write(RespVersion.Resp3, w => w.WriteDouble(10)));
    }

    [Fact]
    public void Verbatim_IsATypeInResp3AndABulkInResp2()
    {
        Assert.Equal("=9\r\ntxt:hello\r\n", Write(RespVersion.Resp3, w => w.WriteVerbatim("hello"u8)));
        Assert.Equal("=6\r\nmkd:#a\r\n", Write(RespVersion.Resp3, w => w.WriteVerbatim("#a"u8, "mkd"u8)));
        Assert.Equal("=5\r\nx  :a\r\n", Write(RespVersion.Resp3, w => w.WriteVerbatim("a"u8, "x"u8)));
        Assert.Equal("$5\r\nhello\r\n", Write(RespVersion.Resp2, w => w.WriteVerbatim("hello"u8)));
    }

    [Fact]
    public void LargeValues_AreWrittenInChunksTheOutputOffers()
    {
        byte[] value = new byte[100_000];
        new Random(7).NextBytes(value);
        var output = new TinyBufferWriter();
        var writer = new RespWriter(output, RespVersion.Resp3);
        writer.WriteBulk(value);
        writer.WriteSimpleString(Enumerable.Repeat((byte)'a', 10_000).ToArray());
        writer.WriteVerbatim(value);

        byte[] expected =
        [
            .. Bytes("$100000\r\n"), .. value, .. Bytes("\r\n"),
            .. Bytes("+" + new string('a', 10_000) + "\r\n"),
            .. Bytes("=100004\r\ntxt:"), .. value, .. Bytes("\r\n"),
        ];
        Assert.Equal(expected, output.Written.ToArray());
        Assert.True(output.LargestSpan <= 4096);
    }

    [Theory]
    [InlineData((byte)RespProtocolError.InvalidMultibulkLength, "invalid multibulk length")]
    [InlineData((byte)RespProtocolError.InvalidBulkLength, "invalid bulk length")]
    [InlineData((byte)RespProtocolError.TooBigMbulkCountString, "too big mbulk count string")]
    [InlineData((byte)RespProtocolError.TooBigBulkCountString, "too big bulk count string")]
    [InlineData((byte)RespProtocolError.TooBigInlineRequest, "too big inline request")]
    [InlineData((byte)RespProtocolError.UnbalancedQuotes, "unbalanced quotes in request")]
    [InlineData((byte)RespProtocolError.UnauthenticatedMultibulkLength, "unauthenticated multibulk length")]
    [InlineData((byte)RespProtocolError.UnauthenticatedBulkLength, "unauthenticated bulk length")]
    public void ProtocolError_HasRedisText(byte error, string text)
        => Assert.Equal("-ERR Protocol error: " + text + "\r\n", Write(RespVersion.Resp2, w => w.WriteProtocolError((RespProtocolError)error)));

    [Fact]
    public void ProtocolError_ExpectedDollar_NamesTheByte()
    {
        Assert.Equal("-ERR Protocol error: expected '$', got 'X'\r\n", Write(RespVersion.Resp2, w => w.WriteProtocolError(RespProtocolError.ExpectedDollar, (byte)'X')));
        Assert.Equal("-ERR Protocol error: expected '$', got ' '\r\n", Write(RespVersion.Resp3, w => w.WriteProtocolError(RespProtocolError.ExpectedDollar, (byte)'\n')));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(3.14, "3.14")]
    [InlineData(1.5, "1.5")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(1.2345e-5, "1.2345e-5")]
    [InlineData(0.001234, "0.001234")]
    [InlineData(-0.0, "-0")]
    [InlineData(0.0, "0")]
    [InlineData(42.0, "42")]
    [InlineData(-4611686018427387904.0, "-4611686018427387904")]
    [InlineData(9223372036854775808.0, "9223372036854776000")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(-1.7976931348623157e308, "-1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1e-100, "1e-100")]
    public void Double_IsFormattedLikeRedis(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[RedisDouble.MaxLength];
        int length = RedisDouble.Format(value, buffer);
        Assert.Equal(expected, Text(buffer[..length]));
    }

    private static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private static string Write(RespVersion version, Action<RespWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new RespWriter(output, version));
        return Text(output.WrittenSpan);
    }

    /// <summary>Offers exactly what is asked for (at least one byte), like a nearly full pipe segment.</summary>
    private sealed class TinyBufferWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public int LargestSpan { get; private set; }

        public ReadOnlySpan<byte> Written => _inner.WrittenSpan;

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            int size = Math.Max(1, sizeHint);
            LargestSpan = Math.Max(LargestSpan, size);
            return _inner.GetSpan(size)[..size];
        }
    }
}
