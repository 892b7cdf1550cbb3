namespace Kiwi.Core.Commands.SortedSets;

/// <summary>A score interval as ZRANGEBYSCORE, ZCOUNT and ZREMRANGEBYSCORE take it (<c>zslParseRange</c>).</summary>
internal readonly struct ZScoreRange
{
    private ZScoreRange(double min, bool minExclusive, double max, bool maxExclusive)
    {
        Min = min;
        MinExclusive = minExclusive;
        Max = max;
        MaxExclusive = maxExclusive;
    }

    /// <summary>The lower bound.</summary>
    public double Min { get; }

    /// <summary>True for "(min".</summary>
    public bool MinExclusive { get; }

    /// <summary>The upper bound.</summary>
    public double Max { get; }

    /// <summary>True for "(max".</summary>
    public bool MaxExclusive { get; }

    /// <summary>True when no score can be inside (Redis answers such a range at once).</summary>
    public bool IsEmpty => Min > Max || (Min == Max && (MinExclusive || MaxExclusive));

    /// <summary>Parses min and max; false means Redis's "min or max is not a float".</summary>
    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out ZScoreRange range)
    {
        range = default;
        if (!TryBound(min, out double low, out bool lowExclusive) || !TryBound(max, out double high, out bool highExclusive))
        {
            return false;
        }

        range = new ZScoreRange(low, lowExclusive, high, highExclusive);
        return true;
    }

    /// <summary>True when <paramref name="score"/> is at or above the lower bound.</summary>
    public bool AboveMin(double score) => MinExclusive ? score > Min : score >= Min;

    /// <summary>True when <paramref name="score"/> is at or below the upper bound.</summary>
    public bool BelowMax(double score) => MaxExclusive ? score < Max : score <= Max;

    private static bool TryBound(ReadOnlySpan<byte> text, out double value, out bool exclusive)
    {
        exclusive = !text.IsEmpty && text[0] == (byte)'(';
        return ZScore.TryParseBound(exclusive ? text[1..] : text, out value);
    }
}

/// <summary>A member interval as ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX take it (<c>zslParseLexRange</c>).</summary>
internal readonly ref struct ZLexRange
{
    private enum Bound : byte
    {
        Value,
        MinusInfinity,
        PlusInfinity,
    }

    private readonly ReadOnlySpan<byte> _min;
    private readonly ReadOnlySpan<byte> _max;
    private readonly Bound _minKind;
    private readonly Bound _maxKind;
    private readonly bool _minExclusive;
    private readonly bool _maxExclusive;

    private ZLexRange(ReadOnlySpan<byte> min, Bound minKind, bool minExclusive, ReadOnlySpan<byte> max, Bound maxKind, bool maxExclusive)
    {
        _min = min;
        _minKind = minKind;
        _minExclusive = minExclusive;
        _max = max;
        _maxKind = maxKind;
        _maxExclusive = maxExclusive;
    }

    /// <summary>Parses min and max ("-", "+", "[x", "(x"); false means Redis's "min or max not valid string range item".</summary>
    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out ZLexRange range)
    {
        range = default;
        if (!TryItem(min, out ReadOnlySpan<byte> low, out Bound lowKind, out bool lowExclusive)
            || !TryItem(max, out ReadOnlySpan<byte> high, out Bound highKind, out bool highExclusive))
        {
            return false;
        }

        range = new ZLexRange(low, lowKind, lowExclusive, high, highKind, highExclusive);
        return true;
    }

    /// <summary>True when no member can be inside (<c>zslIsInLexRange</c>'s first test).</summary>
    public bool IsEmpty
    {
        get
        {
            int cmp = Compare(_min, _minKind, _max, _maxKind);
            return cmp > 0 || (cmp == 0 && (_minExclusive || _maxExclusive));
        }
    }

    /// <summary>True when <paramref name="member"/> is at or above the lower bound.</summary>
    public bool AboveMin(ReadOnlySpan<byte> member)
    {
        int cmp = Compare(member, Bound.Value, _min, _minKind);
        return _minExclusive ? cmp > 0 : cmp >= 0;
    }

    /// <summary>True when <paramref name="member"/> is at or below the upper bound.</summary>
    public bool BelowMax(ReadOnlySpan<byte> member)
    {
        int cmp = Compare(member, Bound.Value, _max, _maxKind);
        return _maxExclusive ? cmp < 0 : cmp <= 0;
    }

    private static bool TryItem(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> value, out Bound kind, out bool exclusive)
    {
        value = default;
        kind = Bound.Value;
        exclusive = true;
        if (text.IsEmpty)
        {
            return false;
        }

        switch (text[0])
        {
            case (byte)'+':
                kind = Bound.PlusInfinity;
                return text.Length == 1;
            case (byte)'-':
                kind = Bound.MinusInfinity;
                return text.Length == 1;
            case (byte)'(':
                value = text[1..];
                return true;
            case (byte)'[':
                value = text[1..];
                exclusive = false;
                return true;
            default:
                return false;
        }
    }

    // sdscmplex: the two infinities compare to everything (and equal to themselves), values by bytes.
    private static int Compare(ReadOnlySpan<byte> a, Bound aKind, ReadOnlySpan<byte> b, Bound bKind)
    {
        if (aKind == bKind && aKind != Bound.Value)
        {
            return 0;
        }

        if (aKind == Bound.MinusInfinity || bKind == Bound.PlusInfinity)
        {
            return -1;
        }

        if (aKind == Bound.PlusInfinity || bKind == Bound.MinusInfinity)
        {
            return 1;
        }

        return a.SequenceCompareTo(b);
    }
}
