using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using HuggingFace.Inference.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace HuggingFace.Inference.DependencyInjection;

public static partial class HuggingFaceServiceCollectionExtensions
{
    /// <summary>
    /// Adds your handler, in one place, to every HttpClient of this library's registrations: the one of
    /// <see cref="AddHuggingFaceInference(IServiceCollection, Action{HuggingFaceInferenceOptions}?)"/> (and the keyed
    /// ones), which <see cref="InferenceClient"/>, <see cref="Endpoints.InferenceEndpointsClient"/> and the
    /// Microsoft.Extensions.AI adapters send through, and those of
    /// <see cref="HuggingFaceRefitServiceCollectionExtensions.AddHuggingFaceRefitClient{TApi}"/> and its shortcuts.
    /// Registrations made before or after this call both get it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="createHandler">Makes a handler for a chain (called once per chain the factory builds; never share an instance).</param>
    /// <param name="eachAttempt">
    /// false (the default): before the policies, so the handler sees each call once, before the token is set and
    /// before any retry or redirect. true: after them, so it sees each attempt (a retried call twice) with the token
    /// set, and a redirected one to another host without it.
    /// </param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddHuggingFaceHttpMessageHandler(this IServiceCollection services, Func<IServiceProvider, DelegatingHandler> createHandler, bool eachAttempt = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(createHandler);
        services.AddSingleton<IPostConfigureOptions<HttpClientFactoryOptions>>(new HandlerPlacement(HuggingFaceHttpClients.Of(services), createHandler, eachAttempt));
        return services;
    }

    /// <summary>
    /// The same with a handler type resolved from the container (register it, usually transient, as for
    /// <c>AddHttpMessageHandler&lt;THandler&gt;</c>).
    /// </summary>
    /// <typeparam name="THandler">The handler's type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="eachAttempt">Before the policies (false: each call once) or after them (true: each attempt, with the token).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddHuggingFaceHttpMessageHandler<THandler>(this IServiceCollection services, bool eachAttempt = false)
        where THandler : DelegatingHandler =>
        services.AddHuggingFaceHttpMessageHandler(sp => sp.GetRequiredService<THandler>(), eachAttempt);

    /// <summary>
    /// Places a handler in the chain of each of the library's HttpClients, around its policy handler. A post-configure
    /// step: it runs after every <c>AddHttpMessageHandler</c> of the client, so the policy handler is in the list.
    /// </summary>
    private sealed class HandlerPlacement(HuggingFaceHttpClients names, Func<IServiceProvider, DelegatingHandler> create, bool eachAttempt) : IPostConfigureOptions<HttpClientFactoryOptions>
    {
        public void PostConfigure(string? name, HttpClientFactoryOptions options)
        {
            if (name == null || !names.Contains(name))
            {
                return;
            }

            options.HttpMessageHandlerBuilderActions.Add(builder =>
            {
                var handlers = builder.AdditionalHandlers;
                var policies = handlers.Select((handler, index) => (handler, index)).FirstOrDefault(h => h.handler is InferencePolicyHandler).index;
                var handler = create(builder.Services);
                if (eachAttempt || handlers.Count == 0 || handlers[policies] is not InferencePolicyHandler)
                {
                    handlers.Add(handler); // innermost of the additional handlers: after the policies, in registration order
                }
                else
                {
                    handlers.Insert(policies, handler); // just before the policies: in registration order too
                }
            });
        }
    }
}

/// <summary>The names of the HttpClients this library registered in one service collection.</summary>
internal sealed class HuggingFaceHttpClients
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public static HuggingFaceHttpClients Of(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(HuggingFaceHttpClients))?.ImplementationInstance is HuggingFaceHttpClients existing)
        {
            return existing;
        }

        var created = new HuggingFaceHttpClients();
        services.AddSingleton(created);
        return created;
    }

    public void Add(string name)
    {
        lock (_names)
        {
            _names.Add(name);
        }
    }

    public bool Contains(string name)
    {
        lock (_names)
        {
            return _names.Contains(name);
        }
    }
}
