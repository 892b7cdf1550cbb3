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

    /// <summary>The apply-time error, or <see cref="KiwiError.None"/> for a validation error.</summary>
    public KiwiError Error { get; }
}
