using System;

namespace HuggingFace.Inference.AI;

/// <summary>What every Microsoft.Extensions.AI adapter of the client answers to <c>GetService</c>.</summary>
internal static class AdapterServices
{
    /// <summary>The adapter's metadata, the <see cref="InferenceClient"/> under it, or the adapter itself; null for a keyed ask.</summary>
    public static object? Get<TMetadata>(Type serviceType, object? serviceKey, TMetadata metadata, InferenceClient client, object adapter)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey != null ? null
            : serviceType == typeof(TMetadata) ? metadata
            : serviceType == typeof(InferenceClient) ? client
            : serviceType.IsInstanceOfType(adapter) ? adapter
            : null;
    }
}
