namespace Kiwi.Jepsen.Tests.Histories;

public sealed class HistoryRecorderTests
{
    [Fact]
    public async Task Concurrent_clients_record_every_operation_with_its_times_and_outcome()
    {
        var recorder = new HistoryRecorder();
        Task[] clients = [.. Enumerable.Range(0, 4).Select(c => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                Invocation call = HistoryRecorder.Invoke(c, "k" + (i % 3), OperationKind.Set, i);
                switch (i % 3)
                {
                    case 0: recorder.Ok(call); break;
                    case 1: recorder.Fail(call); break;
                    default: recorder.Unknown(call); break;
                }
            }
        }))];
        await Task.WhenAll(clients);

        History history = recorder.ToHistory();
        Assert.Equal(2000, history.Operations.Length);
        Assert.True(history.Operations.Zip(history.Operations.Skip(1)).All(p => p.First.Invoke <= p.Second.Invoke), "not in invocation order");
        foreach (IGrouping<int, Operation> client in history.Operations.GroupBy(o => o.Client))
        {
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), client.Select(o => o.Argument));
        }

        Assert.All(history.Operations, o =>
        {
            Assert.Equal((Outcome)(o.Argument % 3), o.Outcome);
            Assert.True(o.Outcome == Outcome.Unknown ? o.Complete == Operation.Open : o.Complete >= o.Invoke);
        });
    }

    [Fact]
    public void Operations_are_printed_with_their_times_since_the_first()
    {
        var history = new History(
        [
            new Operation(1, "x", OperationKind.Set, 7, 1_000, Operation.Open, Outcome.Unknown, null),
            new Operation(0, "x", OperationKind.Get, 0, 0, 10, Outcome.Ok, null),
        ]);
        Assert.Equal("c0 GET -> nil", history.Operations[0].Describe());
        Assert.StartsWith("c1 SET 7 -> ?", history.Format(history.Operations[1]), StringComparison.Ordinal);
        Assert.EndsWith(", open)", history.Format(history.Operations[1]), StringComparison.Ordinal);
    }
}
