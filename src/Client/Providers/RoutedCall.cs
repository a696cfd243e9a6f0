using System;
using System.Net.Http;
using System.Net.Http.Headers;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// A chat or text-generation request, resolved: the URL, the body, and the provider route (null for a URL
/// server). Builds the message with the provider's headers and, for a direct call, its key in its scheme.
/// </summary>
internal sealed class RoutedCall(InferenceTransport transport, Uri url, byte[] body, ProviderRoute? route, bool autoRouted)
{
    public Uri Url { get; } = url;

    public byte[] Body { get; } = body;

    public ProviderRoute? Route { get; } = route;

    public RequestCredentials Credentials => Route?.Credentials ?? RequestCredentials.Client;

    public HttpRequestMessage Message(string? accept)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var message = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        if (accept != null)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return Route?.Authorize(message, transport) ?? message;
    }

    /// <summary>Whether an error of this call names a provider: the router chose one, or a provider other than hf-inference was asked.</summary>
    public bool NamesProvider => autoRouted || (Route?.Provider is { } provider && provider.Name != InferenceProviders.HfInference);

    public InferenceProviderException Wrap(HfHubHttpException error, string task) =>
        InferenceProviderException.From(error, Route?.ProviderName, Route?.ProviderModelId, task, InferenceProviderPhase.Submit);
}
