using Kiwi.Report;

// kiwi-report --input results.jsonl --out DIR --name NAME: reads the result lines of benches/report.sh and writes
// DIR/NAME.md with its charts DIR/NAME-*.png.
string? input = null;
string output = ".";
string name = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--input": input = args[i + 1]; break;
        case "--out": output = args[i + 1]; break;
        case "--name": name = args[i + 1]; break;
        default: Console.Error.WriteLine($"kiwi-report: unknown option {args[i]}"); return 2;
    }
}

if (input is null || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: kiwi-report --input results.jsonl [--out DIR] [--name NAME]");
    return 2;
}

Directory.CreateDirectory(output);
ResultSet results = ResultSet.Load(input);
var charts = new Charts(results, output, name);
IReadOnlyList<string> images = charts.WriteAll();
string markdown = new ReportWriter(results, images).Write();
File.WriteAllText(Path.Combine(output, name + ".md"), markdown);
Console.WriteLine($"kiwi-report: {Path.Combine(output, name + ".md")} and {images.Count} charts");
return 0;
