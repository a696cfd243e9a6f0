using System;
using System.Linq;

namespace HuggingFace.Inference.Endpoints;

/// <summary>Names and namespaces go into the management API's paths: each must stay one segment.</summary>
internal static class PathSegment
{
    /// <summary>Returns <paramref name="value"/>; refuses values that could leave their segment.</summary>
    /// <exception cref="ArgumentException">The value is empty, "." or "..", or holds '/', '\', '?', '#', spaces or control characters.</exception>
    public static string Check(string value, string argumentName)
    {
        if (string.IsNullOrWhiteSpace(value) || value is "." or ".." || value.Any(c => c is '/' or '\\' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"'{value}' is not a valid {argumentName}: it must be one path segment without '/', '\\', '?', '#' or spaces.", argumentName);
        }

        return value;
    }
}
