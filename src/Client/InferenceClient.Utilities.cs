using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference;

/// <summary>The status of a model on the serverless Inference API.</summary>
/// <param name="Loaded">Whether the model is loaded and answers at once.</param>
/// <param name="State">The API's state for it (<c>Loadable</c>, <c>Loaded</c>, <c>TooBig</c>, …).</param>
/// <param name="ComputeType">Where it runs: <c>"cpu"</c>, <c>"gpu"</c>, or an object describing the hardware.</param>
/// <param name="Framework">The framework serving it (<c>transformers</c>, <c>text-generation-inference</c>, …).</param>
public sealed record ModelStatus(bool Loaded, string State, JsonElement ComputeType, string Framework);

public sealed partial class InferenceClient
{
    /// <summary>The model a task uses when none is given (a built-in table, so that it works offline).</summary>
    /// <exception cref="ArgumentException">No model is recommended for <paramref name="task"/>.</exception>
    public static string GetRecommendedModel(string task) => RecommendedModels.For(task);

    /// <summary>
    /// Sends a raw request: <paramref name="json"/> (serialized with the client's JSON options) or
    /// <paramref name="data"/> (raw bytes), to <paramref name="model"/> (an id or URL) or, with no model,
    /// to <paramref name="task"/>'s recommended model, and returns the answer's bytes as they came.
    /// </summary>
    /// <exception cref="ArgumentException">Both json and data, or neither model nor task, are given.</exception>
    public Task<InferenceBinaryOutput> PostAsync(object? json = null, InferenceInput? data = null, string? model = null, string? task = null, CancellationToken cancellationToken = default) =>
        PostCoreAsync(json, data, model, task, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="PostAsync"/>
    public InferenceBinaryOutput Post(object? json = null, InferenceInput? data = null, string? model = null, string? task = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(PostCoreAsync(json, data, model, task, async: false, cancellationToken));

    /// <summary>
    /// What a deployed endpoint (TGI, TEI…) says about itself: <c>GET {url}/info</c>, or for a model id
    /// <c>GET {InferenceApiUrl}/models/{id}/info</c>.
    /// </summary>
    public Task<JsonElement> GetEndpointInfoAsync(string? model = null, CancellationToken cancellationToken = default) =>
        GetJsonCoreAsync(InfoUrl(model), async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="GetEndpointInfoAsync"/>
    public JsonElement GetEndpointInfo(string? model = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(GetJsonCoreAsync(InfoUrl(model), async: false, cancellationToken));

    /// <summary>
    /// Whether a deployed endpoint is healthy: <c>GET {url}/health</c> answers 200. Only for endpoint
    /// URLs: the serverless API has no health route.
    /// </summary>
    /// <exception cref="ArgumentException">The model is a model id, not an endpoint URL.</exception>
    public Task<bool> HealthCheckAsync(string? model = null, CancellationToken cancellationToken = default) =>
        HealthCheckCoreAsync(EndpointUrl(model, "health check"), async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="HealthCheckAsync"/>
    public bool HealthCheck(string? model = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(HealthCheckCoreAsync(EndpointUrl(model, "health check"), async: false, cancellationToken));

    /// <summary>
    /// The status of a model id on the serverless Inference API (<c>GET {InferenceApiUrl}/status/{id}</c>). Legacy:
    /// the Python client removed <c>get_model_status</c> with the api-inference host; Inference Providers have no such route.
    /// </summary>
    /// <exception cref="ArgumentException">The model is a URL: the status route is for model ids.</exception>
    public Task<ModelStatus> GetModelStatusAsync(string? model = null, CancellationToken cancellationToken = default) =>
        GetModelStatusCoreAsync(ModelId(model, "model status"), async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="GetModelStatusAsync"/>
    public ModelStatus GetModelStatus(string? model = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(GetModelStatusCoreAsync(ModelId(model, "model status"), async: false, cancellationToken));

    /// <summary>
    /// The models deployed on the serverless Inference API, by task, for each framework
    /// (<c>GET {InferenceApiUrl}/framework/{framework}</c>); defaults to the frameworks the Python client asked for.
    /// Legacy: the Python client removed <c>list_deployed_models</c> with the api-inference host.
    /// </summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListDeployedModelsAsync(IEnumerable<string>? frameworks = null, CancellationToken cancellationToken = default) =>
        ListDeployedModelsCoreAsync(frameworks, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="ListDeployedModelsAsync"/>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ListDeployedModels(IEnumerable<string>? frameworks = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(ListDeployedModelsCoreAsync(frameworks, async: false, cancellationToken));

    /// <summary>200 from <c>{url}/health</c>; any other answer, or an error answer, is unhealthy. Not retried: a health check reports the moment.</summary>
    private async ValueTask<bool> HealthCheckCoreAsync(Uri endpoint, bool async, CancellationToken cancellationToken)
    {
        var url = ModelResolver.Combine(endpoint, "health");
        try
        {
            return await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, url),
                (response, _, _) => ValueTask.FromResult(response.StatusCode == HttpStatusCode.OK),
                async,
                cancellationToken,
                retryable: false).ConfigureAwait(false);
        }
        catch (HfHubHttpException)
        {
            return false;
        }
    }

    private async ValueTask<ModelStatus> GetModelStatusCoreAsync(string id, bool async, CancellationToken cancellationToken)
    {
        var json = await GetJsonCoreAsync(ModelResolver.Combine(Options.InferenceApiUrl, "status/" + ModelResolver.EscapeModelId(id, "model")), async, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ModelStatus(
                json.GetProperty("loaded").GetBoolean(),
                json.GetProperty("state").GetString() ?? string.Empty,
                json.TryGetProperty("compute_type", out var compute) ? compute.Clone() : default,
                json.TryGetProperty("framework", out var framework) ? framework.GetString() ?? string.Empty : string.Empty);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException)
        {
            throw new HfHubHttpException(HttpStatusCode.OK, "The model status answer lacks 'loaded' or 'state': " + json.GetRawText(), null, json.GetRawText(), Options.InferenceApiUrl, exception);
        }
    }

    private async ValueTask<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListDeployedModelsCoreAsync(IEnumerable<string>? frameworks, bool async, CancellationToken cancellationToken)
    {
        var byTask = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var framework in frameworks ?? ["text-generation-inference", "sentence-transformers", "transformers"])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(framework, nameof(frameworks));
            var json = await GetJsonCoreAsync(ModelResolver.Combine(Options.InferenceApiUrl, "framework/" + Uri.EscapeDataString(framework)), async, cancellationToken).ConfigureAwait(false);
            if (json.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var entry in json.EnumerateArray())
            {
                if (entry.TryGetProperty("task", out var task) && entry.TryGetProperty("model_id", out var id) && task.GetString() is { } name && id.GetString() is { } modelId)
                {
                    if (!byTask.TryGetValue(name, out var models))
                    {
                        byTask[name] = models = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    models.Add(modelId);
                }
            }
        }

        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (task, models) in byTask)
        {
            result[task] = [.. models];
        }

        return result;
    }

    private async ValueTask<InferenceBinaryOutput> PostCoreAsync(object? json, InferenceInput? data, string? model, string? task, bool async, CancellationToken cancellationToken)
    {
        if (json != null && data != null)
        {
            throw new ArgumentException("Pass json or data, not both.", nameof(data));
        }

        if (string.IsNullOrWhiteSpace(model) && string.IsNullOrWhiteSpace(Options.Model) && string.IsNullOrWhiteSpace(task))
        {
            throw new ArgumentException("Pass a model (an id or URL) or a task whose recommended model to use.", nameof(model));
        }

        var url = ModelResolver.ResolveTaskUrl(task ?? string.Empty, model, Options);

        // A raw post is an inference call like the task methods, traced as one ("post" when no task is named).
        using var operation = InferenceTelemetry.Start(string.IsNullOrWhiteSpace(task) ? "post" : task!, string.IsNullOrWhiteSpace(model) ? Options.Model : model, url);
        try
        {
            Func<HttpContent> content;
            if (data != null)
            {
                content = await data.PrepareRawAsync(_transport, async, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(json, InferenceJson.WriteOptions.GetTypeInfo(json?.GetType() ?? typeof(object)));
                content = () => JsonContent(bytes);
            }

            return await _transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, url) { Content = content() },
                async (response, isAsync, token) =>
                {
                    operation.InferenceProvider(InferenceTransport.ProviderHeader(response));
                    return new InferenceBinaryOutput(
                        await _transport.ReadBodyAsync(response, isAsync, token).ConfigureAwait(false),
                        response.Content.Headers.ContentType?.MediaType);
                },
                async,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    private ValueTask<JsonElement> GetJsonCoreAsync(Uri url, bool async, CancellationToken cancellationToken) =>
        _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, url),
            async (response, isAsync, token) =>
            {
                var bytes = await _transport.ReadBodyAsync(response, isAsync, token).ConfigureAwait(false);
                using var document = JsonDocument.Parse(bytes);
                return document.RootElement.Clone();
            },
            async,
            cancellationToken);

    private Uri InfoUrl(string? model)
    {
        var chosen = Chosen(model, "endpoint info");
        return ModelResolver.IsUrl(chosen, out var url)
            ? ModelResolver.Combine(url, "info")
            : ModelResolver.Combine(Options.InferenceApiUrl, "models/" + ModelResolver.EscapeModelId(chosen, nameof(model)) + "/info");
    }

    private Uri EndpointUrl(string? model, string what)
    {
        var chosen = Chosen(model, what);
        return ModelResolver.IsUrl(chosen, out var url)
            ? url
            : throw new ArgumentException($"A {what} needs a deployed endpoint's URL, not the model id '{chosen}'.", nameof(model));
    }

    private string ModelId(string? model, string what)
    {
        var chosen = Chosen(model, what);
        return ModelResolver.IsUrl(chosen, out _)
            ? throw new ArgumentException($"A {what} needs a model id, not a URL ('{chosen}').", nameof(model))
            : chosen;
    }

    private string Chosen(string? model, string what)
    {
        var chosen = string.IsNullOrWhiteSpace(model) ? Options.Model : model;
        return string.IsNullOrWhiteSpace(chosen) ? throw new ArgumentException($"A {what} needs a model: pass one or set the client's Model.", nameof(model)) : chosen!;
    }
}
