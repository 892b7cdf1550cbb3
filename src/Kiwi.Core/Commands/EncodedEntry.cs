using Kiwi.Core.Apply;

namespace Kiwi.Core.Commands;

/// <summary>
/// What a write command's encoder returns: its entry, ready to submit, or the reason the command was refused
/// before the log, as Redis's exact error line (without '-'). The RESP handler replies the error, <see cref="KiwiDb"/>
/// throws it as a <see cref="KiwiException"/>: one validation, two ways to report it.
/// </summary>
internal readonly ref struct EncodedEntry
{
    private EncodedEntry(ApplyRequest? request, ReadOnlySpan<byte> error)
    {
        Request = request;
        Error = error;
    }

    /// <summary>The encoded entry, not yet submitted; null when the command was refused.</summary>
    public ApplyRequest? Request { get; }

    /// <summary>The error line when <see cref="Request"/> is null (a static <c>u8</c> literal: nothing to free).</summary>
    public ReadOnlySpan<byte> Error { get; }

    /// <summary>An entry to submit.</summary>
    public static EncodedEntry Ready(ApplyRequest request) => new(request, default);

    /// <summary>A refusal with Redis's error line.</summary>
    public static EncodedEntry Refused(ReadOnlySpan<byte> error) => new(null, error);
}
