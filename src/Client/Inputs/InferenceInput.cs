using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Inputs;

namespace HuggingFace.Inference;

/// <summary>
/// Binary input of a task (an image, audio, a document): bytes, a stream, a file, or an http(s) URL.
/// Files and streams are sent as they are read, not buffered, when the request body is the raw
/// bytes; a URL is downloaded first, without the client's token or any of its headers.
/// </summary>
public sealed class InferenceInput
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Stream? _stream;
    private readonly long _streamStart;
    private readonly FileInfo? _file;
    private readonly Uri? _url;
    private readonly string? _contentType;

    private InferenceInput(ReadOnlyMemory<byte> bytes, Stream? stream, FileInfo? file, Uri? url, string? contentType)
    {
        _bytes = bytes;
        _stream = stream;
        _file = file;
        _url = url;
        _contentType = string.IsNullOrWhiteSpace(contentType) ? null : contentType;
        if (stream is { CanSeek: true })
        {
            _streamStart = stream.Position;
        }
    }

    /// <summary>Bytes in memory (not copied).</summary>
    /// <exception cref="ArgumentException">The bytes are empty.</exception>
    public static InferenceInput FromBytes(ReadOnlyMemory<byte> bytes, string? contentType = null) =>
        bytes.IsEmpty ? throw new ArgumentException("The input is empty.", nameof(bytes)) : new(bytes, null, null, null, contentType);

    /// <summary>A readable stream, read when the request is sent; the caller keeps ownership and disposes it.</summary>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    public static InferenceInput FromStream(Stream stream, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.CanRead ? new(default, stream, null, null, contentType) : throw new ArgumentException("The stream cannot be read.", nameof(stream));
    }

    /// <summary>A file, opened when the request is sent.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The path is a directory, or the file is empty.</exception>
    public static InferenceInput FromFile(FileInfo file, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Directory.Exists(file.FullName))
        {
            throw new ArgumentException($"'{file.FullName}' is a directory, not a file.", nameof(file));
        }

        file.Refresh();
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The input file '{file.FullName}' does not exist.", file.FullName);
        }

        if (file.Length == 0)
        {
            throw new ArgumentException($"The input file '{file.FullName}' is empty.", nameof(file));
        }

        return new(default, null, file, null, contentType ?? MediaTypes.FromFileName(file.Name));
    }

    /// <summary>An http(s) URL, downloaded when the request is sent, without the client's token or headers.</summary>
    /// <exception cref="ArgumentException">The URL is not absolute http or https (file:, ftp: … are refused).</exception>
    public static InferenceInput FromUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Only http and https URLs can be inputs, not '{url}'.", nameof(url));
        }

        return new(default, null, null, url, MediaTypes.FromFileName(url.AbsolutePath));
    }

    /// <summary>A string is an http(s) URL when it starts with one of those schemes, else a file path.</summary>
    public static InferenceInput From(string pathOrUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrUrl);
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeFile)
        {
            return FromUrl(uri);
        }

        return FromFile(new FileInfo(pathOrUrl));
    }

    /// <summary>The media type given or found so far (file extension); the bytes decide when it is unknown.</summary>
    public string? ContentType => _contentType;

    /// <summary>Bytes in memory.</summary>
    public static implicit operator InferenceInput(byte[] bytes) => FromBytes(bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <summary>Bytes in memory.</summary>
    public static implicit operator InferenceInput(ReadOnlyMemory<byte> bytes) => FromBytes(bytes);

    /// <summary>A readable stream.</summary>
    public static implicit operator InferenceInput(Stream stream) => FromStream(stream);

    /// <summary>A file.</summary>
    public static implicit operator InferenceInput(FileInfo file) => FromFile(file);

    /// <summary>An http(s) URL.</summary>
    public static implicit operator InferenceInput(Uri url) => FromUrl(url);

    /// <summary>An http(s) URL or a file path.</summary>
    public static implicit operator InferenceInput(string pathOrUrl) => From(pathOrUrl);

    /// <inheritdoc/>
    public override string ToString() =>
        _url != null ? $"InferenceInput(url {_url.GetLeftPart(UriPartial.Path)})"
        : _file != null ? $"InferenceInput(file {_file.Name})"
        : _stream != null ? "InferenceInput(stream)"
        : $"InferenceInput({_bytes.Length} bytes)";

    /// <summary>The URL, when the input is one.</summary>
    internal Uri? Url => _url;

    /// <summary>Whether a request with this body can be sent again (for 503 "loading" retries).</summary>
    internal bool CanResend => _stream == null || _stream.CanSeek;

    /// <summary>The raw request body; called once per attempt. Files and streams are streamed, URLs downloaded once.</summary>
    internal async ValueTask<Func<HttpContent>> PrepareRawAsync(InferenceTransport transport, bool async, CancellationToken cancellationToken)
    {
        if (_url != null)
        {
            var (bytes, downloadedType) = await transport.DownloadAsync(_url, async, cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                throw new InvalidOperationException($"The input URL {_url.GetLeftPart(UriPartial.Path)} answered with no content.");
            }

            var type = _contentType ?? NotGeneric(downloadedType) ?? MediaTypes.Sniff(bytes);
            return () => WithType(new ByteArrayContent(bytes), type);
        }

        if (_file != null)
        {
            var type = _contentType ?? SniffFile(_file);
            return () => WithType(new StreamContent(_file.OpenRead(), 81920), type);
        }

        if (_stream != null)
        {
            var type = _contentType ?? SniffStream(_stream);
            var sent = false;
            return () =>
            {
                if (sent)
                {
                    if (!_stream.CanSeek)
                    {
                        throw new InvalidOperationException("The input stream cannot be read again to retry the request; pass a seekable stream, a file or bytes.");
                    }

                    _stream.Position = _streamStart;
                }

                sent = true;
                return WithType(new NonDisposingStreamContent(_stream), type);
            };
        }

        var memoryType = _contentType ?? MediaTypes.Sniff(_bytes.Span);
        return () => WithType(new ReadOnlyMemoryContent(_bytes), memoryType);
    }

    /// <summary>All the bytes, for bodies that carry the input as base64 JSON. Only URLs need the transport.</summary>
    internal async ValueTask<byte[]> ReadAllAsync(InferenceTransport? transport, bool async, CancellationToken cancellationToken)
    {
        if (_url != null)
        {
            if (transport == null)
            {
                throw new InvalidOperationException("A URL input is downloaded by a client.");
            }

            return (await transport.DownloadAsync(_url, async, cancellationToken).ConfigureAwait(false)).Bytes;
        }

        if (_file != null)
        {
            return async ? await File.ReadAllBytesAsync(_file.FullName, cancellationToken).ConfigureAwait(false) : File.ReadAllBytes(_file.FullName);
        }

        if (_stream != null)
        {
            using var buffer = new MemoryStream();
            if (async)
            {
                await _stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _stream.CopyTo(buffer);
            }

            if (buffer.Length == 0)
            {
                throw new InvalidOperationException("The input stream is empty.");
            }

            return buffer.ToArray();
        }

        return _bytes.ToArray();
    }

    private static HttpContent WithType(HttpContent content, string type)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static string? NotGeneric(string? type) => type is null or MediaTypes.OctetStream ? null : type;

    private static string SniffFile(FileInfo file)
    {
        Span<byte> head = stackalloc byte[16];
        using var stream = file.OpenRead();
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return MediaTypes.Sniff(head[..read]);
    }

    private string SniffStream(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return MediaTypes.OctetStream;
        }

        Span<byte> head = stackalloc byte[16];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = _streamStart;
        return MediaTypes.Sniff(head[..read]);
    }

    /// <summary>The caller owns the stream; the request must not dispose it.</summary>
    private sealed class NonDisposingStreamContent(Stream stream) : StreamContent(new KeepOpenStream(stream));

    private sealed class KeepOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
