using System.Diagnostics;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Support;

/// <summary>Operations of hand-written histories, their times given in milliseconds; the key is "x" unless named.</summary>
internal static class Ops
{
    public static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    public static Operation Set(int client, long value, double invoke, double complete, string key = "x")
        => new(client, key, OperationKind.Set, value, Ms(invoke), Ms(complete), Outcome.Ok, null);

    public static Operation SetUnknown(int client, long value, double invoke, string key = "x")
        => new(client, key, OperationKind.Set, value, Ms(invoke), Operation.Open, Outcome.Unknown, null);

    public static Operation SetFailed(int client, long value, double invoke, double complete, string key = "x")
        => new(client, key, OperationKind.Set, value, Ms(invoke), Ms(complete), Outcome.Fail, null);

    public static Operation Get(int client, long? result, double invoke, double complete, string key = "x")
        => new(client, key, OperationKind.Get, 0, Ms(invoke), Ms(complete), Outcome.Ok, result);

    public static Operation GetUnknown(int client, double invoke, string key = "x")
        => new(client, key, OperationKind.Get, 0, Ms(invoke), Operation.Open, Outcome.Unknown, null);

    public static Operation Incr(int client, long result, double invoke, double complete, string key = "x")
        => new(client, key, OperationKind.Incr, 0, Ms(invoke), Ms(complete), Outcome.Ok, result);

    public static Operation IncrUnknown(int client, double invoke, string key = "x")
        => new(client, key, OperationKind.Incr, 0, Ms(invoke), Operation.Open, Outcome.Unknown, null);

    public static History History(params Operation[] ops) => new(ops);
}
