using System;
using System.Net.Http;

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

    /// <summary>Adds what a request to this provider carries besides the transport's own headers: the provider's headers and, direct, its key in its scheme.</summary>
    public HttpRequestMessage Authorize(HttpRequestMessage message, Http.InferenceTransport transport)
    {
        if (Provider == null)
        {
            return message;
        }

        foreach (var (name, value) in Provider.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Direct && transport.DirectAuthorization(Provider.Auth) is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return message;
    }

    /// <summary>What the transport adds: the client's credentials through the router, only its headers direct.</summary>
    public Http.RequestCredentials Credentials => Direct ? Http.RequestCredentials.Direct : Http.RequestCredentials.Client;
}
