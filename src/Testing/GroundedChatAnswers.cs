using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// The stand-in for a model answering from numbered sources (a retrieval-augmented prompt): when the last user
/// message lists sources as lines <c>[n] text</c>, the answer is the first source's first sentence, cited as
/// <c>[1]</c>, so that a sample's citations can be checked against what it sent.
/// </summary>
internal static partial class GroundedChatAnswers
{
    public static string? FromSources(JsonObject request)
    {
        var last = (request["messages"] as JsonArray)?.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"];
        var text = last?.GetValueKind() == JsonValueKind.String ? last.GetValue<string>() : null;
        var first = text == null ? null : Source().Match(text);
        if (first is not { Success: true })
        {
            return null;
        }

        var passage = first.Groups["text"].Value.Trim();
        var end = passage.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? passage[..end] : passage.TrimEnd('.')) + " [1].";
    }

    [GeneratedRegex(@"^\[1\] (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Source();
}
