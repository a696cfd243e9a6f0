using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Endpoints;

/// <summary>
/// Manages Inference Endpoints (<c>/v2/endpoint/{namespace}</c> of the management API): create, list,
/// get, and the hardware a namespace can use. Each endpoint is an <see cref="InferenceEndpoint"/> that
/// pauses, resumes, scales to zero, updates, deletes and waits. The namespace defaults to the token's
/// owner, asked once from the Hub. Requests are sent by the Refit interface generated from
/// specs/endpoints-openapi.json (<see cref="Api"/>) through an <see cref="InferencePolicyHandler"/> over the
/// same transport as <see cref="InferenceClient"/>: the token, retries of reads, the timeout, the size
/// cap and <see cref="HfHubHttpException"/> work the same way.
/// </summary>
public sealed class InferenceEndpointsClient : IDisposable
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly InferenceTransport _transport;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly InferenceEndpointsClientOptions _options;
    private readonly HttpClient _apiHttp;
    private readonly HttpClient _hubHttp;
    private readonly HttpClient _catalogHttp;
    private readonly HttpMessageHandler? _calls; // the shared chain's top (handlers before the policies), or null
    private readonly IHuggingFaceHubApi _hub;
    private readonly SemaphoreSlim _whoAmILock = new(1, 1);
    private string? _defaultNamespace;

    /// <summary>A client with <paramref name="options"/>, on <paramref name="httpClient"/> when given (the caller keeps ownership).</summary>
    public InferenceEndpointsClient(InferenceEndpointsClientOptions? options = null, HttpClient? httpClient = null)
        : this(options, httpClient, calls: null)
    {
    }

    /// <summary>
    /// A client on a chain split at its <see cref="InferencePolicyHandler"/> (see <see cref="InferenceClient"/>'s twin):
    /// with <paramref name="calls"/>, each Refit request goes through those handlers once, marked with this client's
    /// transport, and the policy handler at their end runs its attempts through <paramref name="httpClient"/>.
    /// </summary>
    internal InferenceEndpointsClient(InferenceEndpointsClientOptions? options, HttpClient? httpClient, HttpMessageHandler? calls)
    {
        _options = options ?? new InferenceEndpointsClientOptions();
        var transportOptions = new InferenceClientOptions { Token = _options.Token, Timeout = _options.Timeout, MaxRetries = _options.MaxRetries, RouterUrl = _options.ApiUrl };
        transportOptions.Validate();

        // One connection pool for the management API and every endpoint's InferenceClient.
        _ownsHttp = httpClient == null;
        _http = httpClient ?? InferenceTransport.CreateHttpClient(null);
        _calls = calls;
        _transport = new InferenceTransport(transportOptions, _http);
        var settings = InferenceJsonContentSerializer.CreateSettings();
        _apiHttp = PolicyClient(_options.ApiUrl);
        _hubHttp = PolicyClient(_options.HubUrl);
        Api = Refit.RestService.ForGenerated<IInferenceEndpointsApi>(_apiHttp, settings);
        _hub = Refit.RestService.ForGenerated<IHuggingFaceHubApi>(_hubHttp, settings);
        _catalogHttp = PolicyClient(_options.CatalogUrl);
        Catalog = Refit.RestService.ForGenerated<IInferenceCatalogApi>(_catalogHttp, settings);
    }

    /// <summary>An HttpClient at <paramref name="baseAddress"/> whose requests go through this client's policies (and the handlers before them, when shared).</summary>
    private HttpClient PolicyClient(Uri baseAddress) =>
        _calls == null
            ? new HttpClient(new InferencePolicyHandler(_transport)) { BaseAddress = baseAddress, Timeout = System.Threading.Timeout.InfiniteTimeSpan }
            : new HttpClient(new PolicyCallHandler(_transport) { InnerHandler = _calls }, disposeHandler: false) { BaseAddress = baseAddress, Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>The Inference Catalog's operations as the Refit interface generated from specs/endpoints-catalog-openapi.json.</summary>
    public IInferenceCatalogApi Catalog { get; }

    /// <summary>
    /// The management API's operations as the Refit interface generated from specs/endpoints-openapi.json,
    /// for what this class does not wrap; its calls go through this client's policies. Path values are
    /// sent as given (this class checks each is one segment; the raw interface does not).
    /// </summary>
    public IInferenceEndpointsApi Api { get; }

    internal InferenceEndpointsClientOptions Options => _options;

    internal InferenceTransport Transport => _transport;

    /// <summary>An InferenceClient for an endpoint's URL, on this client's connections and token.</summary>
    internal InferenceClient ClientFor(string url) => new(new InferenceClientOptions { Model = url, Token = _options.Token }, _http, _calls);

    /// <summary>One endpoint.</summary>
    /// <exception cref="HfHubHttpException">404 when it does not exist.</exception>
    public async Task<InferenceEndpoint> GetAsync(string name, string? @namespace = null, CancellationToken cancellationToken = default)
    {
        PathSegment.Check(name, nameof(name));
        var ns = await NamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        var raw = await Api.GetEndpointAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return new InferenceEndpoint(this, ns, raw);
    }

    /// <summary>Every endpoint of the namespace, all pages read.</summary>
    public async Task<IReadOnlyList<InferenceEndpoint>> ListAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var ns = await NamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        var endpoints = new List<InferenceEndpoint>();
        string? cursor = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await Api.ListEndpointsAsync(ns, cursor: cursor, cancellationToken: cancellationToken).ConfigureAwait(false);
            endpoints.AddRange(page.Items.Select(raw => new InferenceEndpoint(this, ns, raw)));
            cursor = string.IsNullOrEmpty(page.NextCursor) || !seen.Add(page.NextCursor!) ? null : page.NextCursor;
        }
        while (cursor != null);

        return endpoints;
    }

    /// <summary>Creates an endpoint (the API answers 202: it is pending; <see cref="InferenceEndpoint.WaitAsync"/> waits until it runs).</summary>
    /// <param name="name">The endpoint's name: lowercase letters, digits and '-', at most 32 characters.</param>
    /// <param name="repository">The model's repository.</param>
    /// <param name="framework">The framework (<c>pytorch</c>, <c>custom</c> …).</param>
    /// <param name="accelerator">The accelerator (<c>cpu</c>, <c>gpu</c>, <c>neuron</c>).</param>
    /// <param name="instanceSize">The instance size (<c>x1</c>, <c>x2</c> …).</param>
    /// <param name="instanceType">The instance type (<c>intel-icl</c>, <c>nvidia-a10g</c> …).</param>
    /// <param name="region">The region (<c>us-east-1</c> …).</param>
    /// <param name="vendor">The cloud vendor (<c>aws</c>, <c>azure</c>, <c>gcp</c>).</param>
    /// <param name="type">Who may call it; protected (the Python client's default) when null.</param>
    /// <param name="minReplica">The fewest replicas; 0 allows scaling to zero.</param>
    /// <param name="maxReplica">The most replicas.</param>
    /// <param name="scaleToZeroTimeout">Minutes without requests before scaling to zero.</param>
    /// <param name="revision">The model commit.</param>
    /// <param name="task">The task served.</param>
    /// <param name="customImage">The serving container; a Hugging Face container when null.</param>
    /// <param name="secrets">Secret environment variables.</param>
    /// <param name="env">Environment variables.</param>
    /// <param name="namespace">The owning user or organization; the token's owner when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<InferenceEndpoint> CreateAsync(
        string name,
        string repository,
        EndpointFramework framework,
        EndpointAccelerator accelerator,
        string instanceSize,
        string instanceType,
        string region,
        string vendor,
        InferenceEndpointType? type = null,
        int minReplica = 1,
        int maxReplica = 1,
        int? scaleToZeroTimeout = null,
        string? revision = null,
        EndpointTask? task = null,
        EndpointModelImage? customImage = null,
        IReadOnlyDictionary<string, string>? secrets = null,
        IReadOnlyDictionary<string, string>? env = null,
        string? @namespace = null,
        CancellationToken cancellationToken = default)
    {
        PathSegment.Check(name, nameof(name));
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceSize);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceType);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        ArgumentOutOfRangeException.ThrowIfNegative(minReplica);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplica, Math.Max(1, minReplica));
        var body = new EndpointDefinition
        {
            Name = name,
            Type = type ?? InferenceEndpointType.Protected,
            Provider = new EndpointProvider { Vendor = vendor, Region = region },
            Compute = new EndpointCompute
            {
                Accelerator = accelerator,
                InstanceType = instanceType,
                InstanceSize = instanceSize,
                Scaling = new EndpointScaling { MinReplica = minReplica, MaxReplica = maxReplica, ScaleToZeroTimeout = scaleToZeroTimeout },
            },
            Model = new EndpointModel
            {
                Repository = repository,
                Framework = framework,
                Revision = revision,
                Task = task,
                Image = customImage ?? new EndpointModelImage { Huggingface = EmptyObject },
                Secrets = secrets,
                Env = env,
            },
        };
        return CreateAsync(body, @namespace, cancellationToken);
    }

    /// <summary>Creates an endpoint from a complete body.</summary>
    public async Task<InferenceEndpoint> CreateAsync(EndpointDefinition endpoint, string? @namespace = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var ns = await NamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        var raw = await Api.CreateEndpointAsync(ns, endpoint, cancellationToken).ConfigureAwait(false);
        return new InferenceEndpoint(this, ns, raw);
    }

    /// <summary>
    /// The models of the Inference Catalog: models whose default configurations have been tested, which
    /// <see cref="CreateFromCatalogAsync"/> deploys (<c>GET /api/catalog</c>; experimental upstream).
    /// </summary>
    public async Task<IReadOnlyList<string>> ListCatalogAsync(CancellationToken cancellationToken = default) =>
        (await Catalog.ListCatalogAsync(cancellationToken).ConfigureAwait(false)).Models;

    /// <summary>Deploys a catalog model with its tested configuration (<c>POST /api/catalog/deploy</c>; experimental upstream).</summary>
    /// <param name="repoId">The catalog model's repository (one of <see cref="ListCatalogAsync"/>).</param>
    /// <param name="name">The endpoint's name; the API picks one when null.</param>
    /// <param name="accelerator">The accelerator; the catalog's default when null.</param>
    /// <param name="namespace">The owning user or organization; the token's owner when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new endpoint (pending: <see cref="InferenceEndpoint.WaitAsync"/> waits until it runs).</returns>
    public async Task<InferenceEndpoint> CreateFromCatalogAsync(string repoId, string? name = null, EndpointAccelerator? accelerator = null, string? @namespace = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repoId);
        if (name != null)
        {
            PathSegment.Check(name, nameof(name));
        }

        var ns = await NamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        var deployment = await Catalog.DeployFromCatalogAsync(
            new CatalogDeployRequest { Namespace = ns, RepoId = repoId, EndpointName = name, Accelerator = accelerator?.ToString() },
            cancellationToken).ConfigureAwait(false);
        var raw = deployment.Endpoint.ValueKind == JsonValueKind.Object ? deployment.Endpoint.Deserialize(Serialization.InferenceJson.Info<EndpointWithStatus>(Serialization.InferenceJson.ReadOptions)) : null;
        return new InferenceEndpoint(this, ns, raw ?? throw new InvalidOperationException("The catalog's deploy answer has no endpoint object."));
    }

    /// <summary>The hardware the namespace can use, by vendor and region (<c>GET /v2/provider/{namespace}</c>).</summary>
    public async Task<HardwareCatalog> ListHardwareAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var ns = await NamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        return await Api.ListHardwareAsync(ns, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _apiHttp.Dispose();
        _hubHttp.Dispose();
        _catalogHttp.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _whoAmILock.Dispose();
    }

    /// <summary>The namespace to use: the one given, else the token owner's (asked once from the Hub).</summary>
    internal async Task<string> NamespaceAsync(string? @namespace, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(@namespace))
        {
            return PathSegment.Check(@namespace!, nameof(@namespace));
        }

        if (_defaultNamespace != null)
        {
            return _defaultNamespace;
        }

        await _whoAmILock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_defaultNamespace == null)
            {
                if (!_transport.HasToken)
                {
                    throw new InvalidOperationException("No namespace was given and no token was found to ask the Hub whose it is: pass a namespace or set a token.");
                }

                var whoAmI = await _hub.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
                _defaultNamespace = whoAmI.ValueKind == JsonValueKind.Object && whoAmI.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } value
                    ? PathSegment.Check(value, "namespace")
                    : throw new InvalidOperationException("The Hub's whoami answer has no name.");
            }

            return _defaultNamespace;
        }
        finally
        {
            _whoAmILock.Release();
        }
    }
}
