using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Endpoints;

/// <summary>
/// One Inference Endpoint. Every method sends its request and then updates this object from the
/// answer (as Python's <c>InferenceEndpoint</c> does) and returns it, so calls chain.
/// </summary>
public sealed class InferenceEndpoint
{
    private readonly InferenceEndpointsClient _owner;
    private InferenceClient? _client;
    private string? _clientUrl;

    internal InferenceEndpoint(InferenceEndpointsClient owner, string @namespace, EndpointWithStatus raw)
    {
        _owner = owner;
        Namespace = @namespace;
        Raw = raw;
    }

    /// <summary>An endpoint object for a raw record the caller already has (from a list, a cache, a webhook).</summary>
    public static InferenceEndpoint FromRaw(EndpointWithStatus raw, string @namespace, InferenceEndpointsClient client)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        return new InferenceEndpoint(client, @namespace, raw);
    }

    /// <summary>The record the API last answered, with everything it said.</summary>
    public EndpointWithStatus Raw { get; private set; }

    /// <summary>The endpoint's name.</summary>
    public string Name => Raw.Name;

    /// <summary>The owning user or organization.</summary>
    public string Namespace { get; }

    /// <summary>The model's repository.</summary>
    public string Repository => Raw.Model.Repository;

    /// <summary>The lifecycle state.</summary>
    public InferenceEndpointStatus Status => Raw.Status.State;

    /// <summary>The URL inference calls go to, once it has one.</summary>
    public string? Url => Raw.Status.Url;

    /// <summary>The framework serving the model.</summary>
    public EndpointFramework Framework => Raw.Model.Framework;

    /// <summary>The model commit, if pinned.</summary>
    public string? Revision => Raw.Model.Revision;

    /// <summary>The task served, if set.</summary>
    public EndpointTask? Task => Raw.Model.Task;

    /// <summary>Who may call it.</summary>
    public InferenceEndpointType Type => Raw.Type;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.Parse(Raw.Status.CreatedAt, CultureInfo.InvariantCulture);

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt => DateTimeOffset.Parse(Raw.Status.UpdatedAt, CultureInfo.InvariantCulture);

    /// <summary>An <see cref="InferenceClient"/> bound to <see cref="Url"/> with the same token.</summary>
    /// <exception cref="InferenceEndpointException">The endpoint has no URL yet (not deployed, paused …).</exception>
    public InferenceClient Client
    {
        get
        {
            var url = Url ?? throw new InferenceEndpointException($"The endpoint '{Name}' has no URL yet (state {Status}): wait for it to run first.", Status);
            if (_client == null || _clientUrl != url)
            {
                // On the endpoints client's connections: nothing to dispose here.
                _client = _owner.ClientFor(url);
                _clientUrl = url;
            }

            return _client;
        }
    }

    /// <summary>Reads the endpoint again.</summary>
    public Task<InferenceEndpoint> FetchAsync(CancellationToken cancellationToken = default) =>
        UpdateFromAsync(_owner.Api.GetEndpointAsync(Namespace, Segment(), cancellationToken));

    /// <summary>Pauses it: no replicas and no billing until resumed.</summary>
    public Task<InferenceEndpoint> PauseAsync(CancellationToken cancellationToken = default) =>
        UpdateFromAsync(_owner.Api.PauseEndpointAsync(Namespace, Segment(), cancellationToken));

    /// <summary>Resumes it. With <paramref name="runningOk"/>, the API's 400 "already running" counts as success.</summary>
    public async Task<InferenceEndpoint> ResumeAsync(bool runningOk = true, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateFromAsync(_owner.Api.ResumeEndpointAsync(Namespace, Segment(), cancellationToken)).ConfigureAwait(false);
        }
        catch (HfHubHttpException error) when (runningOk && error.StatusCode == HttpStatusCode.BadRequest && error.ServerMessage?.Contains("already running", StringComparison.OrdinalIgnoreCase) == true)
        {
            return await FetchAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Scales it to zero replicas now; the next request wakes it.</summary>
    public Task<InferenceEndpoint> ScaleToZeroAsync(CancellationToken cancellationToken = default) =>
        UpdateFromAsync(_owner.Api.ScaleToZeroEndpointAsync(Namespace, Segment(), cancellationToken));

    /// <summary>Changes it; only what is given changes.</summary>
    public Task<InferenceEndpoint> UpdateAsync(
        EndpointAccelerator? accelerator = null,
        string? instanceSize = null,
        string? instanceType = null,
        int? minReplica = null,
        int? maxReplica = null,
        int? scaleToZeroTimeout = null,
        string? repository = null,
        EndpointFramework? framework = null,
        string? revision = null,
        EndpointTask? task = null,
        EndpointModelImage? customImage = null,
        IReadOnlyDictionary<string, string>? secrets = null,
        IReadOnlyDictionary<string, string>? env = null,
        CancellationToken cancellationToken = default)
    {
        var scaling = minReplica != null || maxReplica != null || scaleToZeroTimeout != null
            ? new EndpointScalingUpdate { MinReplica = minReplica, MaxReplica = maxReplica, ScaleToZeroTimeout = scaleToZeroTimeout }
            : null;
        var compute = accelerator != null || instanceSize != null || instanceType != null || scaling != null
            ? new EndpointComputeUpdate { Accelerator = accelerator, InstanceSize = instanceSize, InstanceType = instanceType, Scaling = scaling }
            : null;
        var model = repository != null || framework != null || revision != null || task != null || customImage != null || secrets != null || env != null
            ? new EndpointModelUpdate { Repository = repository, Framework = framework, Revision = revision, Task = task, Image = customImage, Secrets = secrets, Env = env }
            : null;
        return UpdateAsync(new EndpointUpdate { Compute = compute, Model = model }, cancellationToken);
    }

    /// <summary>Changes it with a complete update body.</summary>
    public Task<InferenceEndpoint> UpdateAsync(EndpointUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return UpdateFromAsync(_owner.Api.UpdateEndpointAsync(Namespace, Segment(), update, cancellationToken));
    }

    /// <summary>Deletes it. The object keeps its last state.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) =>
        _owner.Api.DeleteEndpointAsync(Namespace, Segment(), cancellationToken);

    /// <summary>
    /// Waits until it is running and its health route answers 200, reading it every
    /// <paramref name="refreshEvery"/> (5 s by default).
    /// </summary>
    /// <exception cref="InferenceEndpointException">It failed, or its update failed, with the API's message.</exception>
    /// <exception cref="InferenceEndpointTimeoutException"><paramref name="timeout"/> passed first.</exception>
    public async Task<InferenceEndpoint> WaitAsync(TimeSpan? timeout = null, TimeSpan? refreshEvery = null, CancellationToken cancellationToken = default)
    {
        var interval = refreshEvery ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(refreshEvery));
        var deadline = timeout is { } limit ? DateTimeOffset.UtcNow + limit : (DateTimeOffset?)null;
        while (true)
        {
            await FetchAsync(cancellationToken).ConfigureAwait(false);
            if (Status == InferenceEndpointStatus.Failed || Status == InferenceEndpointStatus.UpdateFailed)
            {
                throw new InferenceEndpointException($"The endpoint '{Name}' is {Status}: {Raw.Status.Message}", Status);
            }

            if (Status == InferenceEndpointStatus.Running && Url != null && await IsHealthyAsync(cancellationToken).ConfigureAwait(false))
            {
                return this;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new InferenceEndpointTimeoutException($"The endpoint '{Name}' was not running and healthy within {timeout} (state {Status}: {Raw.Status.Message}).", Status);
            }

            await System.Threading.Tasks.Task.Delay(remaining is { } left && left < interval ? left : interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The container's logs (<c>GET …/logs</c>).</summary>
    public Task<string> GetLogsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int? tail = null, CancellationToken cancellationToken = default) =>
        _owner.Api.GetEndpointLogsAsync(
            Namespace,
            Segment(),
            from?.ToString("O", CultureInfo.InvariantCulture),
            to?.ToString("O", CultureInfo.InvariantCulture),
            tail,
            cancellationToken);

    /// <summary>A metric over a time range (<c>POST …/metrics/{metric}</c>); the API's JSON as it answered.</summary>
    public Task<JsonElement> GetMetricAsync(MetricName metric, DateTimeOffset from, DateTimeOffset to, string? step = null, CancellationToken cancellationToken = default)
    {
        var body = new MetricsRequest { From = (ulong)from.ToUnixTimeSeconds(), To = (ulong)to.ToUnixTimeSeconds(), Step = step };
        return _owner.Api.GetEndpointMetricAsync(Namespace, Segment(), metric.ToString(), body, cancellationToken);
    }

    /// <inheritdoc/>
    public override string ToString() => $"InferenceEndpoint({Namespace}/{Name}, {Status}, {Url ?? "no URL"})";

    /// <summary>The name as a path segment: it came from the API, and still must not leave its segment.</summary>
    private string Segment() => PathSegment.Check(Name, "name");

    private async Task<InferenceEndpoint> UpdateFromAsync(Task<EndpointWithStatus> call)
    {
        Raw = await call.ConfigureAwait(false);
        return this;
    }

    private Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        _owner.Transport.IsHealthyAsync(ModelResolver.Combine(new Uri(Url!), (Raw.HealthRoute ?? "/health").TrimStart('/')), cancellationToken);
}
