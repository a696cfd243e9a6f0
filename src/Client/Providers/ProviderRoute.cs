using System;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// Where one call goes, decided before anything is sent: the provider and its entry for the task (null
/// for a URL model, which is a server of its own), the model ids, and the URL. Routed calls go through
/// the router with the Hugging Face token; direct calls go to the provider's API with its own key.
/// </summary>
internal sealed record ProviderRoute(
    ProviderSpec? Provider,
    ProviderTaskSpec? Entry,
    string? ModelId,
    string? ProviderModelId,
    InferenceProviderMapping? Mapping,
    Uri Url,
    bool Direct)
{
    /// <summary>A URL model or an endpoint: the URL as given, no provider.</summary>
    public static ProviderRoute ForUrl(Uri url) => new(null, null, null, null, null, url, Direct: false);

    /// <summary>Whether the request and answer are hf-inference's (the task manifest's forms), so the existing wire applies.</summary>
    public bool IsHfInferenceWire => Entry == null || Entry.Request == ProviderRequestForm.HfInference;

    /// <summary>The provider's name, or null.</summary>
    public string? ProviderName => Provider?.Name;
}
