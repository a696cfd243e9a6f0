using System;

namespace HuggingFace.Inference.Http;

/// <summary>Where chat requests go (see ../shared/reference/hf-hub-task-table.md, "URLs").</summary>
internal static class ChatRoutes
{
    public const string Path = "/v1/chat/completions";

    /// <summary>
    /// The URL and the body's <c>model</c>. With a BaseUrl (an OpenAI-compatible server) the request's
    /// model is only named in the body. Otherwise a model id goes to the router's
    /// <c>/hf-inference/models/{id}/v1/chat/completions</c>; a URL model is a server of its own. URLs get
    /// <c>/v1/chat/completions</c> appended, only <c>/chat/completions</c> when they end in <c>/v1</c>,
    /// nothing when they already end in <c>/chat/completions</c>; the query string is kept.
    /// </summary>
    public static (Uri Url, string BodyModel) Resolve(string? requestModel, InferenceClientOptions options)
    {
        var named = string.IsNullOrWhiteSpace(requestModel) ? null : requestModel;
        if (named != null && ModelResolver.IsUrl(named, out var requestUrl))
        {
            return (Append(requestUrl), UnnamedModel);
        }

        if (options.BaseUrl != null)
        {
            return (Append(options.BaseUrl), named ?? UnnamedModel);
        }

        var model = named ?? (string.IsNullOrWhiteSpace(options.Model) ? null : options.Model);
        if (model != null && ModelResolver.IsUrl(model, out var modelUrl))
        {
            return (Append(modelUrl), UnnamedModel);
        }

        var id = model ?? RecommendedModels.For("chat-completion");
        return (ModelResolver.Combine(options.RouterUrl, "hf-inference/models/" + ModelResolver.EscapeModelId(id, "model") + Path), id);
    }

    /// <summary>The body's model when only a URL names the server: TGI serves one model and ignores the name.</summary>
    public const string UnnamedModel = "tgi";

    public static Uri Append(Uri url)
    {
        var builder = new UriBuilder(url);
        var path = builder.Path.TrimEnd('/');
        if (!path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            path += path.EndsWith("/v1", StringComparison.Ordinal) ? "/chat/completions" : Path;
        }

        builder.Path = path;
        return builder.Uri;
    }
}
