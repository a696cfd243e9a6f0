using System;
using System.Globalization;
using System.Net.Http;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.Endpoints;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>Registers the client, the endpoints client and the Microsoft.Extensions.AI adapters.</summary>
public static class HuggingFaceServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the registered clients use (configure handlers and proxies on it).</summary>
    public const string HttpClientName = "HuggingFace.Inference";

    /// <summary>
    /// Registers <see cref="InferenceClient"/>, <see cref="InferenceEndpointsClient"/>, <see cref="IChatClient"/>
    /// and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> on an <see cref="IHttpClientFactory"/> client,
    /// so that handlers, proxies and lifetimes are the host's. The token, when not configured, is found in the
    /// environment as usual.
    /// </summary>
    public static IServiceCollection AddHuggingFaceInference(this IServiceCollection services, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new HuggingFaceInferenceOptions();
        configure?.Invoke(options);
        options.Client.Validate();
        services.AddSingleton(options);

        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // The client follows redirects itself, so that credentials never follow one to another host.
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                MaxConnectionsPerServer = options.Client.MaxConnectionsPerServer,
                MaxResponseDrainSize = 0,
            });

        services.AddTransient(sp =>
        {
            // The host's logging, unless the options name a factory of their own.
            var clientOptions = options.Client.LoggerFactory != null ? options.Client : WithLogging(options.Client, sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            if (options.CacheResponses && clientOptions.ResponseCache == null)
            {
                clientOptions = clientOptions == options.Client ? clientOptions.Clone() : clientOptions;
                clientOptions.ResponseCache = HostCache(sp);
            }

            return new InferenceClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });
        services.AddTransient(sp => new InferenceEndpointsClient(options.Endpoints, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
        services.AddTransient<IChatClient>(sp => new HuggingFaceChatClient(sp.GetRequiredService<InferenceClient>(), options.ChatModel));
        services.AddTransient<IEmbeddingGenerator<string, Embedding<float>>>(sp => new HuggingFaceEmbeddingGenerator(sp.GetRequiredService<InferenceClient>(), options.EmbeddingModel, options.EmbeddingBatchSize));
        return services;
    }

    /// <summary>
    /// The same, with options from a configuration section such as <c>HuggingFace</c>: <c>Model</c>,
    /// <c>BaseUrl</c>, <c>Token</c>, <c>Provider</c>, <c>RouterUrl</c>, <c>HubUrl</c>, <c>InferenceApiUrl</c>, <c>Timeout</c> (a TimeSpan),
    /// <c>MaxRetries</c>, <c>BillTo</c>, <c>ChatModel</c>, <c>EmbeddingModel</c>, <c>EmbeddingBatchSize</c>, <c>CacheResponses</c>,
    /// <c>Endpoints:ApiUrl</c>, <c>Endpoints:HubUrl</c>; then <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="FormatException">A value does not parse (the message names the key).</exception>
    public static IServiceCollection AddHuggingFaceInference(this IServiceCollection services, IConfiguration section, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddHuggingFaceInference(options =>
        {
            var client = options.Client;
            client.Model = section["Model"] ?? client.Model;
            client.BaseUrl = Url(section, "BaseUrl") ?? client.BaseUrl;
            client.Token = section["Token"] ?? client.Token;
            client.Provider = section["Provider"] ?? client.Provider;
            client.RouterUrl = Url(section, "RouterUrl") ?? client.RouterUrl;
            client.HubUrl = Url(section, "HubUrl") ?? client.HubUrl;
            client.InferenceApiUrl = Url(section, "InferenceApiUrl") ?? client.InferenceApiUrl;
            client.Timeout = Parse(section, "Timeout", v => TimeSpan.Parse(v, CultureInfo.InvariantCulture)) ?? client.Timeout;
            client.MaxRetries = Parse(section, "MaxRetries", v => int.Parse(v, CultureInfo.InvariantCulture)) ?? client.MaxRetries;
            client.BillTo = section["BillTo"] ?? client.BillTo;
            options.ChatModel = section["ChatModel"] ?? options.ChatModel;
            options.EmbeddingModel = section["EmbeddingModel"] ?? options.EmbeddingModel;
            options.EmbeddingBatchSize = Parse(section, "EmbeddingBatchSize", v => int.Parse(v, CultureInfo.InvariantCulture)) ?? options.EmbeddingBatchSize;
            options.CacheResponses = Parse(section, "CacheResponses", v => bool.Parse(v)) ?? options.CacheResponses;
            options.Endpoints.Token = section["Token"] ?? options.Endpoints.Token;
            options.Endpoints.ApiUrl = Url(section, "Endpoints:ApiUrl") ?? options.Endpoints.ApiUrl;
            options.Endpoints.HubUrl = Url(section, "Endpoints:HubUrl") ?? options.Endpoints.HubUrl;
            configure?.Invoke(options);
        });
    }

    /// <summary>The host's distributed cache when it has one, else its memory cache.</summary>
    private static Caching.InferenceResponseCache HostCache(IServiceProvider services) =>
        services.GetService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>() is { } distributed ? Caching.InferenceResponseCache.Over(distributed)
        : services.GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>() is { } memory ? Caching.InferenceResponseCache.Over(memory)
        : throw new InvalidOperationException("CacheResponses is set but the host registers no IDistributedCache or IMemoryCache: call services.AddMemoryCache() or AddDistributedMemoryCache() (or a Redis cache), or set Client.ResponseCache.");

    private static InferenceClientOptions WithLogging(InferenceClientOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory)
    {
        var copy = options.Clone();
        copy.LoggerFactory = loggerFactory;
        return copy;
    }

    private static Uri? Url(IConfiguration section, string key)
    {
        var value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null
            : Uri.TryCreate(value, UriKind.Absolute, out var url) ? url
            : throw new FormatException($"The configuration value {key} = '{value}' is not an absolute URL.");
    }

    private static T? Parse<T>(IConfiguration section, string key, Func<string, T> parse)
        where T : struct
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            return parse(value);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            throw new FormatException($"The configuration value {key} = '{value}' is not valid: {exception.Message}", exception);
        }
    }
}
