using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// The Hub's answer to "which providers serve this model", per client (so per token): kept 10 minutes,
/// a model without providers 1 minute, and one request in flight per model however many callers ask.
/// </summary>
internal sealed class ProviderMappingCache
{
    internal static readonly TimeSpan HitLifetime = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan MissLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CachedFetch> _entries = new(StringComparer.Ordinal);
    private readonly InferenceTransport _transport;

    public ProviderMappingCache(InferenceTransport transport) => _transport = transport;

    /// <summary>The clock entries expire by; tests move it.</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The model's mappings in the Hub's order; empty when the Hub knows no provider for it.</summary>
    /// <exception cref="InferenceProviderException">The Hub answered with an error (404: no such model).</exception>
    public async ValueTask<IReadOnlyList<InferenceProviderMapping>> GetAsync(string modelId, string task, bool async, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (_entries.TryGetValue(modelId, out var entry) && (!entry.Fetch.IsCompleted || entry.ExpiresAt > now))
        {
            return await Await(entry.Fetch, async, cancellationToken).ConfigureAwait(false);
        }

        CachedFetch mine;
        if (async)
        {
            // The fetch belongs to every caller waiting on it: one caller's cancellation must not fail the others.
            var created = new CachedFetch(FetchAsync(modelId, task));
            mine = _entries.AddOrUpdate(modelId, created, (_, existing) => existing.Fetch.IsCompleted && existing.ExpiresAt <= now ? created : existing);
        }
        else
        {
            var completion = new TaskCompletionSource<IReadOnlyList<InferenceProviderMapping>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var created = new CachedFetch(completion.Task);
            mine = _entries.AddOrUpdate(modelId, created, (_, existing) => existing.Fetch.IsCompleted && existing.ExpiresAt <= now ? created : existing);
            if (mine == created)
            {
                try
                {
                    completion.SetResult(SyncOverAsync.EnsureCompleted(FetchCoreAsync(modelId, task, async: false, cancellationToken)));
                }
                catch (Exception exception)
                {
                    completion.SetException(exception);
                }
            }
        }

        try
        {
            var mappings = await Await(mine.Fetch, async, cancellationToken).ConfigureAwait(false);
            mine.ExpiresAt = Time.GetUtcNow() + (mappings.Count > 0 ? HitLifetime : MissLifetime);
            return mappings;
        }
        catch (InferenceProviderException missing) when (missing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // No such model is a miss too: asked again after a minute, not on every call.
            mine.ExpiresAt = Time.GetUtcNow() + MissLifetime;
            throw;
        }
        catch (Exception) when (mine.Fetch.IsFaulted || mine.Fetch.IsCanceled)
        {
            // Any other failure (5xx, a network error) is not kept: the next call asks again.
            _entries.TryRemove(new KeyValuePair<string, CachedFetch>(modelId, mine));
            throw;
        }
    }

    private async Task<IReadOnlyList<InferenceProviderMapping>> FetchAsync(string modelId, string task)
    {
        // Shared by every caller waiting on it: under none of their deadlines, as under none of their tokens.
        CallDeadline.Detach();
        await Task.Yield();
        return await FetchCoreAsync(modelId, task, async: true, CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<InferenceProviderMapping>> FetchCoreAsync(string modelId, string task, bool async, CancellationToken cancellationToken)
    {
        var url = new Uri(ModelResolver.Combine(_transport.Options.HubUrl, "api/models/" + ModelResolver.EscapeModelId(modelId, "model")) + "?expand[]=inferenceProviderMapping");
        try
        {
            return await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, url),
                async (response, isAsync, token) => Parse(modelId, await _transport.ReadBodyAsync(response, isAsync, token).ConfigureAwait(false)),
                async,
                cancellationToken,
                credentials: RequestCredentials.HubToken).ConfigureAwait(false);
        }
        catch (HfHubHttpException error) when (error is not InferenceProviderException)
        {
            var message = error.StatusCode == System.Net.HttpStatusCode.NotFound
                ? $"The Hub knows no model '{modelId}' (or it is private and the token cannot see it): {error.ServerMessage}"
                : error.ServerMessage;
            throw new InferenceProviderException(null, null, task, InferenceProviderPhase.Mapping, error.StatusCode, message, error.RequestId, error.ResponseBody, error.RequestUri, error);
        }
        catch (JsonException exception)
        {
            throw new InferenceProviderException(null, null, task, InferenceProviderPhase.Mapping, System.Net.HttpStatusCode.OK, $"The Hub's provider mapping of '{modelId}' could not be read: {exception.Message}", requestUri: url, innerException: exception);
        }
    }

    /// <summary>
    /// Reads <c>inferenceProviderMapping</c>: an object keyed by provider (model info) or a list whose
    /// entries name their provider (model lists); both peers normalise to a list, and so do we.
    /// </summary>
    internal static IReadOnlyList<InferenceProviderMapping> Parse(string modelId, ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var list = new List<InferenceProviderMapping>();
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("inferenceProviderMapping", out var mapping))
        {
            return list;
        }

        if (mapping.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in mapping.EnumerateObject())
            {
                if (Entry(modelId, property.Name, property.Value) is { } entry)
                {
                    list.Add(entry);
                }
            }
        }
        else if (mapping.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in mapping.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "provider") is { } provider && Entry(modelId, provider, item) is { } entry)
                {
                    list.Add(entry);
                }
            }
        }

        return list;
    }

    private static InferenceProviderMapping? Entry(string modelId, string provider, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || Text(value, "providerId") is not { } providerId || Text(value, "task") is not { } task)
        {
            return null; // an entry the client cannot route by (no provider id or task) is not offered
        }

        return new InferenceProviderMapping
        {
            Provider = provider,
            ProviderId = providerId,
            Task = task,
            Status = Text(value, "status"),
            Adapter = Text(value, "adapter"),
            AdapterWeightsPath = Text(value, "adapterWeightsPath"),
            ModelId = modelId,
        };
    }

    private static string? Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null;

    private static async ValueTask<IReadOnlyList<InferenceProviderMapping>> Await(Task<IReadOnlyList<InferenceProviderMapping>> fetch, bool async, CancellationToken cancellationToken)
    {
        if (fetch.IsCompleted || !async)
        {
            // Sync callers only meet an unfinished fetch another caller started; they wait for it.
            return fetch.IsCompleted ? await fetch.ConfigureAwait(false) : fetch.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        }

        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class CachedFetch(Task<IReadOnlyList<InferenceProviderMapping>> fetch)
    {
        public Task<IReadOnlyList<InferenceProviderMapping>> Fetch { get; } = fetch;

        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }
}
