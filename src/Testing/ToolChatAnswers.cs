using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// The second turn of a tool conversation, as OpenAI-compatible servers treat it: an assistant message's
/// tool calls must carry <c>function.arguments</c> as a JSON string (an object, or <c>parameters</c>
/// instead, is refused with 400 as OpenAI refuses it), a <c>tool</c> message must answer a call made
/// before it, and a conversation ending in tool results is answered in words that quote them.
/// </summary>
internal static class ToolChatAnswers
{
    /// <summary>Why the server refuses the conversation's tool calls or results (OpenAI's rules), or null.</summary>
    public static string? Invalid(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages)
        {
            return null;
        }

        var calls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] as JsonObject;
            var role = message?["role"]?.GetValueKind() == JsonValueKind.String ? message["role"]!.GetValue<string>() : null;
            if (message?["tool_calls"] is JsonArray toolCalls)
            {
                for (var j = 0; j < toolCalls.Count; j++)
                {
                    var at = $"messages[{i}].tool_calls[{j}]";
                    var call = toolCalls[j] as JsonObject;
                    if (call?["id"]?.GetValueKind() != JsonValueKind.String || call["type"]?.GetValueKind() != JsonValueKind.String)
                    {
                        return $"Missing required parameter: '{at}.id' or '{at}.type'.";
                    }

                    var function = call["function"] as JsonObject;
                    if (function?["name"]?.GetValueKind() != JsonValueKind.String)
                    {
                        return $"Missing required parameter: '{at}.function.name'.";
                    }

                    var arguments = function["arguments"];
                    if (arguments == null)
                    {
                        return $"Missing required parameter: '{at}.function.arguments'.";
                    }

                    if (arguments.GetValueKind() != JsonValueKind.String)
                    {
                        return $"Invalid type for '{at}.function.arguments': expected a string, but got {arguments.GetValueKind().ToString().ToLowerInvariant()} instead.";
                    }

                    try
                    {
                        using var _ = JsonDocument.Parse(arguments.GetValue<string>());
                    }
                    catch (JsonException)
                    {
                        return $"Invalid '{at}.function.arguments': not JSON.";
                    }

                    calls.Add(call["id"]!.GetValue<string>());
                }
            }

            if (role == "tool")
            {
                var id = message!["tool_call_id"]?.GetValueKind() == JsonValueKind.String ? message["tool_call_id"]!.GetValue<string>() : null;
                if (id == null || !calls.Contains(id))
                {
                    return $"Invalid parameter: messages[{i}] with role 'tool' must be a response to a preceding message with 'tool_calls' (tool_call_id '{id}').";
                }
            }
        }

        return null;
    }

    /// <summary>For a conversation whose last messages are tool results: the answer that quotes them; else null.</summary>
    public static string? AfterToolResults(JsonObject request)
    {
        if (request["messages"] is not JsonArray { Count: > 0 } messages || messages[^1]?["role"]?.GetValue<string>() != "tool")
        {
            return null;
        }

        var results = new List<string>();
        for (var i = messages.Count - 1; i >= 0 && messages[i]?["role"]?.GetValue<string>() == "tool"; i--)
        {
            var content = messages[i]!["content"];
            results.Insert(0, content?.GetValueKind() == JsonValueKind.String ? content.GetValue<string>() : content?.ToJsonString() ?? string.Empty);
        }

        return "According to the tool: " + string.Join("; ", results);
    }
}
