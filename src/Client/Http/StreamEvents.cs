using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Http;

/// <summary>Turns one server-sent event's data into a stream item, or into the error it reports.</summary>
internal static class StreamEvents
{
    public const string Done = "[DONE]";

    /// <summary>
    /// The items of one event's data: normally one. When a server leaves out the blank line between
    /// two events, the SSE rules join their data lines into one value that is not JSON; if each line
    /// is, they are the events the server meant (Python's line-based reader sees them that way too).
    /// </summary>
    /// <exception cref="TextGenerationException">An event is an error event.</exception>
    /// <exception cref="JsonException">The data is not JSON of the item's type.</exception>
    public static IEnumerable<T> ParseAll<T>(string data)
    {
        if (!data.Contains('\n', StringComparison.Ordinal))
        {
            return [Parse<T>(data)];
        }

        try
        {
            return [Parse<T>(data)];
        }
        catch (JsonException) when (data.Split('\n').All(IsJsonValue))
        {
            return data.Split('\n').Where(line => line.Length > 0 && line != Done).Select(Parse<T>).ToList();
        }
    }

    private static bool IsJsonValue(string line)
    {
        if (line.Length == 0 || line == Done)
        {
            return true;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line));
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <exception cref="TextGenerationException">The event is an error event.</exception>
    /// <exception cref="JsonException">The event is not JSON of the item's type.</exception>
    public static T Parse<T>(string data)
    {
        // Error events are rare; only events that mention "error" pay for a second look.
        if (data.Contains("\"error\"", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                throw ToException(document.RootElement, error);
            }
        }

        return JsonSerializer.Deserialize<T>(data, InferenceJson.Options) ?? throw new JsonException($"The event '{data}' is null, not a {typeof(T).Name}.");
    }

    private static TextGenerationException ToException(JsonElement root, JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.Object)
        {
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? error.GetRawText() : error.GetRawText();
            var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            int? status = error.TryGetProperty("http_status_code", out var s) && s.TryGetInt32(out var code) ? code : null;
            return TextGenerationException.For(message, type, status);
        }

        var errorType = root.TryGetProperty("error_type", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;
        return TextGenerationException.For(error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(), errorType, null);
    }
}
