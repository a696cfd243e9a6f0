using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace HuggingFace.Inference;

/// <summary>
/// How an <see cref="InferenceClient"/> reaches models and authenticates. The client copies the options when it is
/// made: changing this object afterwards does not change the client. The client's own copy
/// (<see cref="InferenceClient.Options"/>) is read-only: setting a property throws <see cref="InvalidOperationException"/>
/// and changing <see cref="Headers"/>, <see cref="Cookies"/> or <see cref="ProviderUrls"/> throws
/// <see cref="NotSupportedException"/>; make a new client from new options instead.
/// </summary>
public sealed class InferenceClientOptions
{
    private bool _frozen;

    /// <summary>The serverless router (<c>https://router.huggingface.co</c>).</summary>
    public static readonly Uri DefaultRouterUrl = new("https://router.huggingface.co");

    /// <summary>The legacy serverless Inference API (<c>https://api-inference.huggingface.co</c>).</summary>
    public static readonly Uri DefaultInferenceApiUrl = new("https://api-inference.huggingface.co");

    /// <summary>The Hugging Face Hub (<c>https://huggingface.co</c>), asked which providers serve a model.</summary>
    public static readonly Uri DefaultHubUrl = new("https://huggingface.co");

    /// <summary>A model id (<c>meta-llama/Llama-3.1-8B-Instruct</c>) or the URL of a deployed endpoint; each call may override it.</summary>
    public string? Model { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>
    /// Which Inference Provider serves model ids: <c>"auto"</c> (the default) lets the router choose for
    /// chat and takes the first provider the Hub lists for the model and task otherwise; any name of
    /// <see cref="InferenceProviders"/> (<c>"together"</c>, <c>"fal-ai"</c>, <c>"hf-inference"</c> …) picks
    /// that provider. A model written <c>"{id}:{provider}"</c> picks the provider for one call.
    /// </summary>
    public string Provider { get; set { ThrowIfFrozen(); field = value; } } = InferenceProviders.Auto;

    /// <summary>The Hub asked for a model's providers (<c>/api/models/{id}?expand[]=inferenceProviderMapping</c>); tests point it elsewhere.</summary>
    public Uri HubUrl { get; set { ThrowIfFrozen(); field = value; } } = DefaultHubUrl;

    /// <summary>
    /// Per provider, the base URL of direct calls (made when the token is a provider's own key, not an
    /// <c>hf_</c> token), instead of the provider's own API: for gateways and tests.
    /// </summary>
    public IDictionary<string, Uri> ProviderUrls { get; private set; } = new Dictionary<string, Uri>(StringComparer.Ordinal);

    /// <summary>An OpenAI-compatible base URL (chat only). Setting both this and <see cref="Model"/> is an error.</summary>
    public Uri? BaseUrl { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>
    /// The Hugging Face token. When null it is found as the Python client finds it: <c>HF_TOKEN</c>,
    /// then <c>HUGGING_FACE_HUB_TOKEN</c>, then the token file (<c>HF_TOKEN_PATH</c>, else
    /// <c>$HF_HOME/token</c>, else <c>~/.cache/huggingface/token</c>).
    /// </summary>
    public string? Token { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>The same as <see cref="Token"/>, under the OpenAI SDKs' name.</summary>
    public string? ApiKey
    {
        get => Token;
        set => Token = value;
    }

    /// <summary>False to send no token at all, not even one found in the environment (Python's <c>token=False</c>).</summary>
    public bool SendToken { get; set { ThrowIfFrozen(); field = value; } } = true;

    /// <summary>
    /// The longest a call may take, all of it under one deadline: the provider lookup, an input URL's
    /// download, every attempt and retry wait (503 "model is loading" included) and the answer's body.
    /// Null (the default): no overall limit, but waiting for a loading model stops after
    /// <see cref="ModelLoadingTimeout"/> and a single retry wait is at most 5 minutes.
    /// </summary>
    public TimeSpan? Timeout { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>
    /// How long a call without a <see cref="Timeout"/> keeps retrying 503 "model is loading" before it fails
    /// with <see cref="InferenceTimeoutException"/> (default 5 minutes: a cold model usually loads within a
    /// minute or two, and a model that never loads must not hang the call forever). With a Timeout set,
    /// loading is waited on until the Timeout instead.
    /// </summary>
    public TimeSpan ModelLoadingTimeout { get; set { ThrowIfFrozen(); field = value; } } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many times a call is retried after a 429 (waiting as <c>Retry-After</c> or the <c>RateLimit</c>
    /// headers say) or a connection failure before any answer; 0 turns retries off. 503 "model is
    /// loading" is retried until the timeout whatever this says. A stream is never retried once an
    /// event was delivered.
    /// </summary>
    public int MaxRetries { get; set { ThrowIfFrozen(); field = value; } } = 2;

    /// <summary>
    /// The largest answer or input download read (default 256 MiB), counted after decompression; a larger
    /// one fails with <see cref="HfHubHttpException"/> as soon as the cap is passed, and the memory the
    /// read holds never exceeds the cap by more than one small segment.
    /// </summary>
    public long MaxResponseBytes { get; set { ThrowIfFrozen(); field = value; } } = 256L * 1024 * 1024;

    /// <summary>
    /// The largest single event of a stream (default 16 MiB, far above any chat or generation event);
    /// a larger one stops the stream with <see cref="System.IO.InvalidDataException"/> before it is held in memory.
    /// </summary>
    public long MaxEventBytes { get; set { ThrowIfFrozen(); field = value; } } = Http.StreamEvents.DefaultMaxEventBytes;

    /// <summary>The most connections open to one server at once (default 64); more concurrent calls wait for one. Ignored when an HttpClient is given.</summary>
    public int MaxConnectionsPerServer { get; set { ThrowIfFrozen(); field = value; } } = 64;

    /// <summary>Where the client logs request starts and ends and retries (category <c>HuggingFace.Inference</c>); nothing when null. The token is never logged.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>Extra headers sent with every inference request.</summary>
    public IDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Cookies sent with every inference request.</summary>
    public IDictionary<string, string> Cookies { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A proxy; when null the environment's (<c>HTTPS_PROXY</c>, <c>NO_PROXY</c>) applies. Ignored when an HttpClient is given.</summary>
    public IWebProxy? Proxy { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>The organization billed for the calls (<c>X-HF-Bill-To</c>).</summary>
    public string? BillTo { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>The serverless router; tests and self-hosted gateways point it elsewhere.</summary>
    public Uri RouterUrl { get; set { ThrowIfFrozen(); field = value; } } = DefaultRouterUrl;

    /// <summary>The legacy serverless Inference API (endpoint info for model ids).</summary>
    public Uri InferenceApiUrl { get; set { ThrowIfFrozen(); field = value; } } = DefaultInferenceApiUrl;

    /// <summary>
    /// An opt-in cache of answers for deterministic tasks (embeddings, classification), over an
    /// <c>IMemoryCache</c> or an <c>IDistributedCache</c>: <c>InferenceResponseCache.Over(cache)</c>.
    /// Null (the default) caches nothing.
    /// </summary>
    public Caching.InferenceResponseCache? ResponseCache { get; set { ThrowIfFrozen(); field = value; } }

    /// <summary>A read-only copy: what a client keeps and shows as <see cref="InferenceClient.Options"/>.</summary>
    internal InferenceClientOptions Freeze()
    {
        var copy = Clone();
        copy.Headers = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(copy.Headers);
        copy.Cookies = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(copy.Cookies);
        copy.ProviderUrls = new System.Collections.ObjectModel.ReadOnlyDictionary<string, Uri>(copy.ProviderUrls);
        copy._frozen = true;
        return copy;
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("These are a client's options, read-only once it is made: set them on new InferenceClientOptions and make a new client.");
        }
    }

    /// <summary>A mutable copy, so that a client is not changed by later changes to the options it was made with.</summary>
    internal InferenceClientOptions Clone()
    {
        var copy = new InferenceClientOptions
        {
            Model = Model,
            BaseUrl = BaseUrl,
            Token = Token,
            SendToken = SendToken,
            Timeout = Timeout,
            ModelLoadingTimeout = ModelLoadingTimeout,
            MaxRetries = MaxRetries,
            MaxResponseBytes = MaxResponseBytes,
            MaxEventBytes = MaxEventBytes,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
            LoggerFactory = LoggerFactory,
            Proxy = Proxy,
            BillTo = BillTo,
            RouterUrl = RouterUrl,
            InferenceApiUrl = InferenceApiUrl,
            Provider = Provider,
            HubUrl = HubUrl,
            ResponseCache = ResponseCache,
        };
        foreach (var (name, value) in Headers)
        {
            copy.Headers[name] = value;
        }

        foreach (var (name, value) in Cookies)
        {
            copy.Cookies[name] = value;
        }

        foreach (var (name, value) in ProviderUrls)
        {
            copy.ProviderUrls[name] = value;
        }

        return copy;
    }

    internal void Validate()
    {
        if (BaseUrl != null && !string.IsNullOrEmpty(Model))
        {
            throw new ArgumentException("Set Model or BaseUrl, not both: BaseUrl is an OpenAI-compatible base URL and already names the server.", nameof(BaseUrl));
        }

        // A CR or LF in a header value would start another header (or another request).
        foreach (var (name, value) in Headers)
        {
            RequireSingleLine(name, nameof(Headers));
            RequireSingleLine(value, nameof(Headers));
        }

        foreach (var (name, value) in Cookies)
        {
            RequireSingleLine(name, nameof(Cookies));
            RequireSingleLine(value, nameof(Cookies));
        }

        RequireSingleLine(BillTo, nameof(BillTo));
        RequireSingleLine(Token, nameof(Token));

        RequireHttp(BaseUrl, nameof(BaseUrl));
        RequireHttp(RouterUrl, nameof(RouterUrl));
        RequireHttp(InferenceApiUrl, nameof(InferenceApiUrl));
        RequireHttp(HubUrl, nameof(HubUrl));
        Providers.ProviderNames.Require(Provider, nameof(Provider));
        foreach (var (name, url) in ProviderUrls)
        {
            Providers.ProviderNames.Require(name, nameof(ProviderUrls));
            RequireHttp(url, nameof(ProviderUrls));
        }

        if (MaxConnectionsPerServer <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConnectionsPerServer), MaxConnectionsPerServer, "MaxConnectionsPerServer must be positive.");
        }

        if (MaxResponseBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "MaxResponseBytes must be positive.");
        }

        if (MaxEventBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventBytes), MaxEventBytes, "MaxEventBytes must be positive.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries is 0 (no retries) or more.");
        }

        if (ModelLoadingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ModelLoadingTimeout), ModelLoadingTimeout, "ModelLoadingTimeout must be positive.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "The timeout must be positive, or null to wait indefinitely.");
        }
    }

    private static void RequireSingleLine(string? value, string name)
    {
        if (value != null && value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw new ArgumentException($"{name} must not contain line breaks or NUL characters.", name);
        }
    }

    private static void RequireHttp(Uri? uri, string name)
    {
        if (uri != null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"{name} must be an absolute http or https URL, not '{uri}'.", name);
        }
    }
}
