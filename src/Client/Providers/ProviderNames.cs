using System;
using System.Linq;

namespace HuggingFace.Inference.Providers;

/// <summary>Provider names as users write them: the option, and the <c>"{id}:{provider}"</c> suffix of a model.</summary>
internal static class ProviderNames
{
    /// <summary>The router's selection policies (hub-docs): only the router's own chat route understands them.</summary>
    private static readonly string[] Policies = ["fastest", "cheapest", "preferred"];

    /// <summary>Refuses a name that is neither "auto" nor in the registry, listing the names that are.</summary>
    public static void Require(string? name, string argumentName)
    {
        if (name == InferenceProviders.Auto || (name != null && ProviderRegistry.Find(name) != null))
        {
            return;
        }

        throw new ArgumentException(
            $"'{name}' is not an Inference Provider this client knows. Use \"auto\" or one of: {string.Join(", ", InferenceProviders.All)}.",
            argumentName);
    }

    /// <summary>
    /// Splits <c>"{id}:{suffix}"</c>. A suffix is a provider name (that provider for this call) or a router
    /// policy (<c>fastest</c>, <c>cheapest</c>, <c>preferred</c>); Hub ids never hold a colon, so anything else is an error.
    /// </summary>
    public static ModelReference Split(string model)
    {
        var colon = model.LastIndexOf(':');
        if (colon < 0)
        {
            return new ModelReference(model, null, null);
        }

        var id = model[..colon];
        var suffix = model[(colon + 1)..];
        if (Policies.Contains(suffix, StringComparer.Ordinal))
        {
            return new ModelReference(id, null, suffix);
        }

        if (ProviderRegistry.Find(suffix) != null)
        {
            return new ModelReference(id, suffix, null);
        }

        throw new ArgumentException(
            $"'{model}' ends in ':{suffix}', which is neither a provider ({string.Join(", ", InferenceProviders.All)}) nor a router policy (fastest, cheapest, preferred).",
            "model");
    }
}

/// <summary>A model id with what its suffix said.</summary>
/// <param name="Id">The Hugging Face model id, without the suffix.</param>
/// <param name="Provider">The provider the suffix named, or null.</param>
/// <param name="Policy">The router policy the suffix named (<c>fastest</c> …), or null.</param>
internal sealed record ModelReference(string Id, string? Provider, string? Policy);
