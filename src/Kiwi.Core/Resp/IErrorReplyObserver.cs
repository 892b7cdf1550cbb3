namespace Kiwi.Core.Resp;

/// <summary>Told of every error reply a <see cref="RespWriter"/> writes (a client session, for INFO errorstats).</summary>
internal interface IErrorReplyObserver
{
    /// <summary>An error reply is being written; <paramref name="line"/> is its text without the '-' (code first).</summary>
    void OnErrorReply(ReadOnlySpan<byte> line);
}
