using Kiwi.Bench;

return args.Length > 0 && args[0] switch
{
    "pipeline" => true,
    "cluster" => true,
    _ => false,
}
    ? args[0] == "pipeline"
        ? await PipelineBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false)
        : await ClusterBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: kiwi-bench pipeline [--seconds 10] [--json] [--inflight 256] [--keys 1000000] [--value 32] [--warmup 2] [--dir PATH]");
    Console.Error.WriteLine("       kiwi-bench cluster [--seconds 10] [--json] [--inflight 256] [--value 32] [--warmup 2] [--dir PATH]");
    return 2;
}
