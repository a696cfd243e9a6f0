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
internal sealed class TerminatedStream(Stream inner) : ReadOnlyStreamWrapper(inner)
{
    private static readonly byte[] Terminator = "\n\n"u8.ToArray();
    private int _terminatorSent = -1;

    public override int Read(Span<byte> buffer)
    {
        if (_terminatorSent < 0)
        {
            int read;
            try
            {
                read = Inner.Read(buffer);
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
                read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
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
