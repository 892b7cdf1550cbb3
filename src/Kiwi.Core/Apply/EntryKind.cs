namespace Kiwi.Core.Apply;

/// <summary>What an entry of the commit ring carries. Persisted in log entries: append only.</summary>
public enum EntryKind : byte
{
    /// <summary>Client commands.</summary>
    Normal = 0,

    /// <summary>A leader's no-op: no data, still advances the applied index.</summary>
    Blank = 1,

    /// <summary>A cluster configuration change: no data here, still advances the applied index.</summary>
    Membership = 2,
}
