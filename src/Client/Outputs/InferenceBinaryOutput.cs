using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference;

/// <summary>A binary answer (an image, audio): its bytes and media type.</summary>
public sealed class InferenceBinaryOutput
{
    /// <summary>Wraps an answer's bytes.</summary>
    public InferenceBinaryOutput(ReadOnlyMemory<byte> bytes, string? contentType)
    {
        Bytes = bytes;
        ContentType = contentType;
    }

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The media type the server gave (<c>image/png</c>, <c>audio/flac</c>), if any.</summary>
    public string? ContentType { get; }

    /// <summary>A read-only stream over the bytes.</summary>
    public Stream OpenRead() => new MemoryStream(Bytes.ToArray(), writable: false);

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Writes the bytes to a file, replacing it.</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await file.WriteAsync(Bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => $"InferenceBinaryOutput({Bytes.Length} bytes, {ContentType ?? "unknown type"})";
}
