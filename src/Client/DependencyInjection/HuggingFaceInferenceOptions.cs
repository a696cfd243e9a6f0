using HuggingFace.Inference.Endpoints;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// What <see cref="HuggingFaceServiceCollectionExtensions.AddHuggingFaceInference(Microsoft.Extensions.DependencyInjection.IServiceCollection, System.Action{HuggingFaceInferenceOptions}?)"/>
/// registers, as <c>IOptions&lt;HuggingFaceInferenceOptions&gt;</c> (named by the key for keyed registrations).
/// </summary>
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

    /// <summary>
    /// Whether the host's HttpClient pipeline retries (a resilience handler such as <c>AddStandardResilienceHandler</c>),
    /// in which case the client's own retries (<see cref="InferenceClientOptions.MaxRetries"/>) are off so the two do not
    /// multiply. Null (the default): detected from the named HttpClient's handlers. The client's wait for a loading
    /// model (503 with <c>estimated_time</c>, bounded by <see cref="InferenceClientOptions.Timeout"/>) is not a retry and stays.
    /// </summary>
    public bool? HostRetries { get; set; }
}
