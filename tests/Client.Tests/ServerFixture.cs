using System;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>One local inference server per test class, over real sockets on 127.0.0.1.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Token = "hf_test_token_0123456789";

    public InferenceTestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await InferenceTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client routed to the local server, with a known token and fast 503 retries.</summary>
    public InferenceClient Client(Action<InferenceClientOptions>? configure = null)
    {
        var options = new InferenceClientOptions { RouterUrl = Server.BaseUrl, HubUrl = Server.BaseUrl, Token = Token };
        configure?.Invoke(options);
        var client = new InferenceClient(options);
        client.Transport.LoadingRetryMinimumDelay = TimeSpan.FromMilliseconds(5);
        client.Transport.LoadingRetryMaximumDelay = TimeSpan.FromMilliseconds(20);
        client.Transport.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        client.Jobs.PollInterval = TimeSpan.FromMilliseconds(5);
        return client;
    }

    /// <summary>The last request that was not a file download.</summary>
    public RecordedRequest LastInference() => LastInference(_ => true);

    /// <summary>The last request that was neither a file download, nor an output download, nor a Hub call, and matches <paramref name="filter"/>.</summary>
    public RecordedRequest LastInference(Func<RecordedRequest, bool> filter) => Server.Requests.Last(r =>
        !r.Path.StartsWith("/files/", StringComparison.Ordinal) && !r.Path.StartsWith("/outputs/", StringComparison.Ordinal)
        && !r.Path.StartsWith("/api/models/", StringComparison.Ordinal) && filter(r));
}
