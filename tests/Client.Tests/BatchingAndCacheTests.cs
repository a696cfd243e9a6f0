using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Caching;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Testing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuggingFace.Inference.Tests;

/// <summary>Batching many texts into requests, and the opt-in response cache, against a real local server.</summary>
public sealed class BatchingAndCacheTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await InferenceTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private int InferenceRequests() => _server.Requests.Count(r => !r.Path.StartsWith("/api/models/", StringComparison.Ordinal));

    private InferenceClient Client(InferenceResponseCache? cache = null) =>
        new(new InferenceClientOptions { RouterUrl = _server.BaseUrl, HubUrl = _server.BaseUrl, Token = ServerFixture.Token, ResponseCache = cache });


    [Fact]
    public async Task ManyTextsGoOutInBatchesAndComeBackInOrder()
    {
        using var client = Client();
        var texts = Enumerable.Range(0, 70).Select(i => $"text number {i}").ToArray();

        var batched = await client.FeatureExtractionAsync(texts, batchSize: 32, normalize: true, cancellationToken: TestContext.Current.CancellationToken);

        var sent = _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal([32, 32, 6], sent.Select(b => b.GetProperty("inputs").GetArrayLength()));
        Assert.All(sent, b => Assert.True(b.GetProperty("normalize").GetBoolean()));
        Assert.Equal(texts, sent.SelectMany(b => b.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!)));

        _server.ClearRequests();
        var whole = await client.FeatureExtractionAsync(texts, normalize: true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(_server.Requests);
        Assert.Equal(whole.Shape, batched.Shape);
        Assert.Equal([70, whole.Shape[1]], batched.Shape);
        Assert.Equal(whole.Values.ToArray(), batched.Values.ToArray());
    }

    [Fact]
    public void ABatchOfOneIsStillARowAndTheSyncTwinBatchesToo()
    {
        using var client = Client();
        var embeddings = client.FeatureExtraction(["a", "b", "c"], batchSize: 2, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(_server.Requests[1].Body).RootElement.GetProperty("inputs").ValueKind);
        Assert.Equal(3, embeddings.Count);
    }

    [Fact]
    public async Task BadBatchArgumentsAreNamed()
    {
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("batchSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.FeatureExtractionAsync(["a"], 0, cancellationToken: ct))).ParamName);
        Assert.Equal("texts", (await Assert.ThrowsAsync<ArgumentException>(() => client.FeatureExtractionAsync(Array.Empty<string>(), 8, cancellationToken: ct))).ParamName);
        Assert.Equal("texts", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.FeatureExtractionAsync(["a", null!], 8, cancellationToken: ct))).ParamName);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CancellationStopsTheRemainingBatches()
    {
        using var client = Client();
        using var cancel = new CancellationTokenSource();
        var texts = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
        _server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromSeconds(5)));
        var call = client.FeatureExtractionAsync(texts, batchSize: 2, cancellationToken: cancel.Token);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(_server.Requests.Count <= 1, $"{_server.Requests.Count} requests after cancelling during the first");
    }

    [Fact]
    public void BatchesOfTokenEmbeddingsJoinIntoOneRaggedTensor()
    {
        var first = Embeddings.Parse("[[[1,2],[3,4]],[[5,6]]]"u8);
        var second = Embeddings.Parse("[[[7,8],[9,10],[11,12]]]"u8);
        var joined = Embeddings.Concat([first, second]);
        var expected = Embeddings.Parse("[[[1,2],[3,4]],[[5,6]],[[7,8],[9,10],[11,12]]]"u8);

        Assert.Equal(expected.Shape, joined.Shape);
        Assert.True(joined.IsRagged);
        Assert.Equal(expected.Values.ToArray(), joined.Values.ToArray());
        Assert.Equal([11f, 12f], joined.Vector(2, 2).ToArray());
        Assert.Equal([5f, 6f], joined.Vector(1, 0).ToArray());

        var dense = Embeddings.Concat([Embeddings.Parse("[[1,2],[3,4]]"u8), Embeddings.Parse("[5,6]"u8)]);
        Assert.Equal([3, 2], dense.Shape);
        Assert.False(dense.IsRagged);
        Assert.Throws<InvalidOperationException>(() => Embeddings.Concat([Embeddings.Parse("[[1,2]]"u8), Embeddings.Parse("[[[1,2]]]"u8)]));
    }

    [Fact]
    public async Task AMemoryCacheAnswersTheSameRequestWithoutTheServer()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        using var client = Client(InferenceResponseCache.Over(memory));
        var ct = TestContext.Current.CancellationToken;
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "HuggingFace.Inference",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var first = await client.TextClassificationAsync("I like you. I love you", cancellationToken: ct);
        var second = await client.TextClassificationAsync("I like you. I love you", cancellationToken: ct);
        Assert.Single(_server.Requests);

        // Traces tell a cached answer from a fetched one (other tests' activities are filtered out by port).
        var ours = activities.Where(a => a.GetTagItem("server.port") is int port && port == _server.BaseUrl.Port).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Null(ours[0].GetTagItem("huggingface.cache.hit"));
        Assert.Equal(true, ours[1].GetTagItem("huggingface.cache.hit"));
        Assert.Equal(first.Select(l => (l.Label, l.Score)), second.Select(l => (l.Label, l.Score)));
        Assert.NotSame(first, second);

        await client.TextClassificationAsync("Something else", cancellationToken: ct);
        _server.Models["bench/another-classifier"] = "text-classification";
        await client.TextClassificationAsync("I like you. I love you", model: "bench/another-classifier", cancellationToken: ct);
        Assert.Equal(3, InferenceRequests()); // the Hub's mapping call aside

        // The sync twin reads the same entries.
        client.TextClassification("Something else", cancellationToken: ct);
        Assert.Equal(3, InferenceRequests());
    }

    [Fact]
    public async Task ADistributedCacheIsSharedBetweenClientsAndHoldsNoToken()
    {
        var distributed = new RecordingDistributedCache();
        var cache = InferenceResponseCache.Over(distributed);
        var ct = TestContext.Current.CancellationToken;
        using (var client = Client(cache))
        {
            await client.FeatureExtractionAsync(new[] { "a", "b" }, cancellationToken: ct);
        }

        using (var other = Client(cache))
        {
            var embeddings = await other.FeatureExtractionAsync(new[] { "a", "b" }, cancellationToken: ct);
            Assert.Equal(2, embeddings.Count);
        }

        Assert.Single(_server.Requests);
        var key = Assert.Single(distributed.Keys);
        Assert.StartsWith("hf-inference:1:feature-extraction:", key, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.Token, key, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.Token, System.Text.Encoding.UTF8.GetString(distributed.Values.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherTasksErrorsAndUnreadableEntriesAreNotServedFromTheCache()
    {
        var distributed = new RecordingDistributedCache();
        using var client = Client(InferenceResponseCache.Over(distributed));
        var ct = TestContext.Current.CancellationToken;

        // Not deterministic: summarization is not in the default task list.
        await client.SummarizationAsync("A long text.", cancellationToken: ct);
        await client.SummarizationAsync("A long text.", cancellationToken: ct);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Empty(distributed.Keys);

        // An error answer is not stored: the next call asks the server again.
        _server.ClearRequests();
        _server.Enqueue(ScriptedResponse.Error(500, "boom"));
        await Assert.ThrowsAsync<HfHubHttpException>(() => client.FillMaskAsync("The goal of life is [MASK].", cancellationToken: ct));
        await client.FillMaskAsync("The goal of life is [MASK].", cancellationToken: ct);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(distributed.Keys);

        // A stored entry that no longer reads is a miss, and the fresh answer replaces it.
        distributed.Corrupt();
        await client.FillMaskAsync("The goal of life is [MASK].", cancellationToken: ct);
        Assert.Equal(3, _server.Requests.Count);
        await client.FillMaskAsync("The goal of life is [MASK].", cancellationToken: ct);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task DependencyInjectionUsesTheHostsCacheWhenAskedTo()
    {
        var services = new ServiceCollection();
        services.AddMemoryCache();
        services.AddHuggingFaceInference(options =>
        {
            options.Client.RouterUrl = _server.BaseUrl;
            options.Client.HubUrl = _server.BaseUrl;
            options.Client.Token = ServerFixture.Token;
            options.CacheResponses = true;
        });
        await using var provider = services.BuildServiceProvider();
        var ct = TestContext.Current.CancellationToken;
        await provider.GetRequiredService<InferenceClient>().SentenceSimilarityAsync("a", ["b", "c"], cancellationToken: ct);
        await provider.GetRequiredService<InferenceClient>().SentenceSimilarityAsync("a", ["b", "c"], cancellationToken: ct);
        Assert.Single(_server.Requests);

        var without = new ServiceCollection();
        without.AddHuggingFaceInference(options => options.CacheResponses = true);
        await using var noCache = without.BuildServiceProvider();
        Assert.Contains("AddMemoryCache", Assert.Throws<InvalidOperationException>(() => noCache.GetRequiredService<InferenceClient>()).Message, StringComparison.Ordinal);
    }

    /// <summary>An in-memory IDistributedCache that shows what was stored.</summary>
    private sealed class RecordingDistributedCache : IDistributedCache
    {
        private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Keys => [.. _entries.Keys];

        public IReadOnlyCollection<byte[]> Values => [.. _entries.Values];

        public void Corrupt()
        {
            foreach (var key in _entries.Keys)
            {
                _entries[key] = "not json"u8.ToArray();
            }
        }

        public byte[]? Get(string key) => _entries.TryGetValue(key, out var value) ? value : null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => _entries.TryRemove(key, out _);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _entries[key] = value;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }
}
