using System.Linq;
using System.Net.Http;
using System.Text.Json;

namespace HuggingFace.Inference.Http;

/// <summary>Reads what a server says about an error, in the shapes Hugging Face services use.</summary>
internal static class ErrorParser
{
    private static readonly string[] RequestIdHeaders = ["x-request-id", "x-amzn-trace-id", "x-amz-cf-id", "x-amzn-requestid"];

    /// <summary><c>{"error": "…"}</c>, <c>{"error": {"message": "…"}}</c>, <c>{"errors": [{"message": "…"}]}</c>, <c>{"message": "…"}</c>, or the <c>X-Error-Message</c> header.</summary>
    public static string? Message(HttpResponseMessage response, string? body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var message = FromJson(document.RootElement);
                if (message != null)
                {
                    return message;
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page from a proxy, plain text): fall through to the header.
            }
        }

        if (response.Headers.TryGetValues("x-error-message", out var values))
        {
            return values.FirstOrDefault();
        }

        // A short plain-text answer ("404: Not Found" from fal) is the message itself; an HTML page is not.
        var text = body?.Trim();
        return text is { Length: > 0 and <= 1024 } && text[0] != '<' && text[0] != '{' && text[0] != '[' ? text : null;
    }

    public static string? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }

            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
            {
                return nested.GetString();
            }
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var messages = errors.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : e.ValueKind == JsonValueKind.String ? e.GetString() : null)
                .Where(m => !string.IsNullOrEmpty(m))
                .ToList();
            if (messages.Count > 0)
            {
                return string.Join("; ", messages);
            }
        }

        // FastAPI and replicate: "detail" is the message, or a list of {loc, msg} validation errors.
        if (root.TryGetProperty("detail", out var detail))
        {
            if (detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()?.Trim();
            }

            if (detail.ValueKind == JsonValueKind.Array)
            {
                var problems = detail.EnumerateArray()
                    .Select(d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String
                        ? (d.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array ? string.Join(".", loc.EnumerateArray().Select(l => l.ToString())) + ": " : string.Empty) + msg.GetString()
                        : null)
                    .Where(m => m != null)
                    .ToList();
                if (problems.Count > 0)
                {
                    return string.Join("; ", problems);
                }
            }
        }

        return root.TryGetProperty("message", out var plain) && plain.ValueKind == JsonValueKind.String ? plain.GetString() : null;
    }

    public static string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    /// <summary>The <c>estimated_time</c> of a 503 "model is loading" answer, or null when the 503 is something else.</summary>
    public static double? LoadingEstimate(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("estimated_time", out var estimate) && estimate.TryGetDouble(out var seconds))
            {
                return seconds;
            }

            var message = FromJson(root);
            return message != null && message.Contains("loading", System.StringComparison.OrdinalIgnoreCase) ? 1.0 : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
