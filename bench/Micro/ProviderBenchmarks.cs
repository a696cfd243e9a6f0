using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// What <c>Provider = "auto"</c> adds to a call once the model's mapping is cached: the route of a
/// model id resolved through the cached Hub mapping, against the same id with its provider named
/// (no mapping at all). The Hub here is a handler that answers the mapping and counts requests: after
/// the set-up's one, any request fails the run, so "no request on a cache hit" is checked, not assumed.
/// </summary>
[MemoryDiagnoser]
public class ProviderBenchmarks
{
    private const string Model = "black-forest-labs/FLUX.1-dev";
    private readonly CountingHub _hub = new();
    private InferenceClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = new InferenceClient(new InferenceClientOptions { Token = "hf_bench", HubUrl = new Uri("http://hub.invalid/") }, new HttpClient(_hub));
        Resolve(Model);
        if (_hub.Requests != 1)
        {
            throw new InvalidOperationException($"The set-up made {_hub.Requests} mapping requests, not 1.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Every benchmark call after the set-up was a cache hit: one request in all.
        if (_hub.Requests != 1)
        {
            throw new InvalidOperationException($"Cache hits made {_hub.Requests - 1} requests.");
        }

        _client.Dispose();
    }

    [Benchmark(Description = "auto: route through the cached Hub mapping")]
    public object AutoCacheHit() => Resolve(Model);

    [Benchmark(Baseline = true, Description = "named provider (id:fal-ai): no mapping")]
    public object NamedProvider() => Resolve(Model + ":fal-ai");

    private object Resolve(string model) =>
        _client.Router.ResolveAsync("text-to-image", model, async: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private sealed class CountingHub : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"id":"black-forest-labs/FLUX.1-dev","inferenceProviderMapping":{"fal-ai":{"status":"live","providerId":"fal-ai/flux/dev","task":"text-to-image"}}}""", System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
