namespace Kiwi.Core.Resp;

/// <summary>The reply protocol a connection speaks (chosen with HELLO).</summary>
internal enum RespVersion : byte
{
    /// <summary>RESP2, the default.</summary>
    Resp2 = 2,

    /// <summary>RESP3: typed nulls, maps, sets, doubles, booleans, verbatim strings, pushes.</summary>
    Resp3 = 3,
}
