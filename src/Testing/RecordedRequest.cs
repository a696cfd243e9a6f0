namespace HuggingFace.Inference.Testing;

/// <summary>A request the server received, as it arrived.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, unescaped as Kestrel gives it.</param>
/// <param name="RawPath">The path as sent on the wire (escapes kept).</param>
/// <param name="Query">The query string, with its '?', or empty.</param>
/// <param name="Headers">Every header, names lower-cased.</param>
/// <param name="Body">The body bytes.</param>
public sealed record RecordedRequest(string Method, string Path, string RawPath, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The Content-Type header without parameters, or null.</summary>
    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value.Split(';')[0].Trim() : null;

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
