using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>Binds a configuration section's flat keys (<c>Model</c>, <c>Token</c>, <c>Timeout</c> …) onto <see cref="HuggingFaceInferenceOptions"/>.</summary>
internal static class HuggingFaceConfiguration
{
    /// <exception cref="FormatException">A value does not parse (the message names the key).</exception>
    public static void Bind(IConfiguration section, HuggingFaceInferenceOptions options)
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
        options.HostRetries = Parse(section, "HostRetries", v => bool.Parse(v)) ?? options.HostRetries;
        options.Endpoints.Token = section["Token"] ?? options.Endpoints.Token;
        options.Endpoints.ApiUrl = Url(section, "Endpoints:ApiUrl") ?? options.Endpoints.ApiUrl;
        options.Endpoints.HubUrl = Url(section, "Endpoints:HubUrl") ?? options.Endpoints.HubUrl;
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
