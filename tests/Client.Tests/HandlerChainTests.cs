using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// One place for a user's handler (<c>AddHuggingFaceHttpMessageHandler</c>): it sees every request of
/// InferenceClient (task calls, PostAsync), the Endpoints client and the Refit clients, before the policies
/// (each call once) or after them (each attempt, with the token; without it after a redirect to another host).
/// </summary>
public class HandlerChainTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Model = "chain-org/classifier";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri ModelUrl => new(fixture.Server.BaseUrl, "hf-inference/models/" + Model);

    private ServiceProvider Provider(Recorder calls, Recorder attempts)
    {
        fixture.Server.Models[Model] = "text-classification";
        var services = new ServiceCollection();

        // The handlers first: registrations made before or after both get them.
        services.AddHuggingFaceHttpMessageHandler(_ => new RecordingHandler(calls));
        services.AddHuggingFaceHttpMessageHandler(_ => new RecordingHandler(attempts), eachAttempt: true);
        services.AddHuggingFaceInference(o =>
        {
            o.Client.Token = ServerFixture.Token;
            o.Client.RouterUrl = fixture.Server.BaseUrl;
            o.Client.HubUrl = fixture.Server.BaseUrl;
            o.Client.MaxRetries = 2;
            o.Endpoints.Token = ServerFixture.Token;
            o.Endpoints.ApiUrl = fixture.Server.BaseUrl;
            o.Endpoints.HubUrl = fixture.Server.BaseUrl;
        });
        services.AddHfInferenceApi(o => o.Token = ServerFixture.Token, new Uri(fixture.Server.BaseUrl, "hf-inference"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AUsersHandlerSeesInferenceCallsPostAsyncEndpointsAndRefitCalls()
    {
        Recorder calls = new(), attempts = new();
        await using var provider = Provider(calls, attempts);
        var client = provider.GetRequiredService<InferenceClient>();
        var path = ModelUrl.AbsolutePath;

        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("I like it", model: ModelUrl.ToString(), cancellationToken: Ct))[0].Label);
        Assert.Equal(1, calls.Count("POST", path));
        Assert.Equal(1, attempts.Count("POST", path));

        var raw = await client.PostAsync(json: new JsonObject { ["inputs"] = "raw" }, model: ModelUrl.ToString(), cancellationToken: Ct);
        Assert.NotEmpty(raw.Bytes.ToArray());
        Assert.Equal(2, calls.Count("POST", path));
        Assert.Equal(2, attempts.Count("POST", path));

        var endpoints = provider.GetRequiredService<InferenceEndpointsClient>();
        Assert.NotNull(await endpoints.ListHardwareAsync(InferenceTestServer.User, Ct));
        var hardware = $"/v2/provider/{InferenceTestServer.User}";
        Assert.Equal(1, calls.Count("GET", hardware));
        Assert.Equal(1, attempts.Count("GET", hardware));

        var refit = provider.GetRequiredService<IHfInferenceApi>();
        Assert.Equal("POSITIVE", (await refit.TextClassificationAsync(Model, new TextClassificationInput { Inputs = "nice" }, Ct))[0].Label);
        Assert.Equal(3, calls.Count("POST", path));
        Assert.Equal(3, attempts.Count("POST", path));

        // Before the policies: no token yet. After them: the token on every attempt.
        Assert.All(calls.Seen, seen => Assert.Null(seen.Authorization));
        Assert.All(attempts.Seen, seen => Assert.Equal("Bearer " + ServerFixture.Token, seen.Authorization));

        // The synchronous twin goes through the same handlers.
        Assert.Equal("POSITIVE", client.TextClassification("sync", model: ModelUrl.ToString(), cancellationToken: Ct)[0].Label);
        Assert.Equal(4, calls.Count("POST", path));

        // A streamed chat: one call before the policies, its stream read to the end through them.
        var chunks = 0;
        await foreach (var chunk in client.ChatCompletionStreamAsync(new ChatCompletionInput
        {
            Model = "meta-llama/Llama-3.1-8B-Instruct",
            Messages = [new ChatCompletionInputMessage { Role = "user", Content = "Count." }],
        }, Ct))
        {
            chunks++;
        }

        Assert.True(chunks > 1, $"{chunks} chunk(s)");
        Assert.Equal(1, calls.Count("POST", "/v1/chat/completions"));
        Assert.Equal(1, attempts.Count("POST", "/v1/chat/completions"));
    }

    [Fact]
    public async Task ARetriedCallIsOneCallBeforeThePoliciesAndOneAttemptEachAfterThem()
    {
        Recorder calls = new(), attempts = new();
        await using var provider = Provider(calls, attempts);
        var path = ModelUrl.AbsolutePath;

        var client = provider.GetRequiredService<InferenceClient>();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("again", model: ModelUrl.ToString(), cancellationToken: Ct))[0].Label);
        Assert.Equal(1, calls.Count("POST", path));
        Assert.Equal(3, attempts.Count("POST", path));

        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        var endpoints = provider.GetRequiredService<InferenceEndpointsClient>();
        Assert.NotNull(await endpoints.ListHardwareAsync(InferenceTestServer.User, Ct));
        var hardware = $"/v2/provider/{InferenceTestServer.User}";
        Assert.Equal(1, calls.Count("GET", hardware));
        Assert.Equal(2, attempts.Count("GET", hardware));

        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        var refit = provider.GetRequiredService<IHfInferenceApi>();
        Assert.Equal("POSITIVE", (await refit.TextClassificationAsync(Model, new TextClassificationInput { Inputs = "nice" }, Ct))[0].Label);
        Assert.Equal(2, calls.Count("POST", path));
        Assert.Equal(5, attempts.Count("POST", path));

        // A header set before the policies is on every attempt, the retries included.
        Assert.All(attempts.Seen.Where(s => s.Path == path), seen => Assert.Equal("yes", seen.Marked));
    }

    [Fact]
    public async Task TheTokenDoesNotFollowARedirectToAnotherHostThroughTheSharedChain()
    {
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), Ct);
        otherHost.Models[Model] = "text-classification";
        Recorder calls = new(), attempts = new();
        await using var provider = Provider(calls, attempts);
        var client = provider.GetRequiredService<InferenceClient>();

        fixture.Server.Enqueue(ScriptedResponse.Redirect(new Uri(otherHost.BaseUrl, "hf-inference/models/" + Model)));
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("moved", model: ModelUrl.ToString(), cancellationToken: Ct))[0].Label);

        Assert.Single(calls.Seen);
        Assert.Equal(2, attempts.Seen.Count);
        Assert.Equal("Bearer " + ServerFixture.Token, attempts.Seen[0].Authorization);
        Assert.Equal(otherHost.BaseUrl.Host, attempts.Seen[1].Host);
        Assert.Null(attempts.Seen[1].Authorization);
        Assert.Null(Assert.Single(otherHost.Requests).Header("authorization"));
    }

    [Fact]
    public async Task WithoutHandlersBeforeThePoliciesACallGoesStraightToTheAttempts()
    {
        // The fast path: before the policies only the factory's own handlers, its logging off: no call-level chain.
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o => o.Client.Token = ServerFixture.Token);
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Null(provider.GetRequiredService<InferenceClient>().Transport.CallHandlers);
        }

        // A handler of the user's before the policies: the call-level chain.
        services.AddHuggingFaceHttpMessageHandler(_ => new RecordingHandler(new Recorder()));
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.NotNull(provider.GetRequiredService<InferenceClient>().Transport.CallHandlers);
        }
    }

    [Fact]
    public async Task WithTheFactorysLoggingOnItLogsEachCallOnceAndEachAttemptOnce()
    {
        fixture.Server.Models[Model] = "text-classification";
        var lines = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(new ListLoggerProvider(lines)));
        services.AddHuggingFaceInference(o => { o.Client.Token = ServerFixture.Token; o.Client.MaxRetries = 2; });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<InferenceClient>();
        Assert.NotNull(client.Transport.CallHandlers);

        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("logged", model: ModelUrl.ToString(), cancellationToken: Ct))[0].Label);
        string[] logged;
        lock (lines)
        {
            logged = [.. lines];
        }

        Assert.Single(logged, l => l.StartsWith("System.Net.Http.HttpClient.HuggingFace.Inference.LogicalHandler: Start processing HTTP request POST", StringComparison.Ordinal));
        Assert.Equal(2, logged.Count(l => l.StartsWith("System.Net.Http.HttpClient.HuggingFace.Inference.ClientHandler: Sending HTTP request POST", StringComparison.Ordinal)));
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(string category, List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add(category + ": " + formatter(state, exception));
                }
            }
        }
    }

    internal sealed record Seen(string Method, string Path, string Host, string? Authorization, string? Marked);

    internal sealed class Recorder
    {
        private readonly List<Seen> _seen = [];

        public List<Seen> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void Add(Seen seen)
        {
            lock (_seen)
            {
                _seen.Add(seen);
            }
        }

        public int Count(string method, string path) => Seen.Count(s => s.Method == method && s.Path == path);
    }

    /// <summary>Records each request it passes on; before the policies it also sets a header, to show it reaches every attempt.</summary>
    private sealed class RecordingHandler(Recorder recorder) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            return base.SendAsync(request, cancellationToken);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            return base.Send(request, cancellationToken);
        }

        private void Record(HttpRequestMessage request)
        {
            recorder.Add(new Seen(
                request.Method.Method,
                request.RequestUri!.AbsolutePath,
                request.RequestUri.Host,
                request.Headers.Authorization?.ToString(),
                request.Headers.TryGetValues("X-Chain-Mark", out var marks) ? marks.First() : null));
            if (request.Headers.Authorization == null && !request.Headers.Contains("X-Chain-Mark"))
            {
                request.Headers.TryAddWithoutValidation("X-Chain-Mark", "yes");
            }
        }
    }
}
