using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

// Without --job the suite runs a short custom job so it fits in a few minutes on a small machine.
// BenchmarkDotNet prefers a default job from the config over --job, so it is only added when none is named.
IConfig config = DefaultConfig.Instance;
if (!args.Any(a => a is "-j" || a.StartsWith("--job", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithId("Quick").AsDefault());
}

// --fail-on-alloc (ours, not BenchmarkDotNet's): exit with 1 when any benchmark allocated, as the hot paths
// measured here must not.
const string FailOnAlloc = "--fail-on-alloc";
bool gate = args.Contains(FailOnAlloc);
IEnumerable<Summary> summaries = BenchmarkSwitcher
    .FromAssembly(typeof(Program).Assembly)
    .Run([.. args.Where(a => a != FailOnAlloc)], config);

if (!gate)
{
    return 0;
}

int failures = 0;
foreach (Summary summary in summaries)
{
    foreach (BenchmarkReport report in summary.Reports)
    {
        long? bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        if (!report.Success || bytes is null or > 0)
        {
            Console.Error.WriteLine($"{FailOnAlloc}: {report.BenchmarkCase.DisplayInfo} allocated {bytes?.ToString() ?? "?"} B/op{(report.Success ? "" : " (failed)")}");
            failures++;
        }
    }
}

return failures == 0 ? 0 : 1;
