using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// One deadline for the whole call: input downloads, sync body reads, error bodies and retry waits all
/// end at <see cref="InferenceClientOptions.Timeout"/>; hostile wait headers neither crash nor park a
/// call; without a timeout, a model that never loads still ends. Limits are generous (a busy 2-core
/// machine): each dripping body would take 30 s or more without the fix.
/// </summary>
public class DeadlineTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture fixture;

    public DeadlineTests(ServerFixture fixture)
    {
        // A call that timed out before its request left (a slow Hub lookup on a busy machine) leaves its
        // scripted answer queued: it must not become the next test's answer.
        this.fixture = fixture;
        fixture.Server.ClearScript();
    }

    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    /// <summary>A body sent a chunk a second for 30 s.</summary>
    private static ScriptedResponse Drip(string contentType = "application/json", int status = 200) => new()
    {
        Status = status,
        Chunks = [.. Enumerable.Repeat("[", 30)],
        ChunkDelay = TimeSpan.FromSeconds(1),
        ContentType = contentType,
    };

    [Fact]
    public async Task AnInputUrlDownloadIsInsideTheTimeout()
    {
        using var client = fixture.Client(o => o.Timeout = Short);
        fixture.Server.Enqueue(Drip("image/png"));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.ImageClassificationAsync(fixture.Server.FileUrl("cat.png"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AnInputUrlDownloadSentAsBase64IsInsideTheTimeoutToo()
    {
        using var client = fixture.Client(o => o.Timeout = Short);
        fixture.Server.Enqueue(Drip("image/png"));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.ImageClassificationAsync(fixture.Server.FileUrl("cat.png"), new ImageClassificationParameters { TopK = 1 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task TheDownloadAndTheRequestShareOneDeadline()
    {
        // Each step alone fits the 1 s timeout; together they do not: one deadline for the call, not one per step.
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromSeconds(1));
        fixture.Server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromMilliseconds(700)), ScriptedResponse.Slow(TimeSpan.FromMilliseconds(700)));
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.ImageClassificationAsync(fixture.Server.FileUrl("cat.png"), model: fixture.Server.EndpointUrl("image-classification").ToString(), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ASynchronousCallReadingADrippingBodyEndsAtTheTimeout()
    {
        using var client = fixture.Client(o => o.Timeout = Short);
        fixture.Server.Enqueue(Drip());
        var watch = Stopwatch.StartNew();
        Assert.Throws<InferenceTimeoutException>(() => client.TextClassification("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Fact]
    public void ASynchronousCallReadingADrippingErrorBodyEndsAtTheTimeout()
    {
        using var client = fixture.Client(o => o.Timeout = Short);
        fixture.Server.Enqueue(Drip(status: 500));
        var watch = Stopwatch.StartNew();
        Assert.Throws<InferenceTimeoutException>(() => client.TextClassification("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Fact]
    public void ASynchronousCallReadingADrippingBodyHonoursCancellation()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(Drip());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(Short);
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => client.TextClassification("x", cancellationToken: cancel.Token));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Fact]
    public void ASynchronousStreamHonoursCancellationWhileAnEventIsLate()
    {
        using var client = fixture.Client();
        var chunk = "data: {\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n";
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.FromSeconds(30), chunk, chunk));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = 0;
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in client.ChatCompletionStream([new ChatCompletionInputMessage { Role = "user", Content = "hi" }], cancellationToken: cancel.Token))
            {
                received++;
                cancel.CancelAfter(Short);
            }
        });
        Assert.Equal(1, received);
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("Retry-After", "5000000")]
    [InlineData("RateLimit-Reset", "1e300")]
    [InlineData("RateLimit", "\"default\";r=0;t=99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999")]
    public async Task AHostileWaitHeaderEndsAtTheTimeoutInsteadOfCrashing(string header, string value)
    {
        using var client = fixture.Client(o => o.Timeout = Short);
        fixture.Server.Enqueue(new ScriptedResponse { Status = 429, Body = "{\"error\":\"Rate limit reached\"}", Headers = new Dictionary<string, string> { [header] = value } });
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < Generous, $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("Retry-After", "5000000")]
    [InlineData("RateLimit-Reset", "1e300")]
    [InlineData("RateLimit-Reset", "-1e300")]
    [InlineData("RateLimit-Reset", "NaN")]
    [InlineData("RateLimit", "t=123456789012345678901234567890")]
    public void AHostileWaitHeaderIsReadAsAtMostTheLongestRetryWait(string header, string value)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);
        var wait = InferenceTransport.RetryAfter(response);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.Zero, InferenceTransport.MaxRetryWait);
    }

    [Fact]
    public async Task AnAbsurdLoadingEstimateIsWaitedOnAsAnyOther()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Status = 503, Body = """{"error":"Model is currently loading","estimated_time":1e300}""" });
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("I like you", cancellationToken: TestContext.Current.CancellationToken))[0].Label);
    }

    [Fact]
    public async Task WithoutATimeoutAModelThatNeverLoadsStillEnds()
    {
        using var client = fixture.Client(o => o.ModelLoadingTimeout = TimeSpan.FromMilliseconds(300));
        Assert.Null(client.Options.Timeout);
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(Enumerable.Repeat(ScriptedResponse.Loading(0.01), 400).ToArray());
        try
        {
            var error = await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
            Assert.Contains("ModelLoadingTimeout", error.Message, StringComparison.Ordinal);
            Assert.InRange(fixture.Server.Requests.Count, 2, 399);
        }
        finally
        {
            fixture.Server.ClearScript();
        }
    }

    [Fact]
    public void TheDefaultLoadingBoundIsFiveMinutesAndMustBePositive()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), new InferenceClientOptions().ModelLoadingTimeout);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceClient(new InferenceClientOptions { ModelLoadingTimeout = TimeSpan.Zero }));
        Assert.Equal("ModelLoadingTimeout", error.ParamName);
    }
}
