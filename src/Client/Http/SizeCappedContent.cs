using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Http;

/// <summary>
/// An answer's content that refuses to deliver more than <see cref="InferenceClientOptions.MaxResponseBytes"/>,
/// however it is read (buffered by Refit's serializer, or as a stream the caller reads): the transport's
/// size cap for responses that leave the transport unread.
/// </summary>
internal sealed class SizeCappedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _limit;
    private readonly Func<HfHubHttpException> _tooLarge;
    private readonly long? _length;
    private bool _exceeded;

    public SizeCappedContent(HttpContent inner, long limit, Func<HfHubHttpException> tooLarge)
    {
        _inner = inner;
        _length = inner.Headers.ContentLength;
        _limit = limit;
        _tooLarge = tooLarge;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = CreateContentReadStream(cancellationToken);
        source.CopyTo(stream);
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
    {
        if (_exceeded)
        {
            throw _tooLarge();
        }

        return new CappedStream(_inner.ReadAsStream(cancellationToken), _limit, Exceeded);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        // Refit buffers the content first and ignores a failure there: a later read must fail the same way,
        // not return what is left of a half-read body.
        if (_exceeded)
        {
            throw _tooLarge();
        }

        return new CappedStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _limit, Exceeded);
    }

    private HfHubHttpException Exceeded()
    {
        _exceeded = true;
        return _tooLarge();
    }

    protected override bool TryComputeLength(out long length)
    {
        // The inner content's declared length (asking Headers.ContentLength here would ask this method again).
        length = _length ?? 0;
        return _length != null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads through, counting; past the limit it throws instead of returning more.</summary>
    private sealed class CappedStream(Stream inner, long limit, Func<HfHubHttpException> tooLarge) : ReadOnlyStreamWrapper(inner)
    {
        private long _read;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer) => Count(Inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw tooLarge() : read;
        }
    }
}
