using System.Buffers;
using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <content>CLIENT REPLY ON|OFF|SKIP: commands run as usual, their replies (and their writes' replies) are dropped.</content>
internal sealed partial class ClientSession
{
    private bool _replyOff;
    private bool _replySkip;
    private bool _replySkipNext;

    // True while a command whose reply is dropped runs: its writes in flight are marked to be dropped too.
    private bool _quietCommand;
    private DiscardWriter? _discard;

    /// <summary>CLIENT REPLY ON: replies are sent again, from this command's on.</summary>
    internal void RepliesOn()
    {
        _replyOff = false;
        _replySkip = false;
        _replySkipNext = false;
    }

    /// <summary>CLIENT REPLY OFF: no reply, this command's included, until CLIENT REPLY ON.</summary>
    internal void RepliesOff() => _replyOff = true;

    /// <summary>CLIENT REPLY SKIP: no reply to this command nor to the next one (ignored while replies are off).</summary>
    internal void SkipNextReply() => _replySkipNext = !_replyOff;

    private void Execute(CommandSpec? spec, RespWriter writer)
    {
        if (!_replyOff && !_replySkip && !IsReplyCommand(spec))
        {
            ExecuteCore(spec, writer);
            return;
        }

        ExecuteQuietly(spec, writer);
    }

    // CLIENT (REPLY) may change the mode: it takes the slow path, which decides after the command ran.
    private static bool IsReplyCommand(CommandSpec? spec) => ReferenceEquals(spec, s_clientSpec);

    private static readonly CommandSpec? s_clientSpec = CommandTable.Find("client"u8);

    private void ExecuteQuietly(CommandSpec? spec, RespWriter writer)
    {
        bool wasOn = !_replyOff && !_replySkip;
        bool quiet = !wasOn;
        _quietCommand = quiet;
        _discard ??= new DiscardWriter();
        try
        {
            ExecuteCore(spec, quiet ? new RespWriter(_discard, Protocol, this) : writer);
        }
        finally
        {
            _quietCommand = false;
        }

        if (quiet && !_replyOff && !_replySkip)
        {
            // CLIENT REPLY ON ran while replies were off: its +OK is the first reply sent again.
            writer.WriteOk();
        }

        _replySkip = false;
        if (_replySkipNext)
        {
            _replySkip = true;
            _replySkipNext = false;
        }
    }

    /// <summary>Swallows replies that are not to be sent.</summary>
    private sealed class DiscardWriter : IBufferWriter<byte>
    {
        private byte[] _scratch = new byte[256];

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            }

            return _scratch;
        }
    }
}
