using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Ends an event stream with a blank line. The SSE rules drop a last event that no blank line ends,
/// and some servers (and recordings) end without one: "nothing is lost" wins, as in the Python
/// client, and a stream cut mid-event surfaces as a JSON error instead of a silently missing event.
/// </summary>
internal sealed class TerminatedStream(Stream inner) : Stream
{
    private static readonly byte[] Terminator = "\n\n"u8.ToArray();
    private int _terminatorSent = -1;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_terminatorSent < 0)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (IOException failure)
            {
                throw Failed(failure);
            }

            if (read > 0 || buffer.Length == 0)
            {
                return read;
            }

            _terminatorSent = 0;
        }

        return CopyTerminator(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_terminatorSent < 0)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException failure)
            {
                throw Failed(failure);
            }

            if (read > 0 || buffer.Length == 0)
            {
                return read;
            }

            _terminatorSent = 0;
        }

        return CopyTerminator(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A connection lost mid-stream is a network failure, reported as the rest of the client reports them.</summary>
    private static HttpRequestException Failed(IOException failure) =>
        new(HttpRequestError.ResponseEnded, "The connection failed in the middle of the stream: " + failure.Message, failure);

    private int CopyTerminator(Span<byte> buffer)
    {
        var remaining = Terminator.Length - _terminatorSent;
        var count = Math.Min(remaining, buffer.Length);
        Terminator.AsSpan(_terminatorSent, count).CopyTo(buffer);
        _terminatorSent += count;
        return count;
    }
}
