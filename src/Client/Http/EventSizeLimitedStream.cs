using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Passes a server-sent event stream through, counting the bytes of the event being received (from
/// the blank line that ended the one before), and fails as soon as one event is larger than the
/// limit: the SSE parser buffers a whole event, so without a limit one endless event takes all
/// memory (issue 16 measured 1.4 GB for a 300 MB event). The count is checked before the bytes reach
/// the parser, so the parser never holds more than the limit.
/// </summary>
internal sealed class EventSizeLimitedStream(Stream inner, long maxEventBytes) : ReadOnlyStreamWrapper(inner)
{
    private long _eventBytes;
    private bool _atLineStart = true;
    private bool _afterCarriageReturn;

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Count(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }


    /// <summary>Follows the SSE line rules (CR, LF or CRLF end a line; an empty line ends an event) over the bytes read.</summary>
    private void Count(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            Check();
            return;
        }

        // Bytes that cannot reach the limit even as one event need no check on the way: only the state
        // after them, which the last empty line in them and their last byte give. Found from the end,
        // that is one short search per read instead of one per line (two per chat chunk): about 360
        // instructions per chunk under callgrind (bench/Micro --stream-loop ours).
        if (_eventBytes + bytes.Length <= maxEventBytes)
        {
            var lastEmpty = LastEmptyLine(bytes);
            _eventBytes = lastEmpty < 0 ? _eventBytes + bytes.Length : bytes.Length - lastEmpty - 1;
            var last = bytes[^1];
            _afterCarriageReturn = last == (byte)'\r';
            _atLineStart = last is (byte)'\r' or (byte)'\n';
            return;
        }

        CountLines(bytes);
    }

    /// <summary>
    /// Where the line end of the last empty line in <paramref name="bytes"/> starts, or -1: a CR or
    /// LF right after the end of a line (an LF after a CR being that CR's CRLF), or at the start of
    /// the bytes when the bytes before ended a line.
    /// </summary>
    private int LastEmptyLine(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (true)
        {
            var at = bytes[..end].LastIndexOfAny((byte)'\r', (byte)'\n');
            if (at < 0)
            {
                return -1;
            }

            bool empty;
            if (at == 0)
            {
                empty = _atLineStart && !(_afterCarriageReturn && bytes[0] == (byte)'\n');
            }
            else
            {
                var before = bytes[at - 1];
                empty = before is (byte)'\r' or (byte)'\n' && !(before == (byte)'\r' && bytes[at] == (byte)'\n');
            }

            if (empty)
            {
                return at;
            }

            end = at;
        }
    }

    private void CountLines(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (bytes[0] == (byte)'\n')
                {
                    // The LF of a CRLF: the same line ending.
                    _eventBytes++;
                    bytes = bytes[1..];
                    continue;
                }
            }

            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                _eventBytes += bytes.Length;
                _atLineStart = false;
                break;
            }

            if (end > 0)
            {
                _atLineStart = false;
            }

            _eventBytes += end + 1;
            Check();
            if (_atLineStart)
            {
                _eventBytes = 0; // an empty line: the event is complete
            }

            _atLineStart = true;
            _afterCarriageReturn = bytes[end] == (byte)'\r';
            bytes = bytes[(end + 1)..];
        }

        Check();
    }

    private void Check()
    {
        if (_eventBytes > maxEventBytes)
        {
            throw new InvalidDataException($"A stream event is larger than the client's MaxEventBytes ({maxEventBytes} bytes); the stream was stopped.");
        }
    }
}
