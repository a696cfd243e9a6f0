using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// Where chat requests go. A URL (the request's model, the BaseUrl, the client's model) is an
/// OpenAI-compatible server of its own. A model id with <see cref="InferenceClientOptions.Provider"/>
/// "auto" goes to the router's own <c>/v1/chat/completions</c> with the model string unchanged (the
/// router reads <c>id</c>, <c>id:provider</c>, <c>id:fastest</c> …: no Hub call is needed); with a named
/// provider, to that provider's chat route with its own model id from the Hub mapping.
/// </summary>
internal static class ChatRouting
{
    public const string Path = "/v1/chat/completions";

    /// <summary>The body's model when only a URL names the server: TGI serves one model and ignores the name.</summary>
    public const string UnnamedModel = "tgi";

    public static async ValueTask<(Uri Url, string BodyModel, ProviderRoute? Route, bool AutoRouted)> ResolveAsync(
        string? requestModel, InferenceClientOptions options, ProviderRouter router, bool routed, bool async, CancellationToken cancellationToken)
    {
        var named = string.IsNullOrWhiteSpace(requestModel) ? null : requestModel;
        if (named != null && ModelResolver.IsUrl(named, out var requestUrl))
        {
            return (Append(requestUrl), UnnamedModel, null, false);
        }

        if (options.BaseUrl != null)
        {
            return (Append(options.BaseUrl), named ?? UnnamedModel, null, false);
        }

        var model = named ?? (string.IsNullOrWhiteSpace(options.Model) ? null : options.Model);
        if (model != null && ModelResolver.IsUrl(model, out var modelUrl))
        {
            return (Append(modelUrl), UnnamedModel, null, false);
        }

        model ??= RecommendedModels.For("chat-completion");
        var reference = ProviderNames.Split(model);
        ModelResolver.EscapeModelId(reference.Id, "model");
        if (options.Provider == InferenceProviders.Auto && routed)
        {
            return (ModelResolver.Combine(options.RouterUrl, Path), model, null, true);
        }

        var provider = reference.Provider ?? options.Provider;
        if (reference.Policy != null)
        {
            throw new ArgumentException(
                $"'{model}' asks the router to choose (':{reference.Policy}'), which only Provider = \"auto\" with a Hugging Face token does.", "model");
        }

        if (provider == InferenceProviders.Auto)
        {
            throw new ArgumentException(
                "Provider \"auto\" lets the router choose, which needs a Hugging Face token (hf_…); with a provider's own key, name the provider (Provider option or \"id:provider\").",
                nameof(InferenceClientOptions.Provider));
        }

        var route = await router.ExplicitAsync("chat-completion", reference, provider, async, cancellationToken).ConfigureAwait(false);
        return (route.Url, route.ProviderModelId ?? reference.Id, route, false);
    }

    /// <summary>
    /// Rewrites <c>response_format: {type: "json_schema", json_schema: {schema}}</c> (OpenAI's form) into the
    /// provider's: hf-inference reads <c>{type: json_object, value}</c>, together <c>{type: json_schema, schema}</c>,
    /// fireworks-ai and cohere <c>{type: json_object, schema}</c>.
    /// </summary>
    public static void RewriteResponseFormat(JsonObject body, ChatResponseFormatRewrite rewrite)
    {
        if (body["response_format"] is not JsonObject format || (string?)format["type"] != "json_schema")
        {
            return;
        }

        var schema = format["json_schema"] is JsonObject wrapper ? wrapper["schema"]?.DeepClone() : format["schema"]?.DeepClone() ?? format["value"]?.DeepClone();
        body["response_format"] = rewrite switch
        {
            ChatResponseFormatRewrite.JsonObjectValue => new JsonObject { ["type"] = "json_object", ["value"] = schema },
            ChatResponseFormatRewrite.JsonSchemaFlat => new JsonObject { ["type"] = "json_schema", ["schema"] = schema },
            ChatResponseFormatRewrite.JsonObjectSchema => new JsonObject { ["type"] = "json_object", ["schema"] = schema },
            _ => format,
        };
    }

    /// <summary>URLs get <c>/v1/chat/completions</c>, only <c>/chat/completions</c> when they end in <c>/v1</c>, nothing when they already end in it; the query is kept.</summary>
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
