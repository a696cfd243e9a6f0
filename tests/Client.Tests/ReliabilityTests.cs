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
