using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// The one seam between the task methods and the wire: (task, model, options) → <see cref="ProviderRoute"/>.
/// A URL is used as is; a model id goes to the provider its suffix names, else the client's
/// <see cref="InferenceClientOptions.Provider"/>; "auto" takes the first provider the Hub lists for the
/// model whose task matches and that the registry can call for that task (the peers take the first entry
/// whatever it is, and fail on models whose first provider serves another task).
/// </summary>
internal sealed class ProviderRouter
{
    private readonly InferenceTransport _transport;

    public ProviderRouter(InferenceTransport transport)
    {
        _transport = transport;
        Mappings = new ProviderMappingCache(transport);
    }

    public ProviderMappingCache Mappings { get; }

    private InferenceClientOptions Options => _transport.Options;

    /// <summary>The route of the last URL model: a client calls one endpoint over and over (immutable, swapped whole).</summary>
    private UrlRoute? _lastUrl;

    private sealed record UrlRoute(string Model, ProviderRoute Route);

    /// <summary>
    /// The route <see cref="ResolveAsync"/> would give at once, without a call: the same endpoint URL as the last call's.
    /// Lets the hot path skip an async layer; anything else (a model id, a first call) is false.
    /// </summary>
    public bool TryCachedRoute(string? callModel, out ProviderRoute route)
    {
        var model = string.IsNullOrWhiteSpace(callModel) ? Options.Model : callModel;
        if (_lastUrl is { } last && string.Equals(last.Model, model, StringComparison.Ordinal))
        {
            route = last.Route;
            return true;
        }

        route = null!;
        return false;
    }

