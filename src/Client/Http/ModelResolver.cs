using System;
using System.Linq;

namespace HuggingFace.Inference.Http;

/// <summary>Turns "which model" (an id, a URL, or nothing) into the URL a task's request goes to.</summary>
internal static class ModelResolver
{
    /// <summary>
    /// For raw calls (<see cref="InferenceClient.PostAsync"/>): a model id goes to the router's hf-inference
    /// path (<c>/hf-inference/models/{id}</c>); a URL is used as is; no model at all means the task's
    /// recommended model. Task calls are routed by <see cref="Providers.ProviderRouter"/>.
    /// </summary>
    public static Uri ResolveTaskUrl(string task, string? callModel, InferenceClientOptions options)
    {
        var model = string.IsNullOrWhiteSpace(callModel) ? options.Model : callModel;
        if (string.IsNullOrWhiteSpace(model))
        {
            model = RecommendedModels.For(task);
        }

        if (IsUrl(model!, out var url))
        {
            return url;
        }

        return Combine(options.RouterUrl, "hf-inference/models/" + EscapeModelId(model!, nameof(model)));
    }

    public static bool IsUrl(string model, out Uri url)
    {
        if (model.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || model.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (Uri.TryCreate(model, UriKind.Absolute, out var parsed))
            {
                url = parsed;
                return true;
            }

            throw new ArgumentException($"'{model}' looks like a URL but is not a valid one.", "model");
        }

        url = null!;
        return false;
    }

    /// <summary>
    /// Escapes each segment of a model id, and refuses ids that could leave the models path
    /// (<c>..</c>, empty segments) or smuggle a query, fragment or header line.
    /// </summary>
    public static string EscapeModelId(string model, string argumentName)
    {
        var segments = model.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == "..") || model.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\'))
        {
            throw new ArgumentException($"'{model}' is not a model id (expected 'name' or 'organization/name', without spaces, '..', '?', '#' or '\\').", argumentName);
        }

        return string.Join("/", segments.Select(Uri.EscapeDataString));
    }

    public static Uri Combine(Uri baseUrl, string relativePath)
    {
        var builder = new UriBuilder(baseUrl);
        builder.Path = builder.Path.TrimEnd('/') + "/" + relativePath.TrimStart('/');
        return builder.Uri;
    }
}
