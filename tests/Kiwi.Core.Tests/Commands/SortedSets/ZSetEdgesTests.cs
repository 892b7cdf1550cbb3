using Kiwi.Core.Commands.SortedSets;

namespace Kiwi.Core.Tests.Commands.SortedSets;

/// <summary>The writer's seek bounds of popped sorted sets: they only ever narrow a walk to where live entries can be.</summary>
public sealed class ZSetEdgesTests
{
    private static readonly byte[] s_start = [ZSetKeys.ScoreTag];
    private static readonly byte[] s_end = [ZSetKeys.ScoreTag + 1];

    [Fact]
    public void Without_a_pop_walks_start_where_asked()
    {
        using var edges = new ZSetEdges();
        Assert.Equal(s_start, edges.Floor(7, s_start).ToArray());
        Assert.Equal(s_end, edges.Ceiling(7, s_end).ToArray());
        edges.Inserted(7, [ZSetKeys.ScoreTag, 5]);
        Assert.Equal(s_start, edges.Floor(7, s_start).ToArray());
    }

    [Fact]
    public void A_pop_moves_the_start_and_an_insert_below_moves_it_back()
    {
        using var edges = new ZSetEdges();
        edges.Popped(7, [ZSetKeys.ScoreTag, 10], top: false);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 10 }, edges.Floor(7, s_start).ToArray());
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 20 }, edges.Floor(7, [ZSetKeys.ScoreTag, 20]).ToArray());
        Assert.Equal(s_start, edges.Floor(8, s_start).ToArray());
        Assert.Equal(s_end, edges.Ceiling(7, s_end).ToArray());

        edges.Inserted(7, [ZSetKeys.ScoreTag, 30]);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 10 }, edges.Floor(7, s_start).ToArray());
        edges.Inserted(7, [ZSetKeys.ScoreTag, 4]);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 4 }, edges.Floor(7, s_start).ToArray());
    }

    [Fact]
    public void A_pop_from_the_top_moves_the_end_and_an_insert_at_or_above_it_moves_it_past_that_entry()
    {
        using var edges = new ZSetEdges();
        edges.Popped(7, [ZSetKeys.ScoreTag, 90], top: true);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 90 }, edges.Ceiling(7, s_end).ToArray());
        edges.Inserted(7, [ZSetKeys.ScoreTag, 90]);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 90, 0 }, edges.Ceiling(7, s_end).ToArray());
        edges.Inserted(7, [ZSetKeys.ScoreTag, 50]);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 90, 0 }, edges.Ceiling(7, s_end).ToArray());
        Assert.Equal(s_start, edges.Floor(7, s_start).ToArray());
    }

    [Fact]
    public void Clear_forgets_every_bound()
    {
        using var edges = new ZSetEdges();
        edges.Popped(7, [ZSetKeys.ScoreTag, 10], top: false);
        edges.Popped(7, [ZSetKeys.ScoreTag, 90], top: true);
        edges.Clear();
        Assert.Equal(s_start, edges.Floor(7, s_start).ToArray());
        Assert.Equal(s_end, edges.Ceiling(7, s_end).ToArray());
        edges.Popped(9, [ZSetKeys.ScoreTag, 1], top: false);
        Assert.Equal(new byte[] { ZSetKeys.ScoreTag, 1 }, edges.Floor(9, s_start).ToArray());
    }
}
