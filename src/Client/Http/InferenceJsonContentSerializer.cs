using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Serialization;
using Refit;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Refit's JSON for the generated types, as the rest of the client writes and reads them: bodies with
/// <see cref="InferenceJson.Options"/>, answers with the generated records' readers and the envelope rules
/// of <see cref="InferenceClient"/> (a task's one-element list around its object output …). (Refit's own
/// System.Text.Json serializer takes one set of options for both; the readers cannot write.)
/// </summary>
public sealed class InferenceJsonContentSerializer : IHttpContentSerializer
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>The serializer every Refit client of this library uses.</summary>
    public static InferenceJsonContentSerializer Instance { get; } = new();

    /// <summary>
    /// Refit settings for this library's interfaces: this serializer, and the policy handler's exceptions
    /// (<see cref="HfHubHttpException"/>, <see cref="InferenceTimeoutException"/>, a connection's
    /// <see cref="HttpRequestException"/>) and the answer's (the size cap, a <c>JsonException</c>) surfaced as
    /// they are, as every other call of the library does, rather than wrapped in Refit's exceptions or ignored.
    /// </summary>
    public static RefitSettings CreateSettings() => new(Instance)
    {
        TransportExceptionFactory = (_, exception, _) => exception,

        // An answer over the size cap, or one that is not the JSON the method declares, fails the call.
        DeserializationExceptionFactory = (_, exception) => ValueTask.FromResult<Exception?>(exception),
    };

    /// <inheritdoc/>
    public HttpContent ToHttpContent<T>(T item)
    {
        var content = new ByteArrayContent(InferenceJson.Bytes(item, InferenceJson.WriteOptions));
        content.Headers.ContentType = Json;
        return content;
    }

    /// <inheritdoc/>
    public async Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
    {
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            // An empty answer (a 200 with no body) reads as an empty object for untyped JSON, as the API means nothing more.
            return typeof(T) == typeof(JsonElement) ? (T)(object)EmptyObject : default;
        }

        // Task outputs get InferenceClient's envelope rules ([[…]] around a list, [ {…} ] around an object);
        // untyped JSON is kept as the server sent it.
        return typeof(T) == typeof(JsonElement) ? JsonSerializer.Deserialize(bytes, InferenceJson.Info<T>(InferenceJson.ReadOptions)) : ResponseShapes.Read<T>(bytes);
    }

    /// <inheritdoc/>
    public string? GetFieldNameForProperty(PropertyInfo propertyInfo) =>
        propertyInfo.GetCustomAttribute<JsonPropertyNameAttribute>(true)?.Name ?? propertyInfo.Name;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
