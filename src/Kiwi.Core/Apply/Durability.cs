namespace Kiwi.Core.Apply;

/// <summary>When a write is made durable on disk (Redis's <c>appendfsync</c>).</summary>
public enum Durability
{
    /// <summary>Each batch's WAL write is fsynced before any of its commands is acknowledged (group commit).</summary>
    Always,

    /// <summary>The WAL is written with every batch and fsynced once a second (the default).</summary>
    EverySec,

    /// <summary>The WAL is written with every batch; the operating system decides when it reaches the disk.</summary>
    No,
}
