using System.Text.Json.Serialization;

namespace HuggingFace.Inference;

/// <summary>
/// One provider that serves a model, as the Hub lists it (<c>GET /api/models/{id}?expand[]=inferenceProviderMapping</c>),
/// in the Hub's order (the user's provider preferences when the token says who they are).
/// </summary>
public sealed record InferenceProviderMapping
{
    /// <summary>The provider's name (<c>fal-ai</c>, <c>together</c>, <c>hf-inference</c> …).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider's own id of the model (<c>fal-ai/flux/dev</c>).</summary>
    public required string ProviderId { get; init; }

    /// <summary><c>live</c>, <c>staging</c> (for tests only) or <c>error</c> (the latest health check failed).</summary>
    public string? Status { get; init; }

    /// <summary>The Hub's task name for what the provider serves (<c>conversational</c> for chat, <c>text-to-image</c> …).</summary>
    public required string Task { get; init; }

    /// <summary><c>lora</c> when the model is an adapter the provider applies to a base model, else null.</summary>
    public string? Adapter { get; init; }

    /// <summary>The adapter's weights file in the model's repository, when <see cref="Adapter"/> is set.</summary>
    public string? AdapterWeightsPath { get; init; }

    /// <summary>The model id the mapping belongs to.</summary>
    [JsonIgnore]
    public string? ModelId { get; init; }
}
