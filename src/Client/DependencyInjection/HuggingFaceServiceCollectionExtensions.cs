using System;
using System.Net.Http;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// Registers the client, the endpoints client and the Microsoft.Extensions.AI adapters, configured through
/// <see cref="IOptions{TOptions}"/> of <see cref="HuggingFaceInferenceOptions"/> (named by the key for keyed
/// registrations) and validated when the host starts.
/// </summary>
public static partial class HuggingFaceServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the registered clients use (configure handlers and proxies on it); keyed registrations use <c>HuggingFace.Inference:{key}</c>.</summary>
    public const string HttpClientName = "HuggingFace.Inference";

    /// <summary>The HttpClient name of a registration: <see cref="HttpClientName"/>, or <c>HuggingFace.Inference:{key}</c> for a keyed one.</summary>
    public static string HttpClientNameFor(string? key) => key == null ? HttpClientName : HttpClientName + ":" + key;

    /// <summary>
    /// Registers <see cref="InferenceClient"/>, <see cref="InferenceEndpointsClient"/>, <see cref="IChatClient"/>
    /// and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> on an <see cref="IHttpClientFactory"/> client,
    /// so that handlers, proxies and lifetimes are the host's. <paramref name="configure"/> runs on the options
    /// (<c>services.Configure&lt;HuggingFaceInferenceOptions&gt;</c> works too); they are validated when the host
    /// starts (<c>ValidateOnStart</c>), or when first resolved without a host. The token, when not configured, is
    /// found in the environment as usual.
    /// </summary>
    public static IServiceCollection AddHuggingFaceInference(this IServiceCollection services, Action<HuggingFaceInferenceOptions>? configure = null) =>
        Register(services, key: null, section: null, configure);

    /// <summary>
    /// The same, with options bound from a configuration section such as <c>HuggingFace</c>: <c>Model</c>,
    /// <c>BaseUrl</c>, <c>Token</c>, <c>Provider</c>, <c>RouterUrl</c>, <c>HubUrl</c>, <c>InferenceApiUrl</c>, <c>Timeout</c> (a TimeSpan),
    /// <c>MaxRetries</c>, <c>BillTo</c>, <c>ChatModel</c>, <c>EmbeddingModel</c>, <c>EmbeddingBatchSize</c>, <c>CacheResponses</c>,
    /// <c>HostRetries</c>, <c>Endpoints:ApiUrl</c>, <c>Endpoints:HubUrl</c>; then <paramref name="configure"/>. A value that does
    /// not parse fails the host's start with a message naming the key; reloaded configuration reaches clients resolved afterwards.
    /// </summary>
    public static IServiceCollection AddHuggingFaceInference(this IServiceCollection services, IConfiguration section, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Register(services, key: null, section, configure);
    }

    /// <summary>
    /// A second, independent registration under <paramref name="key"/> (a provider, a tenant …): the keyed
    /// <see cref="InferenceClient"/>, <see cref="InferenceEndpointsClient"/>, <see cref="IChatClient"/> and
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, resolved with <c>[FromKeyedServices("fal")]</c> or
    /// <c>GetRequiredKeyedService</c>, with options named <paramref name="key"/> and an HttpClient named
    /// <c>HuggingFace.Inference:{key}</c>.
    /// </summary>
    public static IServiceCollection AddKeyedHuggingFaceInference(this IServiceCollection services, string key, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Register(services, key, section: null, configure);
    }

    /// <summary>The keyed registration with options bound from <paramref name="section"/> (the keys of the unkeyed overload).</summary>
    public static IServiceCollection AddKeyedHuggingFaceInference(this IServiceCollection services, string key, IConfiguration section, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(section);
        return Register(services, key, section, configure);
    }

    private static IServiceCollection Register(IServiceCollection services, string? key, IConfiguration? section, Action<HuggingFaceInferenceOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = key ?? Options.DefaultName;
        var builder = services.AddOptions<HuggingFaceInferenceOptions>(name);
        if (section != null)
        {
            builder.Configure(options => HuggingFaceConfiguration.Bind(section, options));
            builder.Services.AddSingleton<IOptionsChangeTokenSource<HuggingFaceInferenceOptions>>(new ConfigurationChangeTokenSource<HuggingFaceInferenceOptions>(name, section));
        }

        if (configure != null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HuggingFaceInferenceOptions>, HuggingFaceInferenceOptionsValidator>());

        var httpClientName = HttpClientNameFor(key);
        services.AddHttpClient(httpClientName)
            .ConfigureHttpClient(http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // The client follows redirects itself, so that credentials never follow one to another host.
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                MaxConnectionsPerServer = OptionsOf(sp, name).Client.MaxConnectionsPerServer,
                MaxResponseDrainSize = 0,
            })
            // The policies' place in the chain: handlers before them see each call once, handlers after them each
            // attempt. InferenceClient and InferenceEndpointsClient split the chain here and run their own policies
            // (options, token) at this point; this instance serves other requests sent on the named client.
            .AddHttpMessageHandler(sp =>
            {
                var policyOptions = OptionsOf(sp, name).Client.Clone();
                policyOptions.LoggerFactory ??= sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>();
                return new InferencePolicyHandler(policyOptions);
            });
        HuggingFaceHttpClients.Of(services).Add(httpClientName);

        var factories = new ClientFactories(name, httpClientName);
        if (key == null)
        {
            services.AddTransient(factories.Inference);
            services.AddTransient(factories.Endpoints);
            services.AddTransient<IChatClient>(factories.Chat);
            services.AddTransient<IEmbeddingGenerator<string, Embedding<float>>>(factories.Embeddings);
        }
        else
        {
            services.AddKeyedTransient(key, factories.KeyedInference);
            services.AddKeyedTransient(key, factories.KeyedEndpoints);
            services.AddKeyedTransient<IChatClient>(key, factories.KeyedChat);
            services.AddKeyedTransient<IEmbeddingGenerator<string, Embedding<float>>>(key, factories.KeyedEmbeddings);
        }

        return services;
    }

    internal static HuggingFaceInferenceOptions OptionsOf(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<HuggingFaceInferenceOptions>>().Get(name);

    /// <summary>The factories of one registration; their Target identifies the registration's own IChatClient and IEmbeddingGenerator.</summary>
    internal sealed class ClientFactories(string name, string httpClientName)
    {
        public string Name { get; } = name;

        public InferenceClient Inference(IServiceProvider sp)
        {
            var options = OptionsOf(sp, Name);
            var clientOptions = options.Client.Clone();

            // The host's logging, unless the options name a factory of their own.
            clientOptions.LoggerFactory ??= sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>();
            if (options.CacheResponses && clientOptions.ResponseCache == null)
            {
                clientOptions.ResponseCache = HostCache(sp);
            }

            var handlers = sp.GetRequiredService<IHttpMessageHandlerFactory>();
            if (HostRetryPolicy.HostRetries(options.HostRetries, handlers, httpClientName))
            {
                // The host's resilience handler retries each request; ours on top would multiply the attempts.
                clientOptions.MaxRetries = 0;
            }

            var (attempts, calls) = Chain(sp, handlers);
            return new InferenceClient(clientOptions, attempts, calls);
        }

        public InferenceEndpointsClient Endpoints(IServiceProvider sp)
        {
            var (attempts, calls) = Chain(sp, sp.GetRequiredService<IHttpMessageHandlerFactory>());
            return new InferenceEndpointsClient(OptionsOf(sp, Name).Endpoints, attempts, calls);
        }

        /// <summary>
        /// The named client's chain split at its policy handler: attempts through the handlers after it (with the
        /// named client's default headers), calls through the handlers before it, if any besides the factory's own wrapper.
        /// </summary>
        private (HttpClient Attempts, HttpMessageHandler? Calls) Chain(IServiceProvider sp, IHttpMessageHandlerFactory handlers)
        {
            var named = sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName);
            // The factory's logical-request logging (its outermost handler) with its logger off does nothing a call
            // would miss: then a call goes straight to the attempts, as a client without DI does. On, it logs each call once.
            var logging = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>();
            var logical = logging?.CreateLogger($"System.Net.Http.HttpClient.{httpClientName}.LogicalHandler");
            bool Idle(DelegatingHandler handler) =>
                handler.GetType().FullName == "Microsoft.Extensions.Http.Logging.LoggingScopeHttpMessageHandler"
                && logical?.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information) != true;
            if (InferencePolicyHandler.Split(handlers.CreateHandler(httpClientName), Idle) is not { } split)
            {
                return (named, null); // a host that removed the policy handler: every attempt through the whole chain, as before
            }

            foreach (var header in named.DefaultRequestHeaders)
            {
                split.Attempts.DefaultRequestHeaders.TryAddWithoutValidation(header.Key, header.Value);
            }

            return split;
        }

        public IChatClient Chat(IServiceProvider sp) => new HuggingFaceChatClient(Inference(sp), OptionsOf(sp, Name).ChatModel);

        public IEmbeddingGenerator<string, Embedding<float>> Embeddings(IServiceProvider sp)
        {
            var options = OptionsOf(sp, Name);
            return new HuggingFaceEmbeddingGenerator(Inference(sp), options.EmbeddingModel, options.EmbeddingBatchSize);
        }

        public InferenceClient KeyedInference(IServiceProvider sp, object? key) => Inference(sp);

        public InferenceEndpointsClient KeyedEndpoints(IServiceProvider sp, object? key) => Endpoints(sp);

        public IChatClient KeyedChat(IServiceProvider sp, object? key) => Chat(sp);

        public IEmbeddingGenerator<string, Embedding<float>> KeyedEmbeddings(IServiceProvider sp, object? key) => Embeddings(sp);
    }

    /// <summary>The host's distributed cache when it has one, else its memory cache.</summary>
    private static Caching.InferenceResponseCache HostCache(IServiceProvider services) =>
        services.GetService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>() is { } distributed ? Caching.InferenceResponseCache.Over(distributed)
        : services.GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>() is { } memory ? Caching.InferenceResponseCache.Over(memory)
        : throw new InvalidOperationException("CacheResponses is set but the host registers no IDistributedCache or IMemoryCache: call services.AddMemoryCache() or AddDistributedMemoryCache() (or a Redis cache), or set Client.ResponseCache.");
}
