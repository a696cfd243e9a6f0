using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference;

/// <summary>
/// The legacy Inference API client (Python's <c>InferenceApi</c>), kept so that code being migrated
/// has a one-to-one target: one model and task, posting to <c>{InferenceApiUrl}/pipeline/{task}/{model}</c>
/// with <c>"options": {"wait_for_model": true}</c>. New code uses <see cref="InferenceClient"/>.
/// </summary>
[Obsolete("InferenceApi is the legacy Inference API client, kept for migration. Use InferenceClient, which has a typed method per task.")]
public sealed class InferenceApi : IDisposable
{
    private readonly InferenceClient _client;

    /// <summary>A legacy client for <paramref name="repoId"/> (with <paramref name="task"/>, else routed by model).</summary>
    /// <exception cref="ArgumentException">The model id is not one.</exception>
    public InferenceApi(string repoId, string? task = null, string? token = null, InferenceClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoId);
        var settings = options ?? new InferenceClientOptions();
        if (token != null)
        {
            settings.Token = token;
        }

        RepoId = repoId;
        Task = task;
        var path = (task != null ? "pipeline/" + Uri.EscapeDataString(task) + "/" : "models/") + ModelResolver.EscapeModelId(repoId, nameof(repoId));
        ApiUrl = ModelResolver.Combine(settings.InferenceApiUrl, path);
        _client = new InferenceClient(settings);
    }

    /// <summary>The model.</summary>
    public string RepoId { get; }

    /// <summary>The task, if given.</summary>
    public string? Task { get; }

    /// <summary>Where calls go.</summary>
    public Uri ApiUrl { get; }

    /// <summary>
    /// Calls the model with <paramref name="inputs"/> and <paramref name="parameters"/> as JSON, or with
    /// <paramref name="data"/> as raw bytes, and returns the JSON answer.
    /// </summary>
    public async Task<JsonElement> CallAsync(object? inputs = null, object? parameters = null, InferenceInput? data = null, CancellationToken cancellationToken = default)
    {
        var raw = await CallRawAsync(inputs, parameters, data, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(raw.Bytes);
        return document.RootElement.Clone();
    }

    /// <summary>As <see cref="CallAsync"/>, returning the answer's bytes (for images and audio).</summary>
    public Task<InferenceBinaryOutput> CallRawAsync(object? inputs = null, object? parameters = null, InferenceInput? data = null, CancellationToken cancellationToken = default)
    {
        if (data != null)
        {
            return _client.PostAsync(data: data, model: ApiUrl.ToString(), cancellationToken: cancellationToken);
        }

        var payload = new Dictionary<string, object?> { ["options"] = new Dictionary<string, bool> { ["wait_for_model"] = true } };
        if (inputs != null)
        {
            payload["inputs"] = inputs;
        }

        if (parameters != null)
        {
            payload["parameters"] = parameters;
        }

        return _client.PostAsync(json: payload, model: ApiUrl.ToString(), cancellationToken: cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
