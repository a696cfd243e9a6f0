using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference;

/// <summary>How far a transfer is: the bytes read so far, and the total when the stream knows its length.</summary>
/// <param name="BytesTransferred">Bytes read (for a seekable stream: its position after the read).</param>
/// <param name="TotalBytes">The stream's length, or null when it cannot say.</param>
public readonly record struct TransferProgress(long BytesTransferred, long? TotalBytes);

/// <summary>
/// A read-only view of a stream that reports every read to an <see cref="IProgress{T}"/>: wrap an upload's stream in
/// it (<c>InferenceInput.FromStream(new ProgressStream(file, progress), "audio/flac")</c>) to watch the bytes leave as
/// the request body is sent. Length and seeking are the inner stream's, so the request keeps its Content-Length;
/// give the media type, or sniffing the first bytes shows as a read that is then rewound.
/// </summary>
public sealed class ProgressStream : Stream
{
    private readonly Stream _inner;
    private readonly IProgress<TransferProgress> _progress;
    private readonly bool _leaveOpen;
    private long _read;

    /// <summary>Reports the reads of <paramref name="inner"/> to <paramref name="progress"/>; <paramref name="inner"/> stays open on dispose unless <paramref name="leaveOpen"/> is false.</summary>
    /// <exception cref="ArgumentException"><paramref name="inner"/> cannot be read.</exception>
    public ProgressStream(Stream inner, IProgress<TransferProgress> progress, bool leaveOpen = true)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        if (!inner.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(inner));
        }

        _leaveOpen = leaveOpen;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _inner.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Reported(_inner.Read(buffer, offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => Reported(_inner.Read(buffer));

    /// <inheritdoc/>
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Reported(await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Reported(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <summary>Not supported: the stream is read-only.</summary>
    public override void SetLength(long value) => throw new NotSupportedException("A ProgressStream is read-only.");

    /// <summary>Not supported: the stream is read-only.</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A ProgressStream is read-only.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Reported(int read)
    {
        if (read > 0)
        {
            _read += read;
            long? total = _inner.CanSeek ? _inner.Length : null;
            _progress.Report(new TransferProgress(_inner.CanSeek ? _inner.Position : _read, total));
        }

        return read;
    }
}
