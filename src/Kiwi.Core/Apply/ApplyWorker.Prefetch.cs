using Kiwi.Core.Commands;

namespace Kiwi.Core.Apply;

// Before a batch of several entries is applied, the first key of each is announced to the engine, which starts
// loading the read-cache slots the commands are about to look up. Applied one after the other, each command would
// stall on its own slot's cache miss (a random line of a cache of tens of megabytes: a TLB and a DRAM miss, measured
// at about a sixth of an embedded SET's cost with 64 in flight); announced together, the misses overlap. Only a
// hint: an argument that is not a key, or a key the command does not read, costs one hash and changes nothing.
internal sealed partial class ApplyWorker
{
    private void PrefetchKeys(Span<ApplyRequest> batch)
    {
        foreach (ApplyRequest request in batch)
        {
            if (request.Kind != EntryKind.Normal)
            {
                continue;
            }

            var reader = new EntryReader(request.Payload.WrittenSpan);
            if (reader.IsValid && reader.TryRead(out CommandView command) && command.ArgCount > 0)
            {
                _context.Prefetch(command.Db, command.NextArg());
            }
        }
    }
}
