using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Http;

/// <summary>
/// What an API generated from an OpenAPI document sends through: one base URL and the client's
/// transport (token, timeout, <see cref="HfHubHttpException"/>). Bodies and answers use
/// <see cref="InferenceJson.Options"/>.
/// </summary>
public sealed class ApiConnection
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly InferenceTransport _transport;
    private readonly Uri _baseUrl;

    internal ApiConnection(InferenceTransport transport, Uri baseUrl)
    {
        _transport = transport;
        _baseUrl = baseUrl;
    }

    /// <summary>Sends an operation and reads its JSON (or, for <c>string</c>, text) answer.</summary>
    public Task<T> SendAsync<T>(string method, string path, IEnumerable<KeyValuePair<string, string?>>? query, object? body, CancellationToken cancellationToken) =>
        SendCoreAsync<T>(method, path, query, body, cancellationToken);

    /// <summary>Sends an operation whose answer carries nothing.</summary>
    public Task SendAsync(string method, string path, IEnumerable<KeyValuePair<string, string?>>? query, object? body, CancellationToken cancellationToken) =>
        SendCoreAsync<JsonElement>(method, path, query, body, cancellationToken);

    /// <summary>A path parameter as one escaped URL segment; refuses values that could leave it.</summary>
    /// <exception cref="ArgumentException">The value is empty, "." or "..", or holds '/', '\', '?', '#', spaces or control characters.</exception>
    public static string Segment(string value, string argumentName)
    {
        if (string.IsNullOrWhiteSpace(value) || value is "." or ".." || value.Any(c => c is '/' or '\\' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"'{value}' is not a valid {argumentName}: it must be one path segment without '/', '\\', '?', '#' or spaces.", argumentName);
        }

        return Uri.EscapeDataString(value);
    }

    /// <summary>A parameter value as the API reads it: wire strings for enums, invariant numbers; null stays null.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    internal async Task<T> SendCoreAsync<T>(string method, string path, IEnumerable<KeyValuePair<string, string?>>? query, object? body, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(ModelResolver.Combine(_baseUrl, path));
        var pairs = query?.Where(p => p.Value != null).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        if (pairs is { Count: > 0 })
        {
            builder.Query = string.Join("&", pairs);
        }

        var url = builder.Uri;
        var json = body == null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), InferenceJson.Options);
        using var activity = Diagnostics.InferenceTelemetry.StartManagement(method, url);
        try
        {
            return await SendAsync<T>(method, url, json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Diagnostics.InferenceTelemetry.ManagementFailed(activity, exception);
            throw;
        }
    }

    private async Task<T> SendAsync<T>(string method, Uri url, byte[]? json, CancellationToken cancellationToken)
    {
        return await _transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (json != null)
                {
                    request.Content = new ByteArrayContent(json);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                return request;
            },
            async (response, isAsync, token) =>
            {
                var bytes = await _transport.ReadBodyAsync(response, isAsync, token).ConfigureAwait(false);
                if (typeof(T) == typeof(string))
                {
                    return (T)(object)Encoding.UTF8.GetString(bytes);
                }

                if (typeof(T) == typeof(JsonElement) && bytes.Length == 0)
                {
                    return (T)(object)EmptyObject;
                }

                return JsonSerializer.Deserialize<T>(bytes, InferenceJson.ReadOptions)
                    ?? throw new HfHubHttpException(response.StatusCode, $"The answer to {method} {url.AbsolutePath} is empty.", ErrorParser.RequestId(response), null, url);
            },
            async: true,
            cancellationToken,
            retryable: method == "GET").ConfigureAwait(false);
    }
}
