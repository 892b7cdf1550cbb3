using System.Globalization;
using System.Text.Json;

namespace Kiwi.Report;

/// <summary>One result line: a flat JSON object as kiwi-bench and benches/report.sh write them.</summary>
internal sealed class Result(Dictionary<string, JsonElement> fields)
{
    public string Kind => Text("kind");

    public string System => Text("system");

    public string Durability => Text("durability");

    public string Group => Text("group");

    public string Commands => Text("commands");

    public int Pipeline => (int)Number("pipeline");

    public int Connections => (int)Number("connections");

    public double OpsPerSecond => Number("ops_per_sec");

    public string Text(string name) => fields.TryGetValue(name, out JsonElement e)
        ? e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.ToString()
        : string.Empty;

    public double Number(string name) => fields.TryGetValue(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number
        ? e.GetDouble()
        : double.NaN;
}

/// <summary>All lines of one run, with the look-ups the report makes.</summary>
internal sealed class ResultSet
{
    private readonly List<Result> _results;

    private ResultSet(List<Result> results) => _results = results;

    public static ResultSet Load(string path)
    {
        var results = new List<Result>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.TrimStart().StartsWith('{'))
            {
                results.Add(new Result(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line) ?? []));
            }
        }

        return new ResultSet(results);
    }

    /// <summary>The value of a <c>meta</c> line, or "?".</summary>
    public string Meta(string name) =>
        _results.FirstOrDefault(r => r.Kind == "meta" && r.Text("name") == name)?.Text("value") is { Length: > 0 } v ? v : "?";

    public IEnumerable<Result> Where(Func<Result, bool> predicate) => _results.Where(predicate);

    /// <summary>
    /// The matrix run of one system, durability, command and depth (50 connections), or null: of the rounds, the
    /// one with the most ops/s (on a shared machine the others lost time to other processes).
    /// </summary>
    public Result? Matrix(string system, string durability, string command, int pipeline) =>
        _results.Where(r => r.Kind == "server" && r.Group == "matrix" && r.System == system && r.Durability == durability
            && r.Commands == command && r.Pipeline == pipeline).MaxBy(r => r.OpsPerSecond);

    /// <summary>Systems in the matrix, in the order they ran.</summary>
    public IReadOnlyList<string> Systems => [.. _results.Where(r => r.Group == "matrix").Select(r => r.System).Distinct()];

    /// <summary>Durabilities in the matrix, weakest first.</summary>
    public IReadOnlyList<string> Durabilities => [.. _results.Where(r => r.Group == "matrix").Select(r => r.Durability).Distinct()
        .OrderBy(d => d switch { "none" => 0, "everysec" => 1, "always" => 2, _ => 3 })];

    /// <summary>Commands in the matrix, in the order they ran.</summary>
    public IReadOnlyList<string> Commands => [.. _results.Where(r => r.Group == "matrix").Select(r => r.Commands).Distinct()];

    public static string Format(double value, string format = "N0") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
