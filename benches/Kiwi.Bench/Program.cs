using Kiwi.Bench;

return args.Length == 0
    ? Usage()
    : args[0] switch
    {
        "pipeline" => await PipelineBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false),
        "cluster" => await ClusterBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false),
        "scale" => await ScaleBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false),
        "server" => await ServerBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false),
        "embedded" => await EmbeddedBench.RunAsync(BenchArgs.Parse(args[1..])).ConfigureAwait(false),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: kiwi-bench pipeline [--seconds 10] [--json] [--inflight 256] [--keys 1000000] [--value 32] [--warmup 2] [--dir PATH] [--read-cache 64mb]");
    Console.Error.WriteLine("       kiwi-bench cluster [--seconds 10] [--json] [--inflight 256] [--value 32] [--warmup 2] [--dir PATH]");
    Console.Error.WriteLine("       kiwi-bench scale [--keys 10000000] [--value 200] [--clients 50] [--seconds 10] [--warmup 2] [--phases hit,miss,set,mixed] [--mix 70,10,20] [--values random|repeated] [--json]");
    Console.Error.WriteLine("                        [--block-cache 64mb,1gb | --cache-ratios 1,0.25,0.0625] [--port N] [--dir PATH]");
    Console.Error.WriteLine("                        [--server PATH] [--server-args \"--read-cache-size 0\"] [--load-server-args \"--rocksdb-options disable_auto_compactions=true\"]");
    Console.Error.WriteLine("                        [--dir PATH --reuse] [--prewarm] [--no-settle] [--report-every SECONDS] | --target --port N");
    Console.Error.WriteLine("       kiwi-bench server --port N [--clients 50] [--pipeline 1] [--commands SET,GET,HSET,LPUSH,ZADD] [--keys 100000] [--value 32]");
    Console.Error.WriteLine("                         [--seconds 10] [--warmup 2] [--json] [--tag name=value ...]   (any RESP server on 127.0.0.1)");
    Console.Error.WriteLine("       kiwi-bench embedded [--seconds 10] [--warmup 2] [--json] [--tag name=value ...] [--dir PATH]");
    return 2;
}
