using System.Globalization;
using System.Text;
using HdrHistogram;

namespace Kiwi.Bench;

/// <summary>
/// One machine-readable result: a flat JSON object on one line, so a script can append lines of several runs to
/// one file and <c>kiwi-report</c> read them back. Names and tags are written as given (no escaping needed for
/// the identifiers and labels the benches use; a quote or backslash in a tag is dropped).
/// </summary>
internal sealed class ResultLine
{
    private readonly StringBuilder _text = new("{");

    public ResultLine(string kind, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        Add("kind", kind);
        foreach ((string name, string value) in tags)
        {
            Add(name, value);
        }
    }

    public ResultLine Add(string name, string value)
    {
        Separate(name);
        _text.Append('"').Append(value.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal)).Append('"');
        return this;
    }

    public ResultLine Add(string name, double value, string format = "F1")
    {
        Separate(name);
        _text.Append(double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "null");
        return this;
    }

    /// <summary>p50, p95, p99, p99.9 and max of a histogram of nanoseconds, in microseconds.</summary>
    public ResultLine AddPercentiles(LongHistogram nanoseconds)
    {
        if (nanoseconds.TotalCount == 0)
        {
            return this;
        }

        Add("p50_us", nanoseconds.GetValueAtPercentile(50) / 1e3, "F2");
        Add("p95_us", nanoseconds.GetValueAtPercentile(95) / 1e3, "F2");
        Add("p99_us", nanoseconds.GetValueAtPercentile(99) / 1e3, "F2");
        Add("p999_us", nanoseconds.GetValueAtPercentile(99.9) / 1e3, "F2");
        return Add("max_us", nanoseconds.GetMaxValue() / 1e3, "F2");
    }

    public override string ToString() => _text.ToString() + "}";

    private void Separate(string name)
    {
        if (_text.Length > 1)
        {
            _text.Append(',');
        }

        _text.Append('"').Append(name).Append("\":");
    }
}
