using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Faults the network and servers produce: what is retried, what surfaces, and where credentials may go.</summary>
public class ReliabilityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A429IsRetriedAfterTheWaitItAsksFor()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 1));

        var watch = Stopwatch.StartNew();
        var output = await client.TextClassificationAsync("I like you", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("POSITIVE", output[0].Label);
        Assert.Equal(2, fixture.Server.Requests.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}, not after Retry-After");
    }

    [Fact]
    public async Task TheRateLimitHeaderSaysHowLongToWaitToo()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(new ScriptedResponse
        {
            Status = 429,
            Body = "{\"error\":\"Rate limit reached\"}",
            Headers = new System.Collections.Generic.Dictionary<string, string> { ["RateLimit"] = "\"default\";r=0;t=0" },
        });

        await client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task RetriesStopAtMaxRetriesAndCanBeTurnedOff()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client(o => o.MaxRetries = 2);
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(Enumerable.Repeat(ScriptedResponse.TooManyRequests(0), 5).ToArray());
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("Rate limit reached", error.ServerMessage);
        Assert.Equal(3, fixture.Server.Requests.Count);
        fixture.Server.ClearScript();

        using var noRetries = fixture.Client(o => o.MaxRetries = 0);
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(0));
        await Assert.ThrowsAsync<HfHubHttpException>(() => noRetries.TextClassificationAsync("x", cancellationToken: ct));
        Assert.Single(fixture.Server.Requests);
    }

    [Fact]
    public async Task AConnectionResetBeforeAnyAnswerIsRetried()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.ResetBeforeHeaders());

        var output = await client.TextClassificationAsync("I like you", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("POSITIVE", output[0].Label);
        Assert.Equal(2, fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task AConnectionCutMidAnswerSurfacesAsANetworkError()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(new ScriptedResponse { Body = "[[{\"label\":\"POSITIVE\",\"score\":0.99}]]", AbortAfterBytes = 10 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Single(fixture.Server.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ServerErrorsAreReportedNotRetried(int status)
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Error(status, "upstream trouble"));

        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal("upstream trouble", error.ServerMessage);
        Assert.Single(fixture.Server.Requests);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "text/html")]
    [InlineData("[[{\"label\":\"POSITIVE\",\"sco", "application/json")]
    public async Task AnAnswerThatIsNotTheTasksJsonIsAClearError(string body, string contentType)
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = body, ContentType = contentType });
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("could not be read as TextClassificationOutput", error.ServerMessage);
        Assert.Equal(body, error.ResponseBody);
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheTimeoutEndsAtTheTimeout()
    {
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromMilliseconds(500));
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 30));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task CredentialsFollowARedirectOnlyOnTheSameHost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), ct);
        using var client = fixture.Client(o =>
        {
            o.Cookies["session"] = "secret-cookie";
            o.BillTo = "my-org";
            o.Headers["X-Api-Key"] = "secret-header";
        });

        // Same host: the redirected request is authenticated as the first was.
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Redirect(fixture.Server.EndpointUrl("text-classification")));
        await client.TextClassificationAsync("same host", cancellationToken: ct);
        Assert.Equal("Bearer " + ServerFixture.Token, fixture.Server.Requests.Last().Header("authorization"));

        // Another host: the request goes, but with none of the client's credentials or headers.
        fixture.Server.Enqueue(ScriptedResponse.Redirect(otherHost.EndpointUrl("text-classification")));
        var output = await client.TextClassificationAsync("other host", cancellationToken: ct);
        Assert.Equal("POSITIVE", output[0].Label);
        var leaked = Assert.Single(otherHost.Requests);
        Assert.Null(leaked.Header("authorization"));
        Assert.Null(leaked.Header("cookie"));
        Assert.Null(leaked.Header("x-hf-bill-to"));
        Assert.Null(leaked.Header("x-api-key"));
        Assert.DoesNotContain(ServerFixture.Token, string.Join("\n", leaked.Headers.Values));
    }

    [Theory]
    [InlineData(301, "GET")]
    [InlineData(302, "GET")]
    [InlineData(303, "GET")]
    [InlineData(307, "POST")]
    [InlineData(308, "POST")]
    public async Task APostRedirectedWith301To303IsFollowedAsAGetWithoutItsBody(int status, string followedWith)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), ct);
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Redirect(otherHost.EndpointUrl("text-classification"), status));
        if (followedWith == "POST")
        {
            Assert.Equal("POSITIVE", (await client.TextClassificationAsync("redirected", cancellationToken: ct))[0].Label);
        }
        else
        {
            // The local server answers a GET of the task's URL with 404: the request arrived as a GET.
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("redirected", cancellationToken: ct))).StatusCode);
        }

        var followed = Assert.Single(otherHost.Requests);
        Assert.Equal(followedWith, followed.Method);
        Assert.Equal(followedWith == "POST" ? "{\"inputs\":\"redirected\"}" : string.Empty, followed.BodyText);
        Assert.Null(followed.Header("authorization"));
    }

    [Fact]
    public async Task ASlowBodyEndsAtTheTimeout()
    {
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromMilliseconds(500));
        fixture.Server.Enqueue(new ScriptedResponse { Chunks = ["[[{\"label\":", "\"POSITIVE\",\"score\":1}]]"], ChunkDelay = TimeSpan.FromSeconds(5), ContentType = "application/json" });
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task InvalidUtf8AndWrongContentTypes()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        // Invalid UTF-8 inside a JSON string: a clear error, not garbled text.
        fixture.Server.Enqueue(new ScriptedResponse { BodyBytes = [.. "[[{\"label\":\"POS"u8, 0xC3, 0x28, .. "\",\"score\":1}]]"u8] });
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.Contains("could not be read", error.ServerMessage);

        // A JSON answer labelled text/plain is read by what the task answers, not by its label.
        fixture.Server.Enqueue(new ScriptedResponse { Body = "[[{\"label\":\"POSITIVE\",\"score\":1}]]", ContentType = "text/plain" });
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("x", cancellationToken: ct))[0].Label);
    }

    [Fact]
    public async Task AConnectionResetMidStreamIsANetworkErrorAfterTheEventsBeforeIt()
    {
        using var client = fixture.Client();
        var chunk = "data: {\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n";
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, chunk, chunk) with { ResetAfterChunks = true });

        var received = 0;
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in client.ChatCompletionStreamAsync([new ChatCompletionInputMessage { Role = "user", Content = "hi" }], cancellationToken: TestContext.Current.CancellationToken))
            {
                received++;
            }
        });

        Assert.Equal(2, received);
        Assert.Single(fixture.Server.Requests);
    }

    [Fact]
    public async Task AnEndlessStreamIsReadUntilTheCallerStops()
    {
        using var client = fixture.Client();
        var chunk = "data: {\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"la\"}}]}\n\n";
        // Far longer than the two sockets can buffer (about 300 MB): Linux grows a loopback receive buffer up to
        // net.ipv4.tcp_rmem's maximum (32 MB on the CI machine) on top of the sender's, and a stream that fits (200,000
        // chunks, 30 MB, did) can be written whole before the client leaves, so the server sees no disconnect.
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, [.. Enumerable.Repeat(chunk, 2_000_000)]));
        var before = fixture.Server.Disconnects;

        var received = 0;
        await foreach (var _ in client.ChatCompletionStreamAsync([new ChatCompletionInputMessage { Role = "user", Content = "sing" }], cancellationToken: TestContext.Current.CancellationToken))
        {
            if (++received == 1_000)
            {
                break;
            }
        }

        Assert.Equal(1_000, received);
        Assert.True(await fixture.Server.WaitForDisconnectsAsync(before + 1, TimeSpan.FromSeconds(60)), "the server kept streaming to a client that left");
    }

    [Fact]
    public async Task TheTokenReachesNoOtherHostAndNoLogLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), ct);
        var logs = new CapturingLoggerFactory();
        using var client = fixture.Client(o =>
        {
            o.Cookies["session"] = "secret-cookie";
            o.LoggerFactory = logs;
        });

        // A URL input on another host, then an error after two logged retries (a 429, a reset connection).
        await client.ImageClassificationAsync(otherHost.FileUrl("cat.png"), cancellationToken: ct);
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(0), ScriptedResponse.ResetBeforeHeaders(), ScriptedResponse.Error(401, "Invalid credentials in Authorization header"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));

        var download = Assert.Single(otherHost.Requests);
        Assert.Null(download.Header("authorization"));
        Assert.Null(download.Header("cookie"));
        Assert.DoesNotContain(ServerFixture.Token, error.ToString());
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("retry", StringComparison.Ordinal)));
        Assert.Contains(logs.Lines, l => l.Contains("started", StringComparison.Ordinal));
        Assert.All(logs.Lines, line => Assert.DoesNotContain(ServerFixture.Token, line));
    }

    [Fact]
    public void HeaderValuesWithLineBreaksAreRefused()
    {
        var headers = new InferenceClientOptions();
        headers.Headers["X-Test"] = "a\r\nInjected: yes";
        Assert.Equal("Headers", Assert.Throws<ArgumentException>(() => new InferenceClient(headers)).ParamName);
        Assert.Equal("BillTo", Assert.Throws<ArgumentException>(() => new InferenceClient(new InferenceClientOptions { BillTo = "org\nX: y" })).ParamName);
        Assert.Equal("Token", Assert.Throws<ArgumentException>(() => new InferenceClient(new InferenceClientOptions { Token = "hf_x\r\n" + "Host: evil" })).ParamName);
    }

    [Fact]
    public async Task TheManagementApiRetriesReadsButNotWrites()
    {
        var ct = TestContext.Current.CancellationToken;
        using var endpoints = new InferenceEndpointsClient(new InferenceEndpointsClientOptions { ApiUrl = fixture.Server.BaseUrl, HubUrl = fixture.Server.BaseUrl, Token = ServerFixture.Token });
        endpoints.Transport.RetryBaseDelay = TimeSpan.FromMilliseconds(5);

        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(0));
        await endpoints.ListHardwareAsync("org", ct);
        Assert.Equal(2, fixture.Server.Requests.Count);

        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(0));
        await Assert.ThrowsAsync<HfHubHttpException>(() => endpoints.CreateAsync("no-retry", "gpt2", "pytorch", "cpu", "x1", "intel-icl", "us-east-1", "aws", @namespace: "org", cancellationToken: ct));
        Assert.Single(fixture.Server.Requests);
    }
}
