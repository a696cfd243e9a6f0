using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace HuggingFace.Inference.Caching;

/// <summary>
/// An opt-in cache of answers for deterministic tasks (embeddings, classification: the same model
/// and the same request body give the same answer), set on
/// <see cref="InferenceClientOptions.ResponseCache"/>. Entries are the answer's bytes, keyed by
/// task, URL (which names the model) and a SHA-256 of the exact request body; only successful
/// answers that the client could read are stored. The key holds nothing of the token: share one
/// cache only among callers allowed to see the same models' answers.
/// </summary>
public abstract class InferenceResponseCache
{
    /// <summary>The tasks cached by default: those whose answers depend only on model and input.</summary>
    public static IReadOnlyCollection<string> DeterministicTasks { get; } =
    [
        "feature-extraction",
        "sentence-similarity",
        "text-classification",
        "token-classification",
        "zero-shot-classification",
        "fill-mask",
    ];

    /// <summary>The tasks this cache serves (task names as in the specs, such as <c>feature-extraction</c>); change it to choose.</summary>
    public ISet<string> Tasks { get; } = new HashSet<string>(DeterministicTasks, StringComparer.Ordinal);

    /// <summary>A cache over <paramref name="cache"/>, each entry with <paramref name="entryOptions"/> (expiry, size, priority).</summary>
    public static InferenceResponseCache Over(IMemoryCache cache, MemoryCacheEntryOptions? entryOptions = null) =>
        new MemoryResponseCache(cache ?? throw new ArgumentNullException(nameof(cache)), entryOptions);

    /// <summary>A cache over <paramref name="cache"/> (Redis, SQL Server, …), each entry with <paramref name="entryOptions"/>.</summary>
    public static InferenceResponseCache Over(IDistributedCache cache, DistributedCacheEntryOptions? entryOptions = null) =>
        new DistributedResponseCache(cache ?? throw new ArgumentNullException(nameof(cache)), entryOptions ?? new DistributedCacheEntryOptions());

    /// <summary>The stored answer for <paramref name="key"/>, or null; synchronously when <paramref name="async"/> is false.</summary>
    protected internal abstract ValueTask<byte[]?> GetAsync(string key, bool async, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="answer"/> under <paramref name="key"/>; synchronously when <paramref name="async"/> is false.</summary>
    protected internal abstract ValueTask SetAsync(string key, byte[] answer, bool async, CancellationToken cancellationToken);

    /// <summary>The key of one request: version, task, URL and the body's SHA-256, never a header.</summary>
    internal static string Key(string task, Uri url, ReadOnlySpan<byte> body) =>
        "hf-inference:1:" + task + ":" + url.AbsoluteUri + ":" + Convert.ToHexStringLower(SHA256.HashData(body));

    private sealed class MemoryResponseCache(IMemoryCache cache, MemoryCacheEntryOptions? entryOptions) : InferenceResponseCache
    {
        protected internal override ValueTask<byte[]?> GetAsync(string key, bool async, CancellationToken cancellationToken) =>
            ValueTask.FromResult(cache.TryGetValue(key, out byte[]? answer) ? answer : null);

        protected internal override ValueTask SetAsync(string key, byte[] answer, bool async, CancellationToken cancellationToken)
        {
            using var entry = cache.CreateEntry(key);
            if (entryOptions != null)
            {
                entry.SetOptions(entryOptions);
            }

            // A size-limited cache needs every entry's size; the answer's bytes are the honest one.
            entry.Size ??= answer.Length;
            entry.Value = answer;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DistributedResponseCache(IDistributedCache cache, DistributedCacheEntryOptions entryOptions) : InferenceResponseCache
    {
        protected internal override async ValueTask<byte[]?> GetAsync(string key, bool async, CancellationToken cancellationToken) =>
            async ? await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) : cache.Get(key);

        protected internal override async ValueTask SetAsync(string key, byte[] answer, bool async, CancellationToken cancellationToken)
        {
            if (async)
            {
                await cache.SetAsync(key, answer, entryOptions, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                cache.Set(key, answer, entryOptions);
            }
        }
    }
}
