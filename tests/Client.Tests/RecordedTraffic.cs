using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>One exchange of ../shared/reference/recorded.jsonl (see that folder's README).</summary>
internal sealed record RecordedExchange(
    int Line,
    string Task,
    string Kind,
    string Provider,
    string Method,
    string Url,
    int Status,
    string? RequestBody,
    string? ResponseBody,
    string? ResponseContentType,
    bool IsSse)
{
    /// <summary>The request body when the recorder kept it as base64 (binary inputs).</summary>
    public byte[]? RequestBytes { get; init; }

    /// <summary>The response body when the recorder kept it as base64 (images, audio).</summary>
    public byte[]? ResponseBytes { get; init; }

    /// <summary>The request's recorded Content-Type, if any.</summary>
    public string? RequestContentType { get; init; }

    public override string ToString() => $"line {Line}: {Method} {Url} ({Task}, {Provider}, {Status})";
}

internal static class RecordedTraffic
{
    /// <summary>Every exchange; skips the calling test when the file is absent.</summary>
    public static IReadOnlyList<RecordedExchange> Load()
    {
        var path = RepoPaths.RequireRecordedTraffic();
        var result = new List<RecordedExchange>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            result.Add(new RecordedExchange(
                line,
                String(root, "task") ?? string.Empty,
                String(root, "kind") ?? string.Empty,
                String(root, "provider") ?? "None",
                String(root, "method") ?? string.Empty,
                String(root, "url") ?? string.Empty,
                root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : 0,
                String(root, "request_body_text"),
                String(root, "response_body_text"),
                root.TryGetProperty("response_headers", out var headers) && headers.ValueKind == JsonValueKind.Object ? String(headers, "content-type") : null,
                root.TryGetProperty("is_sse", out var sse) && sse.ValueKind == JsonValueKind.True)
            {
                RequestBytes = String(root, "request_body_base64") is { } request ? System.Convert.FromBase64String(request) : null,
                ResponseBytes = String(root, "response_body_base64") is { } response ? System.Convert.FromBase64String(response) : null,
                RequestContentType = root.TryGetProperty("request_headers", out var requestHeaders) && requestHeaders.ValueKind == JsonValueKind.Object ? String(requestHeaders, "content-type") : null,
            });
        }

        return result;
    }

    /// <summary>The <c>data:</c> payloads of a recorded event stream, in order (comments and other fields dropped).</summary>
    public static IEnumerable<string> SseData(string body) =>
        body.Replace("\r\n", "\n").Split('\n')
            .Where(l => l.StartsWith("data:", System.StringComparison.Ordinal))
            .Select(l => l.Substring(5).TrimStart(' '));

    /// <summary>Whether the text is one JSON value.</summary>
    public static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
