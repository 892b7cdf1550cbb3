using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Checking;

/// <summary>
/// The sequential specification of one key: nil or an integer. SET stores its value, GET returns the value,
/// INCR adds one (nil counts as 0) and returns the sum. A register is this model used through SET and GET, a
/// counter the same model used through INCR and GET, so one model serves both (and keys that mix them).
/// </summary>
internal static class KeyModel
{
    /// <summary>
    /// Applies <paramref name="op"/> to <paramref name="state"/>: false when its recorded reply could not come
    /// from that state. A write of unknown outcome has no reply to match, only its effect.
    /// </summary>
    public static bool Step(long? state, Operation op, out long? next)
    {
        switch (op.Kind)
        {
            case OperationKind.Set:
                next = op.Argument;
                return true;
            case OperationKind.Incr:
                next = (state ?? 0) + 1;
                return op.Outcome != Outcome.Ok || op.Result == next;
            default:
                next = state;
                return op.Result == state;
        }
    }

    /// <summary>Why <paramref name="op"/> cannot be applied to <paramref name="state"/>, or null when it can.</summary>
    public static string? WhyNot(long? state, Operation op)
    {
        if (Step(state, op, out long? next))
        {
            return null;
        }

        return op.Kind == OperationKind.Incr
            ? $"returned {Operation.FormatValue(op.Result)}, but the value would become {Operation.FormatValue(next)}"
            : $"read {Operation.FormatValue(op.Result)}, but the value is {Operation.FormatValue(state)}";
    }
}
