using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// Answers an attacker or a broken server gives, for the reliability tests: bodies far larger than
/// any cap (written as they are sent, never held), a decompression bomb, and headers that ask for
/// absurd waits. Each is a <see cref="ScriptedResponse"/> to <see cref="InferenceTestServer.Enqueue"/>.
/// </summary>
public static class HostileAnswers
{
    private const int Block = 1024 * 1024;

    /// <summary>
    /// <paramref name="bytes"/> bytes of <paramref name="fill"/> sent chunked (no Content-Length, so a
    /// client cannot refuse it up front), 1 MiB at a time, until done or the client leaves.
    /// </summary>
    public static ScriptedResponse Endless(long bytes, string contentType = "application/octet-stream", byte fill = (byte)'a') => new()
    {
        ContentType = contentType,
        WriteBody = async (body, cancellationToken) =>
        {
            var block = new byte[Block];
            Array.Fill(block, fill);
            for (var sent = 0L; sent < bytes; sent += block.Length)
            {
                await body.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)), cancellationToken).ConfigureAwait(false);
            }
        },
    };

    /// <summary>
    /// A gzip body (<c>Content-Encoding: gzip</c>) that inflates to <paramref name="decompressedBytes"/>
    /// zeros (1 GiB is about 1 MB on the wire): concatenated gzip members of 64 MiB each, which any
    /// gzip reader decodes as one body.
    /// </summary>
    public static ScriptedResponse GzipBomb(long decompressedBytes = 1L << 30) => new()
    {
        ContentType = "application/octet-stream",
        Headers = new Dictionary<string, string> { ["Content-Encoding"] = "gzip" },
        WriteBody = async (body, cancellationToken) =>
        {
            var member = BombMember.Value;
            for (var inflated = 0L; inflated < decompressedBytes; inflated += BombMemberBytes)
            {
                await body.WriteAsync(member, cancellationToken).ConfigureAwait(false);
            }
        },
    };

    private const int BombMemberBytes = 64 * Block;

    private static readonly Lazy<byte[]> BombMember = new(() =>
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[Block];
            for (var i = 0; i < BombMemberBytes / Block; i++)
            {
                gzip.Write(zeros);
            }
        }

        return compressed.ToArray();
    });

    /// <summary>Writes a scripted answer whose body is code; a client that leaves counts as a disconnect.</summary>
    internal static async Task WriteAsync(HttpContext context, ScriptedResponse scripted, Action disconnected)
    {
        context.Response.StatusCode = scripted.Status;
        context.Response.ContentType = scripted.ContentType;
        foreach (var (name, value) in scripted.Headers)
        {
            context.Response.Headers[name] = value;
        }

        try
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await scripted.WriteBody!(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            disconnected();
        }
    }
}
