using System.Net.Http;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// Decides whose retry runs when the host has configured the named HttpClient: a resilience handler
/// (<c>AddStandardResilienceHandler</c>, <c>AddResilienceHandler</c>, on the client or through
/// <c>ConfigureHttpClientDefaults</c>) retries every request the client sends, so the client's own retries
/// (<see cref="InferenceClientOptions.MaxRetries"/>) are switched off rather than multiplied by it.
/// </summary>
internal static class HostRetryPolicy
{
    // By name: the client does not depend on Microsoft.Extensions.Http.Resilience.
    private const string ResilienceHandler = "Microsoft.Extensions.Http.Resilience.ResilienceHandler";

    /// <summary>Whether the host retries: <paramref name="configured"/> when set, else whether the client's handler chain has a resilience handler.</summary>
    public static bool HostRetries(bool? configured, IHttpMessageHandlerFactory handlers, string httpClientName)
    {
        if (configured is { } decided)
        {
            return decided;
        }

        // The factory hands out its cached chain for the name: the very handlers the HttpClient will send through.
        var handler = handlers.CreateHandler(httpClientName);
        while (handler is DelegatingHandler delegating)
        {
            for (var type = delegating.GetType(); type != null; type = type.BaseType)
            {
                if (type.FullName == ResilienceHandler)
                {
                    return true;
                }
            }

            handler = delegating.InnerHandler;
        }

        return false;
    }
}
