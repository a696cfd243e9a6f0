using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The client's own HttpClient asks for compressed answers and the transport inflates them itself (no
/// handler decompression layer per call): answers, error answers and both twins read the inflated bytes,
/// and an answer that says nothing about its encoding is read as it is.
/// </summary>
public class CompressionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Answer = """[{"label":"POSITIVE","score":0.98},{"label":"NEGATIVE","score":0.02}]""";

    private string Model => fixture.Server.EndpointUrl("text-classification").ToString();

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("GZIP")]
    public async Task ACompressedAnswerIsReadInflated(string encoding)
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(Compressed(200, Answer, encoding));
        var labels = await client.TextClassificationAsync("I like you", model: Model, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("POSITIVE", labels[0].Label);
        Assert.Equal(0.02, labels[1].Score, 6);
    }

    [Fact]
    public void TheSyncTwinReadsACompressedAnswerInflated()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(Compressed(200, Answer, "gzip"));
        var labels = client.TextClassification("I like you", model: Model, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("POSITIVE", labels[0].Label);
    }

    [Fact]
    public async Task RequestsAskForGzipAndBrotli()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = Answer });
        await client.TextClassificationAsync("I like you", model: Model, cancellationToken: TestContext.Current.CancellationToken);
        var accepted = fixture.LastInference().Header("Accept-Encoding");
        Assert.NotNull(accepted);
        Assert.Contains("gzip", accepted, StringComparison.Ordinal);
        Assert.Contains("br", accepted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptEncodingOfTheCallersIsSentAsItIs()
    {
        using var client = fixture.Client(o => o.Headers["Accept-Encoding"] = "identity");
        fixture.Server.Enqueue(new ScriptedResponse { Body = Answer });
        await client.TextClassificationAsync("I like you", model: Model, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("identity", fixture.LastInference().Header("Accept-Encoding"));
    }

    [Fact]
    public async Task ACompressedErrorAnswerKeepsItsServerMessage()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(Compressed(400, """{"error":"Input is too long for this model"}""", "gzip"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("I like you", model: Model, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("Input is too long for this model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACompressedAnswerOverTheCapWhenInflatedIsRefused()
    {
        // 2 MiB of zeros inflate from a few KB: the cap (1 MiB) counts what the answer inflates to.
        using var client = fixture.Client(o => o.MaxResponseBytes = 1024 * 1024);
        fixture.Server.Enqueue(Compressed(200, "\"" + new string('0', 2 * 1024 * 1024) + "\"", "gzip", contentType: "image/png"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextToImageAsync("x", model: fixture.Server.EndpointUrl("text-to-image").ToString(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
    }

    private static ScriptedResponse Compressed(int status, string text, string encoding, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var compressed = new MemoryStream();
        using (Stream writer = encoding.ToLowerInvariant() switch
        {
            "gzip" => new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true),
            _ => new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            writer.Write(bytes);
        }

        return new ScriptedResponse
        {
            Status = status,
            ContentType = contentType,
            BodyBytes = compressed.ToArray(),
            Headers = new Dictionary<string, string> { ["Content-Encoding"] = encoding },
        };
    }
}