    /// <summary>The route of a task call with <paramref name="callModel"/> (else the client's model, else the task's recommended model).</summary>
    public async ValueTask<ProviderRoute> ResolveAsync(string task, string? callModel, bool async, CancellationToken cancellationToken)
    {
        if (TryCachedRoute(callModel, out var cached))
        {
            // The same endpoint URL as the last call: its parsed Uri (and the parts the socket handler reads from it) again.
            return cached;
        }

        var model = string.IsNullOrWhiteSpace(callModel) ? Options.Model : callModel;
        if (!string.IsNullOrWhiteSpace(model) && ModelResolver.IsUrl(model!, out var url))
        {
            var route = ProviderRoute.ForUrl(url);
            _lastUrl = new UrlRoute(model!, route);
            return route;
        }

        var reference = string.IsNullOrWhiteSpace(model) ? null : ProviderNames.Split(model!);
        var providerName = reference?.Provider ?? Options.Provider;
        if (reference == null)
        {
            // No model: the task's recommended model. hf-inference serves most of them without a Hub call;
            // for a task it does not serve (video …), the recommended model is routed like any other id.
            if (providerName != InferenceProviders.Auto && providerName != InferenceProviders.HfInference)
            {
                throw new ArgumentException($"Provider '{providerName}' needs a model id for {task}: pass one (the Hub lists which of its models the provider serves).", "model");
            }

            var recommended = RecommendedModels.For(task);
            if (providerName == InferenceProviders.HfInference || ProviderRegistry.HfInference.Find(task) != null)
            {
                return HfInference(task, recommended);
            }

            reference = new ModelReference(recommended, null, null);
        }

        var id = reference.Id;
        ModelResolver.EscapeModelId(id, "model"); // refuse ids that could leave the path before anything is sent
        if (providerName == InferenceProviders.Auto)
        {
            var mappings = await Mappings.GetAsync(id, task, async, cancellationToken).ConfigureAwait(false);
            foreach (var mapping in mappings)
            {
                if (TaskMatches(mapping.Task, task, mapping.Provider) && ProviderRegistry.Find(mapping.Provider) is { } candidate
                    && candidate.Find(task) is { } entry && (!candidate.DirectOnly || !_transport.IsRouted))
                {
                    return Route(candidate, entry, id, mapping);
                }
            }

            throw new InferenceProviderException(
                null,
                null,
                task,
                InferenceProviderPhase.Mapping,
                System.Net.HttpStatusCode.OK,
                $"No provider serves model '{id}' for task {task}. {Offered(mappings)}");
        }

        return await ExplicitAsync(task, reference, providerName, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The route of a model id on a named provider: its entry for the task, and (but for hf-inference) the Hub's mapping.</summary>
    public async ValueTask<ProviderRoute> ExplicitAsync(string task, ModelReference reference, string providerName, bool async, CancellationToken cancellationToken)
    {
        var id = reference.Id;
        var provider = ProviderRegistry.Find(providerName)!;
        var providerEntry = provider.Find(task) ?? throw new ArgumentException(
            $"Provider '{provider.Name}' does not serve {task}. Providers that do: {string.Join(", ", ServingProviders(task))}.",
            reference.Provider != null ? "model" : nameof(InferenceClientOptions.Provider));
        if (provider.Name == InferenceProviders.HfInference)
        {
            return HfInference(task, id);
        }

        if (provider.DirectOnly)
        {
            // Called with the provider's own key and its own model names (openai/gpt-4o → gpt-4o): the Hub has no mapping for it.
            var own = id.StartsWith(provider.Name + "/", StringComparison.Ordinal) ? id[(provider.Name.Length + 1)..] : id;
            return Route(provider, providerEntry, id, new InferenceProviderMapping { Provider = provider.Name, ProviderId = own, Task = task, Status = "live", ModelId = id });
        }

        var all = await Mappings.GetAsync(id, task, async, cancellationToken).ConfigureAwait(false);
        var chosen = all.FirstOrDefault(m => m.Provider == provider.Name) ?? throw new InferenceProviderException(
            provider.Name, null, task, InferenceProviderPhase.Mapping, System.Net.HttpStatusCode.OK, $"Model '{id}' is not served by provider '{provider.Name}'. {Offered(all)}");
        if (!TaskMatches(chosen.Task, task, chosen.Provider))
        {
            throw new InferenceProviderException(
                provider.Name, chosen.ProviderId, task, InferenceProviderPhase.Mapping, System.Net.HttpStatusCode.OK,
                $"Provider '{provider.Name}' serves model '{id}' for task {chosen.Task}, not {task}.");
        }

        return Route(provider, providerEntry, id, chosen);
    }

    /// <summary>Every provider of the registry that serves <paramref name="task"/>.</summary>
    public static IEnumerable<string> ServingProviders(string task) =>
        ProviderRegistry.All.Where(p => p.Find(task) != null).Select(p => p.Name);

    /// <summary>The hf-inference route of a model id: no mapping call, the router's path.</summary>
    public ProviderRoute HfInference(string task, string id)
    {
        var provider = ProviderRegistry.HfInference;
        var entry = provider.Find(task) ?? throw new ArgumentException(
            $"hf-inference does not serve {task}. Providers that do: {string.Join(", ", ServingProviders(task))}.", nameof(InferenceClientOptions.Provider));
        var url = Expand(ModelResolver.Combine(Options.RouterUrl, provider.Name), entry.Route, id, id);
        return new ProviderRoute(provider, entry, id, id, null, url, Direct: false);
    }

    /// <summary>The URL of a provider's task for a mapped model: through the router, or direct with a provider key.</summary>
    public ProviderRoute Route(ProviderSpec provider, ProviderTaskSpec entry, string id, InferenceProviderMapping mapping)
    {
        if (mapping.Status is "staging")
        {
            _transport.LogWarning($"Model '{id}' is in staging on provider '{provider.Name}': meant for tests only.");
        }
        else if (mapping.Status is "error")
        {
            _transport.LogWarning($"The Hub's latest health check of model '{id}' on provider '{provider.Name}' failed: the call may fail.");
        }

        if (provider.Name == InferenceProviders.HfInference)
        {
            return HfInference(entry.Task, id) with { Mapping = mapping };
        }

        var direct = !_transport.IsRouted;
        if (provider.DirectOnly && !direct)
        {
            throw new ArgumentException(
                $"Provider '{provider.Name}' is called directly, with its own API key: set Token to that key (a Hugging Face token cannot reach it).",
                nameof(InferenceClientOptions.Token));
        }

        // fal's queue is another host (queue.fal.run); the router reaches it with _subdomain=queue.
        var queued = entry.Job == ProviderJobForm.FalQueue;
        var baseUrl = DirectBase(provider, queued) ?? ModelResolver.Combine(Options.RouterUrl, provider.Name);
        var url = Expand(baseUrl, entry.Route + (queued && !direct ? "?_subdomain=queue" : string.Empty), mapping.ProviderId, id);
        return new ProviderRoute(provider, entry, id, mapping.ProviderId, mapping, url, direct);
    }

    /// <summary>The base of a direct call (null when routed): the option's override, else the provider's API (or its queue).</summary>
    public Uri? DirectBase(ProviderSpec provider, bool queued)
    {
        if (_transport.IsRouted)
        {
            return null;
        }

        if (Options.ProviderUrls.TryGetValue(provider.Name, out var configured))
        {
            return configured;
        }

        return queued && provider.QueueBaseUrl != null ? provider.QueueBaseUrl : provider.BaseUrl;
    }

    /// <summary>The base a job's status and result paths go under: the router's provider path, or the direct base.</summary>
    public Uri JobBase(ProviderRoute route, bool queued) =>
        DirectBase(route.Provider!, queued) ?? ModelResolver.Combine(Options.RouterUrl, route.Provider!.Name);

    /// <summary>Fills a route template: <c>{providerId}</c> keeps its slashes (each segment escaped), <c>{model}</c> likewise.</summary>
    public static Uri Expand(Uri baseUrl, string template, string providerId, string modelId, string? jobId = null)
    {
        var path = template
            .Replace("{providerId}", EscapeSegments(providerId), StringComparison.Ordinal)
            .Replace("{model}", ModelResolver.EscapeModelId(modelId, "model"), StringComparison.Ordinal);
        if (jobId != null)
        {
            path = path.Replace("{id}", Uri.EscapeDataString(jobId), StringComparison.Ordinal);
        }

        var query = path.IndexOf('?');
        var combined = ModelResolver.Combine(baseUrl, query < 0 ? path : path[..query]);
        if (query < 0)
        {
            return combined;
        }

        var builder = new UriBuilder(combined);
        builder.Query = (builder.Query.Length > 1 ? builder.Query[1..] + "&" : string.Empty) + path[(query + 1)..];
        return builder.Uri;
    }

    /// <summary>
    /// The Hub's task names against ours: "conversational" is chat-completion; on hf-inference a
    /// feature-extraction model also serves sentence-similarity and the other way round.
    /// </summary>
    public static bool TaskMatches(string hubTask, string task, string provider)
    {
        if (hubTask == task || (hubTask == "conversational" && task == "chat-completion"))
        {
            return true;
        }

        return provider == InferenceProviders.HfInference
            && hubTask is "feature-extraction" or "sentence-similarity"
            && task is "feature-extraction" or "sentence-similarity";
    }

    private static string Offered(IReadOnlyList<InferenceProviderMapping> mappings) =>
        mappings.Count == 0
            ? "The Hub lists no provider for it."
            : "The Hub lists: " + string.Join(", ", mappings.Select(m => $"{m.Provider} ({m.Task}{(m.Status is null or "live" ? string.Empty : ", " + m.Status)}{(ProviderRegistry.Find(m.Provider) == null ? ", not supported by this client" : string.Empty)})")) + ".";

    private static string EscapeSegments(string id)
    {
        if (id.Split('/').Any(s => s is "." or "..") || id.Any(c => char.IsControl(c) || c is '?' or '#' or '\\'))
        {
            throw new ArgumentException($"The provider model id '{id}' the Hub gave cannot be put in a URL path.", "model");
        }

        return string.Join("/", id.Split('/').Select(Uri.EscapeDataString));
    }
}
