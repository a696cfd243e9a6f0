using HuggingFace.Inference.Endpoints;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>What <see cref="HuggingFaceServiceCollectionExtensions.AddHuggingFaceInference(Microsoft.Extensions.DependencyInjection.IServiceCollection, System.Action{HuggingFaceInferenceOptions}?)"/> registers.</summary>
public sealed class HuggingFaceInferenceOptions
{
    /// <summary>The InferenceClient's options (model, token, URLs, timeout, retries …).</summary>
    public InferenceClientOptions Client { get; } = new();

    /// <summary>The InferenceEndpointsClient's options.</summary>
    public InferenceEndpointsClientOptions Endpoints { get; } = new();

    /// <summary>The model of the registered IChatClient; the client's model when null.</summary>
    public string? ChatModel { get; set; }

    /// <summary>The model of the registered IEmbeddingGenerator; the client's model when null.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>How many texts the embedding generator sends per request.</summary>
    public int EmbeddingBatchSize { get; set; } = 32;

    /// <summary>
    /// Whether the registered InferenceClient caches answers of deterministic tasks in the host's
    /// <c>IDistributedCache</c> (or, without one, its <c>IMemoryCache</c>); see
    /// <see cref="Caching.InferenceResponseCache"/>. Off by default.
    /// </summary>
    public bool CacheResponses { get; set; }
}
