using Kiwi.Core.Apply;

namespace Kiwi.Core;

/// <summary>
/// A command failed the way Redis would fail it; <see cref="Exception.Message"/> is Redis's exact error text
/// (for example "WRONGTYPE Operation against a key holding the wrong kind of value").
/// </summary>
public sealed class KiwiException : Exception
{
    /// <summary>Creates the exception for an apply-time error.</summary>
    public KiwiException(KiwiError error, string? detail = null)
        : base(detail is null ? KiwiErrorText.Text(error) : $"{KiwiErrorText.Text(error)} ({detail})")
    {
        Error = error;
    }

    /// <summary>Creates the exception for a validation error found before the command was submitted.</summary>
    public KiwiException(string message)
        : base(message)
    {
        Error = KiwiError.None;
    }

    /// <summary>
    /// The exception for an error reply line (without '-'): its <see cref="Error"/> is the
    /// <see cref="KiwiError"/> whose Redis text starts the line, or <see cref="KiwiError.None"/>.
    /// </summary>
    public static KiwiException FromErrorLine(ReadOnlySpan<byte> line)
    {
        string text = System.Text.Encoding.UTF8.GetString(line);
        for (var error = KiwiError.WrongType; error <= KiwiErrorText.Last; error++)
        {
            ReadOnlySpan<byte> known = KiwiErrorText.Utf8(error);
            if (line.StartsWith(known) && (line.Length == known.Length || line[known.Length] == (byte)' '))
            {
                return new KiwiException(text, error);
            }
        }

        return new KiwiException(text);
    }

    private KiwiException(string message, KiwiError error)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The apply-time error, or <see cref="KiwiError.None"/> for a validation error.</summary>
    public KiwiError Error { get; }
}
