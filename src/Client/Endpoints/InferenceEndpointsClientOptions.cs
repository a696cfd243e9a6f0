using System;

namespace HuggingFace.Inference.Endpoints;

/// <summary>How an <see cref="InferenceEndpointsClient"/> reaches the management API.</summary>
public sealed class InferenceEndpointsClientOptions
{
    /// <summary>The management API (<c>https://api.endpoints.huggingface.cloud</c>).</summary>
    public static readonly Uri DefaultApiUrl = new("https://api.endpoints.huggingface.cloud");

    /// <summary>The Hub (<c>https://huggingface.co</c>), asked who the token belongs to.</summary>
    public static readonly Uri DefaultHubUrl = new("https://huggingface.co");

    /// <summary>The Inference Catalog (<c>https://endpoints.huggingface.co</c>, routes under <c>/api/catalog</c>).</summary>
    public static readonly Uri DefaultCatalogUrl = new("https://endpoints.huggingface.co");

    /// <summary>The token; when null it is found as <see cref="InferenceClientOptions.Token"/> is.</summary>
    public string? Token { get; set; }

    /// <summary>The management API's URL; tests point it elsewhere.</summary>
    public Uri ApiUrl { get; set; } = DefaultApiUrl;

    /// <summary>The Inference Catalog's URL; tests point it elsewhere.</summary>
    public Uri CatalogUrl { get; set; } = DefaultCatalogUrl;

    /// <summary>The Hub's URL, for <c>GET /api/whoami-v2</c> (the default namespace).</summary>
    public Uri HubUrl { get; set; } = DefaultHubUrl;

    /// <summary>Retries of reads (GET) after a 429 or a connection failure; writes are never retried.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest one API call may take; null waits indefinitely. <see cref="InferenceEndpoint.WaitAsync"/> has its own.</summary>
    public TimeSpan? Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
