using System.Linq;
using System.Text.Json;

namespace HuggingFace.Inference.Tests;

internal enum RecordedPart
{
    Request,
    Response,
    StreamEvent,
}

/// <summary>
/// Recorded exchanges whose JSON is not the task's schema, each with why. Every other exchange
/// must round-trip exactly. Each rule matches the deviation itself, not a whole task or provider.
/// </summary>
internal static class Exclusions
{
    public static string? For(RecordedExchange exchange, JsonElement json, RecordedPart part) => part switch
    {
        RecordedPart.Response => ForResponse(exchange, json),
        RecordedPart.Request => ForRequest(exchange, json),
        _ => null,
    };

    private static string? ForResponse(RecordedExchange exchange, JsonElement json)
    {
        if (exchange.Url.Contains("/api/tasks"))
        {
            return "a Hub API answer (GET /api/tasks) recorded as an inference exchange";
        }

        if (exchange.Task == "feature-extraction" && json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out _))
        {
            return "an OpenAI-style embeddings answer ({data: [...]}) of a provider's own API, not the feature-extraction schema";
        }

        if (exchange.Task == "chat-completion" && ToolCallIds(json).Any(id => id.ValueKind != JsonValueKind.String))
        {
            return "TGI 1.4 answered tool calls with a numeric \"id\"; the spec (like OpenAI's API) says string";
        }

        return null;
    }

    private static string? ForRequest(RecordedExchange exchange, JsonElement json)
    {
        json.TryGetProperty("inputs", out var inputs);
        if (exchange.Task is "text-classification" or "translation" or "zero-shot-classification" && inputs.ValueKind == JsonValueKind.Array)
        {
            return "a batch (\"inputs\" as a list) where the spec has one string; the legacy API accepted batches";
        }

        if (exchange.Task is "zero-shot-classification" or "zero-shot-image-classification"
            && json.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("candidate_labels", out var labels) && labels.ValueKind == JsonValueKind.String)
        {
            return "legacy comma-separated \"candidate_labels\" string; the spec has a list";
        }

        if (exchange.Task == "zero-shot-image-classification" && inputs.ValueKind == JsonValueKind.Object)
        {
            return "legacy zero-shot-image-classification body (inputs: {image, text}); the spec has inputs: base64 image";
        }

        if (exchange.Task == "chat-completion" && json.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.String && exchange.Status >= 400)
        {
            return "a deliberately invalid request (\"messages\" as a string) that the server rejected";
        }

        if (exchange.Task == "visual-question-answering" && inputs.ValueKind == JsonValueKind.String)
        {
            return "the Python client's VQA body (\"inputs\": base64 image, with \"image\" and \"question\" at the root); the spec has inputs: {image, question}";
        }

        return null;
    }

    private static System.Collections.Generic.IEnumerable<JsonElement> ToolCallIds(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.TryGetProperty("message", out var message) && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    if (call.TryGetProperty("id", out var id))
                    {
                        yield return id;
                    }
                }
            }
        }
    }
}
