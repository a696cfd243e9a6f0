using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Semantic JSON equality for the lossless tests: the same members (in any order), numbers equal
/// by value (1.0 equals 1), strings and literals exact. A member that is null on one side and
/// absent on the other counts as equal: the generated types omit null optional members, and no
/// schema gives a member's explicit null a meaning of its own.
/// </summary>
internal static class JsonEquivalence
{
    /// <summary>Null when equal, else the JSON path of the first difference and what differs.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            if (IsBool(expected) && IsBool(actual))
            {
                return $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
            }

            return $"{path}: {expected.ValueKind} {Short(expected)} became {actual.ValueKind} {Short(actual)}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var left = expected.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value);
                var right = actual.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value);
                foreach (var (name, value) in left)
                {
                    if (!right.TryGetValue(name, out var other))
                    {
                        return $"{path}.{name}: lost";
                    }

                    var difference = Difference(value, other, path + "." + name);
                    if (difference != null)
                    {
                        return difference;
                    }
                }

                var added = right.Keys.FirstOrDefault(k => !left.ContainsKey(k));
                return added == null ? null : $"{path}.{added}: added ({Short(right[added])})";

            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                if (expectedItems.Count != actualItems.Count)
                {
                    return $"{path}: {expectedItems.Count} items became {actualItems.Count}";
                }

                for (var i = 0; i < expectedItems.Count; i++)
                {
                    var difference = Difference(expectedItems[i], actualItems[i], $"{path}[{i}]");
                    if (difference != null)
                    {
                        return difference;
                    }
                }

                return null;

            case JsonValueKind.Number:
                return NumbersEqual(expected, actual) ? null : $"{path}: {expected.GetRawText()} became {actual.GetRawText()}";

            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: {Short(expected)} became {Short(actual)}";

            default:
                return null;
        }
    }

    private static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        // The same decimal, or the same double: a 17-digit double may print with other digits.
        if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) && x == y)
        {
            return true;
        }

        return a.TryGetDouble(out var p) && b.TryGetDouble(out var q) && p.Equals(q);
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Short(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}
