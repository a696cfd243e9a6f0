using System;
using System.Net;
using System.Net.Http;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Tei;
using HuggingFace.Inference.Tgi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// Registers the library's Refit interfaces (<see cref="IInferenceEndpointsApi"/>, <see cref="IHfInferenceApi"/>,
/// <see cref="IHuggingFaceHubApi"/>) with <c>AddRefitGeneratedClient</c>: an <see cref="IHttpClientFactory"/>
/// client whose chain ends in the library's <see cref="InferencePolicyHandler"/> over a socket handler that
/// does not follow redirects. Add your own handlers to the returned builder with <c>AddHttpMessageHandler</c>:
/// they run inside the policies, once per attempt, with the token already set.
/// </summary>
public static class HuggingFaceRefitServiceCollectionExtensions
{
    /// <summary>The router's hf-inference base address, where <see cref="IHfInferenceApi"/>'s routes live.</summary>
    public static readonly Uri DefaultHfInferenceUrl = new("https://router.huggingface.co/hf-inference");

    /// <summary>
    /// Registers the Refit interface <typeparamref name="TApi"/> (one of this library's, or your own over the
    /// generated types) at <paramref name="baseAddress"/>, sending through the library's policies.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="baseAddress">The API's base address.</param>
    /// <param name="configure">The policies' options: token, retries, timeout, size cap, headers. The token is found as InferenceClient finds it when not set.</param>
    /// <param name="retryWrites">Whether POST, PUT, PATCH and DELETE are retried too (true for inference calls; management writes should not be).</param>
    /// <returns>The client's builder, for your own handlers and settings.</returns>
    public static IHttpClientBuilder AddHuggingFaceRefitClient<TApi>(this IServiceCollection services, Uri baseAddress, Action<InferenceClientOptions>? configure = null, bool retryWrites = false)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("The base address must be absolute.", nameof(baseAddress));
        }

        // Checked now, not at the first call.
        var checkedOptions = new InferenceClientOptions();
        configure?.Invoke(checkedOptions);
        checkedOptions.Validate();

        var builder = services
            .AddRefitGeneratedClient<TApi>(_ => InferenceJsonContentSerializer.CreateSettings())
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = baseAddress;
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // the policies' timeout spans retries
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // the policies follow redirects, and drop credentials across hosts
                AutomaticDecompression = DecompressionMethods.All,
                MaxResponseDrainSize = 0,
            })
            .AddHttpMessageHandler(provider =>
            {
                var options = new InferenceClientOptions();
                configure?.Invoke(options);
                options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
                return new InferencePolicyHandler(options) { RetryWrites = retryWrites };
            });

        // AddHuggingFaceHttpMessageHandler places its handlers in this client's chain too.
        HuggingFaceHttpClients.Of(services).Add(builder.Name);
        return builder;
    }

    /// <summary>Registers <see cref="IInferenceEndpointsApi"/> (reads retried, writes not) at <paramref name="apiUrl"/> (default: the management API).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">The policies' options.</param>
    /// <param name="apiUrl">The management API's URL; <see cref="InferenceEndpointsClientOptions.DefaultApiUrl"/> when null.</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddInferenceEndpointsApi(this IServiceCollection services, Action<InferenceClientOptions>? configure = null, Uri? apiUrl = null) =>
        services.AddHuggingFaceRefitClient<IInferenceEndpointsApi>(apiUrl ?? InferenceEndpointsClientOptions.DefaultApiUrl, configure);

    /// <summary>Registers <see cref="IHfInferenceApi"/> (inference calls retried as InferenceClient retries them) at <paramref name="baseUrl"/> (default: <see cref="DefaultHfInferenceUrl"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">The policies' options.</param>
    /// <param name="baseUrl">The hf-inference base URL, or an endpoint's URL; <see cref="DefaultHfInferenceUrl"/> when null.</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddHfInferenceApi(this IServiceCollection services, Action<InferenceClientOptions>? configure = null, Uri? baseUrl = null) =>
        services.AddHuggingFaceRefitClient<IHfInferenceApi>(baseUrl ?? DefaultHfInferenceUrl, configure, retryWrites: true);

    /// <summary>
    /// Registers <see cref="ITextGenerationInferenceApi"/> (a text-generation-inference server's own routes:
    /// <c>/generate</c>, <c>/generate_stream</c>, <c>/v1/chat/completions</c>, <c>/info</c> …) at <paramref name="baseUrl"/>,
    /// inference calls retried as InferenceClient retries them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="baseUrl">The TGI server's (or a TGI Inference Endpoint's) base URL.</param>
    /// <param name="configure">The policies' options.</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddTextGenerationInferenceApi(this IServiceCollection services, Uri baseUrl, Action<InferenceClientOptions>? configure = null) =>
        services.AddHuggingFaceRefitClient<ITextGenerationInferenceApi>(baseUrl, configure, retryWrites: true);

    /// <summary>
    /// Registers <see cref="ITextEmbeddingsInferenceApi"/> (a text-embeddings-inference server's own routes:
    /// <c>/embed</c>, <c>/rerank</c>, <c>/v1/embeddings</c>, <c>/info</c> …) at <paramref name="baseUrl"/>,
    /// inference calls retried as InferenceClient retries them.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="baseUrl">The TEI server's (or a TEI Inference Endpoint's) base URL.</param>
    /// <param name="configure">The policies' options.</param>
    /// <returns>The client's builder.</returns>
    public static IHttpClientBuilder AddTextEmbeddingsInferenceApi(this IServiceCollection services, Uri baseUrl, Action<InferenceClientOptions>? configure = null) =>
        services.AddHuggingFaceRefitClient<ITextEmbeddingsInferenceApi>(baseUrl, configure, retryWrites: true);
}
