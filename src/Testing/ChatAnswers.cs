using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// Chat completion and text generation answers, plain and streamed, shaped as TGI and the router
/// send them: OpenAI-style chat chunks ending in <c>data: [DONE]</c>, and TGI <c>/generate_stream</c>
/// token events, which end without <c>[DONE]</c>.
/// </summary>
internal static class ChatAnswers
{
    private const long Created = 1739000000;

    /// <summary>The chat answer's text, or a tool call, for a request.</summary>
    public static (string? Content, JsonObject? ToolCall) Reply(JsonObject request)
    {
        if (ToolChatAnswers.AfterToolResults(request) is { } answer)
        {
            return (answer, null);
        }

        if (GroundedChatAnswers.FromSources(request) is { } grounded)
        {
            return (grounded, null);
        }

        var messages = request["messages"] as JsonArray;
        var last = messages?.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"];
        var text = last?.GetValueKind() == JsonValueKind.String ? last.GetValue<string>() : last is JsonArray chunks
            ? string.Join(' ', chunks.Select(c => c?["text"]?.GetValue<string>()).Where(t => t != null))
            : string.Empty;

        var toolChoice = request["tool_choice"];
        if (request["tools"] is JsonArray { Count: > 0 } tools && !(toolChoice?.GetValueKind() == JsonValueKind.String && toolChoice.GetValue<string>() == "none"))
        {
            var name = tools[0]?["function"]?["name"]?.GetValue<string>() ?? "tool";
            return (null, new JsonObject
            {
                ["id"] = "call_0",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "{\"location\":\"Paris, France\"}" },
            });
        }

        if (request["response_format"]?["type"]?.GetValue<string>() is "json_schema" or "json_object" or "json")
        {
            return ("{\"answer\":\"Paris\"}", null);
        }

        var image = last is JsonArray parts && parts.Any(p => p?["type"]?.GetValue<string>() == "image_url");
        return (image ? "The image shows a cat." : text.Contains("capital", StringComparison.OrdinalIgnoreCase) ? "The capital of France is Paris." : "You said: " + text, null);
    }

    public static byte[] Completion(JsonObject request, string model)
    {
        var (content, toolCall) = Reply(request);
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (toolCall != null)
        {
            message["tool_calls"] = new JsonArray(toolCall);
        }

        var answer = new JsonObject
        {
            ["object"] = "chat.completion",
            ["id"] = "chatcmpl-local",
            ["created"] = Created,
            ["model"] = model,
            ["system_fingerprint"] = "3.2.1-local",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = toolCall != null ? "tool_calls" : "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = Words(content).Count, ["total_tokens"] = 12 + Words(content).Count },
        };
        return Encoding.UTF8.GetBytes(answer.ToJsonString());
    }

    /// <summary>The SSE events of a streamed chat answer, each a complete <c>data: …\n\n</c> block.</summary>
    public static IEnumerable<string> CompletionEvents(JsonObject request, string model)
    {
        var (content, toolCall) = Reply(request);
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["object"] = "chat.completion.chunk",
            ["id"] = "chatcmpl-local",
            ["created"] = Created,
            ["model"] = model,
            ["system_fingerprint"] = "3.2.1-local",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
            ["usage"] = null,
        };

        if (toolCall != null)
        {
            var call = (JsonObject)toolCall.DeepClone();
            call["index"] = 0;
            yield return Event(Chunk(new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(call) }, "tool_calls"));
        }
        else
        {
            foreach (var word in Words(content))
            {
                yield return Event(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = word }, null));
            }

            yield return Event(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, "stop"));
        }

        if (request["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            var usage = Chunk(new JsonObject(), null);
            usage["choices"] = new JsonArray();
            usage["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = Words(content).Count, ["total_tokens"] = 12 + Words(content).Count };
            yield return Event(usage);
        }

        yield return "data: [DONE]\n\n";
    }

    public static string Generated(JsonObject request) => (request["inputs"]?.GetValue<string>() ?? string.Empty).Contains("capital", StringComparison.OrdinalIgnoreCase)
        ? " Paris. It is known for the Eiffel Tower."
        : " and so the story goes on.";

    public static byte[] Generation(JsonObject request)
    {
        var text = Generated(request);
        var answer = new JsonObject { ["generated_text"] = text };
        if (request["parameters"]?["details"]?.GetValue<bool>() == true)
        {
            answer["details"] = new JsonObject { ["finish_reason"] = "length", ["generated_tokens"] = Words(text).Count, ["seed"] = null, ["prefill"] = new JsonArray(), ["tokens"] = new JsonArray() };
        }

        return Encoding.UTF8.GetBytes(new JsonArray(answer).ToJsonString());
    }

    /// <summary>TGI's token events; the last carries the whole text and the details. No [DONE].</summary>
    public static IEnumerable<string> GenerationEvents(JsonObject request)
    {
        var words = Words(Generated(request));
        for (var i = 0; i < words.Count; i++)
        {
            var last = i == words.Count - 1;
            yield return Event(new JsonObject
            {
                ["index"] = i,
                ["token"] = new JsonObject { ["id"] = 1000 + i, ["text"] = words[i], ["logprob"] = -0.25, ["special"] = false },
                ["generated_text"] = last ? string.Concat(words) : null,
                ["details"] = last ? new JsonObject { ["finish_reason"] = "length", ["generated_tokens"] = words.Count, ["seed"] = null } : null,
            });
        }
    }

    private static string Event(JsonNode data) => "data:" + data.ToJsonString() + "\n\n";

    /// <summary>Words with their leading space, as tokenizers emit them.</summary>
    private static List<string> Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }

        return words;
    }
}
