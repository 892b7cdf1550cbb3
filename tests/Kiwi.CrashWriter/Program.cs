// A child process for crash tests: writes keys through KiwiDb with many in flight and prints "ack N" for
// every acknowledged write, until it is killed. The test then reopens the directory and checks every ack.
using System.Globalization;
using Kiwi.Core;
using Kiwi.Core.Apply;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Kiwi.CrashWriter DIR always|everysec|no [inflight]");
    return 2;
}

Durability durability = args[1] switch
{
    "always" => Durability.Always,
    "no" => Durability.No,
    _ => Durability.EverySec,
};
int inflight = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;

using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = args[0], Durability = durability, ActiveExpiry = false });
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var gate = new Lock();
long next = 0;
Console.Out.Flush();

var writers = new Task[inflight];
for (int w = 0; w < inflight; w++)
{
    writers[w] = Task.Run(async () =>
    {
        while (true)
        {
            long n = Interlocked.Increment(ref next);
            await db.SetAsync("k" + n.ToString(CultureInfo.InvariantCulture), "v" + n.ToString(CultureInfo.InvariantCulture));
            lock (gate)
            {
                // An ack is printed only after the write is acknowledged.
                output.Write("ack ");
                output.WriteLine(n);
                output.Flush();
            }
        }
    });
}

await Task.WhenAll(writers);
return 0;
