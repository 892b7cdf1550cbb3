using System.Globalization;

namespace Kiwi.Core.Tests.Lists;

/// <summary>
/// Pops issued together, so one batch applies them: neighbouring element reads step a kept engine cursor
/// (ApplyContext.ElementReads), which must give what separate point reads give, whatever runs between them.
/// </summary>
public sealed class BatchedPopTests : KiwiDbTestBase
{
    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);

    private async Task<List<string>> Fill(string key, int count)
    {
        var model = new List<string>();
        for (int i = 0; i < count; i++)
        {
            await Db.Lists.PushRightAsync(B(key), B(N(i)));
            model.Add(N(i));
        }

        return model;
    }

    private static string? PopModel(List<string> model, bool right)
    {
        if (model.Count == 0)
        {
            return null;
        }

        int at = right ? model.Count - 1 : 0;
        string value = model[at];
        model.RemoveAt(at);
        return value;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_of_pops_at_one_end_returns_every_element_in_order(bool right)
    {
        List<string> model = await Fill("q", 300);
        Reopen(); // the elements come back from the log and files, not the writer's batch
        var pops = new List<Pending>();
        var expected = new List<string?>();
        for (int i = 0; i < 310; i++)
        {
            pops.Add(new Pending(right ? Db.Lists.PopRightAsync(B("q")) : Db.Lists.PopLeftAsync(B("q"))));
            expected.Add(PopModel(model, right));
        }

        Assert.Equal(expected, await Results(pops));
        Assert.Equal(0, Db.Lists.Length(B("q")));
    }

    [Fact]
    public async Task Right_pops_over_elements_too_big_for_the_read_window_step_back_instead()
    {
        // 5 KB elements: the first windows (8 elements) fit in its 64 KiB, the bigger ones after them do not, so
        // the run goes on stepping the cursor back; both must give what point reads give, and nil past the head.
        var model = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            string element = new string((char)('a' + (i % 26)), 5000) + N(i);
            await Db.Lists.PushRightAsync(B("big"), B(element));
            model.Add(element);
        }

        Reopen();
        var pops = new List<Pending>();
        var expected = new List<string?>();
        for (int i = 0; i < 45; i++)
        {
            pops.Add(new Pending(Db.Lists.PopRightAsync(B("big"))));
            expected.Add(PopModel(model, right: true));
        }

        Assert.Equal(expected, await Results(pops));
        Assert.Equal(0, Db.Lists.Length(B("big")));
    }

    [Fact]
    public async Task Right_pops_of_two_lists_taken_in_turns_each_read_their_own_elements()
    {
        // The window holds one list's elements at a time: alternating pops refill it for the other list, and a
        // list whose key sorts right after the first must not be read as more of its elements.
        List<string> first = await Fill("la", 100);
        var second = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            await Db.Lists.PushRightAsync(B("lb"), B("x" + N(i)));
            second.Add("x" + N(i));
        }

        Reopen();
        var pops = new List<Pending>();
        var expected = new List<string?>();
        for (int i = 0; i < 230; i++)
        {
            bool onFirst = (i / 3) % 2 == 0;
            pops.Add(new Pending(Db.Lists.PopRightAsync(B(onFirst ? "la" : "lb"))));
            expected.Add(PopModel(onFirst ? first : second, right: true));
        }

        Assert.Equal(expected, await Results(pops));
    }

    [Fact]
    public async Task Pops_mixed_with_edits_walks_and_other_lists_match_a_model()
    {
        List<string> a = await Fill("a", 200);
        List<string> b = await Fill("b", 200);
        var random = new Random(7);
        var pending = new List<Pending>();
        var expected = new List<string?>();
        for (int i = 0; i < 400; i++)
        {
            int choice = random.Next(10);
            bool onA = random.Next(3) != 0;
            List<string> model = onA ? a : b;
            byte[] key = B(onA ? "a" : "b");
            switch (choice)
            {
                case < 5:
                    pending.Add(new Pending(Db.Lists.PopRightAsync(key)));
                    expected.Add(PopModel(model, right: true));
                    break;
                case < 7:
                    pending.Add(new Pending(Db.Lists.PopLeftAsync(key)));
                    expected.Add(PopModel(model, right: false));
                    break;
                case 7 when model.Count > 2:
                    // LSET the element the next right pop reads: the batch's own write must win over the cursor.
                    string replaced = "set" + N(i);
                    pending.Add(new Pending(Db.Lists.SetAsync(key, -2, B(replaced))));
                    model[^2] = replaced;
                    expected.Add(null);
                    break;
                case 8 when model.Count > 0:
                    // LREM walks the list with the writer's cursors, moving a kept one between two pops.
                    string target = model[random.Next(model.Count)];
                    pending.Add(new Pending(Db.Lists.RemoveAsync(key, 1, B(target))));
                    model.Remove(target);
                    expected.Add("1");
                    break;
                default:
                    string pushed = "p" + N(i);
                    pending.Add(new Pending(Db.Lists.PushRightAsync(key, B(pushed))));
                    model.Add(pushed);
                    expected.Add(N(model.Count));
                    break;
            }
        }

        Assert.Equal(expected, await Results(pending));
        Assert.Equal(a, All("a"));
        Assert.Equal(b, All("b"));
    }

    private List<string> All(string key)
    {
        var all = new List<string>();
        Db.Lists.ForEach(B(key), 0, -1, e => all.Add(System.Text.Encoding.UTF8.GetString(e)));
        return all;
    }

    // Every command is issued before the first is awaited, so the writer applies them as one batch.
    private static async Task<List<string?>> Results(List<Pending> pending)
    {
        var results = new List<string?>(pending.Count);
        foreach (Pending p in pending)
        {
            results.Add(await p.Result());
        }

        return results;
    }

    private readonly struct Pending
    {
        private readonly ValueTask<KiwiValue> _value;
        private readonly ValueTask<long> _count;
        private readonly ValueTask _done;
        private readonly int _kind;

        public Pending(ValueTask<KiwiValue> value) => (_value, _kind) = (value, 0);

        public Pending(ValueTask<long> count) => (_count, _kind) = (count, 1);

        public Pending(ValueTask done) => (_done, _kind) = (done, 2);

        public async Task<string?> Result()
        {
            switch (_kind)
            {
                case 0:
                    return await Text(_value);
                case 1:
                    return N((int)await _count);
                default:
                    await _done;
                    return null;
            }
        }
    }
}
