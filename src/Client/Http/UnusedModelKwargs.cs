using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HuggingFace.Inference.Http;

/// <summary>
/// TGI refuses parameters a model does not use with a 400 that names them
/// ("The following `model_kwargs` are not used by the model: ['watermark', 'stop']"). Like the
/// Python client, the call is retried once without them, with a warning.
/// </summary>
internal static partial class UnusedModelKwargs
{
    [GeneratedRegex(@"The following `model_kwargs` are not used by the model: \[(?<names>[^\]]*)\]")]
    private static partial Regex Message();

    /// <summary>The parameter names the error refuses, or none when it is another error.</summary>
    public static IReadOnlyList<string> From(HfHubHttpException error)
    {
        if (error.StatusCode != HttpStatusCode.BadRequest || error.ServerMessage == null)
        {
            return [];
        }

        var match = Message().Match(error.ServerMessage);
        return match.Success
            ? match.Groups["names"].Value.Split(',').Select(n => n.Trim().Trim('\'', '"', ' ')).Where(n => n.Length > 0).ToList()
            : [];
    }

    /// <summary>The body without those parameters (the caller logs the retry).</summary>
    public static byte[] Remove(byte[] body, IReadOnlyList<string> names)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        if (root["parameters"] is JsonObject parameters)
        {
            foreach (var name in names)
            {
                parameters.Remove(name);
            }
        }

        // The serializer's defaults, as before: the body is written back with the default encoder.
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
