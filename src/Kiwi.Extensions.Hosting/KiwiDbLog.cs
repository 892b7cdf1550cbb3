using System.Net;
using Kiwi.Core.Apply;
using Microsoft.Extensions.Logging;

namespace Kiwi.Extensions.Hosting;

/// <summary>The log messages of the hosting, one event id each (category <c>Kiwi.Extensions.Hosting.*</c>).</summary>
internal static partial class KiwiDbLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "KiwiDb opened at {Path} (durability {Durability}, {Mode}, applied index {AppliedIndex})")]
    public static partial void Opened(ILogger logger, string path, Durability durability, string mode, long appliedIndex);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "KiwiDb closed (applied index {AppliedIndex})")]
    public static partial void Closed(ILogger logger, long appliedIndex);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "KiwiDb could not be opened at {Path}")]
    public static partial void OpenFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "KiwiDb: {Failed} write batches failed to commit to storage ({Total} since open); their commands failed and nothing of them was applied")]
    public static partial void BatchesFailed(ILogger logger, long failed, long total);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "KiwiDb: the writer thread is not running; writes will not be applied")]
    public static partial void WriterStopped(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "KiwiDb Raft: leader {Leader} at term {Term}; this node ({Self}) is {Role}")]
    public static partial void LeaderChanged(ILogger logger, EndPoint leader, long term, EndPoint self, string role);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "KiwiDb Raft: no leader known at term {Term} (was {Previous}); writes wait, then fail with CLUSTERDOWN")]
    public static partial void LeaderLost(ILogger logger, long term, EndPoint previous);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "KiwiDb: the engine event monitor failed; events are no longer logged")]
    public static partial void MonitorFailed(ILogger logger, Exception exception);
}
