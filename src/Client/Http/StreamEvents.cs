using System;
using System.Collections.Generic;
using System.IO;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Http;

/// <summary>Turns one server-sent event's data into a stream item, or into the error it reports.</summary>
internal static class StreamEvents
{
    public const string Done = "[DONE]";

    /// <summary>The largest stream event read by default (16 MiB): far above any chat or generation event, far below memory.</summary>
    public const long DefaultMaxEventBytes = 16L * 1024 * 1024;

    /// <summary>The items of a server-sent event stream, until <c>[DONE]</c> or its end.</summary>
    /// <exception cref="InvalidDataException">One event is larger than <paramref name="maxEventBytes"/>.</exception>
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken, long maxEventBytes = DefaultMaxEventBytes)
    {
        var repeated = new RepeatedValues();
        var events = SseParser.Create(new EventSizeLimitedStream(stream, maxEventBytes), (type, data) => FromUtf8<T>(type, data, repeated));
        await foreach (var item in events.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var data = item.Data;
            if (data.IsDone)
            {
                yield break;
            }

            if (data.Single is { } single)
            {
                yield return single;
            }
            else if (data.Many != null)
            {
                foreach (var parsed in data.Many)
                {
                    yield return parsed;
                }
            }
        }
    }

    /// <summary>The items of a server-sent event stream, until <c>[DONE]</c> or its end, read synchronously.</summary>
    /// <exception cref="InvalidDataException">One event is larger than <paramref name="maxEventBytes"/>.</exception>
    public static IEnumerable<T> Read<T>(Stream stream, CancellationToken cancellationToken, long maxEventBytes = DefaultMaxEventBytes)
    {
        var repeated = new RepeatedValues();
        foreach (var item in SseParser.Create(new EventSizeLimitedStream(stream, maxEventBytes), (type, data) => FromUtf8<T>(type, data, repeated)).Enumerate())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = item.Data;
            if (data.IsDone)
            {
                yield break;
            }

            if (data.Single is { } single)
            {
                yield return single;
            }
            else if (data.Many != null)
            {
                foreach (var parsed in data.Many)
                {
                    yield return parsed;
                }
            }
        }
    }

    /// <summary>
    /// The item parser for <see cref="System.Net.ServerSentEvents.SseParser"/>: an ordinary event is
    /// read straight from its UTF-8 bytes, which spares a string per event (bench/Micro measured 30%
    /// of the allocations and 11% of the time per chat chunk going to it). Anything unusual (error
    /// events, joined lines, blank data, bytes that are not valid JSON or UTF-8) takes the string
    /// path below, so the results and exceptions are the same as reading every event as a string.
    /// </summary>
    /// <exception cref="TextGenerationException">An event is an error event.</exception>
    /// <exception cref="JsonException">The data is not JSON of the item's type.</exception>
    public static StreamEvent<T> FromUtf8<T>(string eventType, ReadOnlySpan<byte> data) => FromUtf8<T>(eventType, data, null);

    /// <summary>
    /// <see cref="FromUtf8{T}(string, ReadOnlySpan{byte})"/>, reusing the strings and undeclared
    /// members that are byte-equal to the event before in the same stream (<paramref name="repeated"/>).
    /// </summary>
    public static StreamEvent<T> FromUtf8<T>(string eventType, ReadOnlySpan<byte> data, RepeatedValues? repeated)
    {
        using var scope = repeated?.Enter();
        if (data.SequenceEqual("[DONE]"u8))
        {
            return StreamEvent<T>.Done;
        }

        if (data.IndexOf((byte)'\n') < 0 && data.IndexOf("\"error\""u8) < 0)
        {
            try
            {
                // The generated reader directly, without the serializer's set-up per call (bench/Micro, ChatStreamBenchmarks).
                if (WireReading.TryReadDocument<T>(data, InferenceJson.ReadOptions, out var direct) && direct is { } read)
                {
                    return new StreamEvent<T>(read);
                }

                if (JsonSerializer.Deserialize(data, InferenceJson.Info<T>(InferenceJson.ReadOptions)) is { } item)
                {
                    return new StreamEvent<T>(item);
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                // The string path below reports it, with the same message it always had. (Read
                // directly, invalid UTF-8 in a string is the reader's InvalidOperationException,
                // which the serializer would have wrapped in a JsonException.)
            }
        }

        var text = System.Text.Encoding.UTF8.GetString(data);
        return string.IsNullOrWhiteSpace(text) ? default : new StreamEvent<T>(ParseAll<T>(text));
    }

    /// <summary>
    /// The items of one event's data: normally one. When a server leaves out the blank line between
    /// two events, the SSE rules join their data lines into one value that is not JSON; if each line
    /// is, they are the events the server meant (Python's line-based reader sees them that way too).
    /// </summary>
    /// <exception cref="TextGenerationException">An event is an error event.</exception>
    /// <exception cref="JsonException">The data is not JSON of the item's type.</exception>
    public static IEnumerable<T> ParseAll<T>(string data)
    {
        if (!data.Contains('\n', StringComparison.Ordinal))
        {
            return [Parse<T>(data)];
        }

        try
        {
            return [Parse<T>(data)];
        }
        catch (JsonException) when (data.Split('\n').All(IsJsonValue))
        {
            return data.Split('\n').Where(line => line.Length > 0 && line != Done).Select(Parse<T>).ToList();
        }
    }

    private static bool IsJsonValue(string line)
    {
        if (line.Length == 0 || line == Done)
        {
            return true;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line));
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <exception cref="TextGenerationException">The event is an error event.</exception>
    /// <exception cref="JsonException">The event is not JSON of the item's type.</exception>
    public static T Parse<T>(string data)
    {
        // Error events are rare; only events that mention "error" pay for a second look.
        if (data.Contains("\"error\"", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                throw ToException(document.RootElement, error);
            }
        }

        return JsonSerializer.Deserialize(data, InferenceJson.Info<T>(InferenceJson.ReadOptions)) ?? throw new JsonException($"The event '{data}' is null, not a {typeof(T).Name}.");
    }

    private static TextGenerationException ToException(JsonElement root, JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.Object)
        {
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? error.GetRawText() : error.GetRawText();
            var type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            int? status = error.TryGetProperty("http_status_code", out var s) && s.TryGetInt32(out var code) ? code : null;
            return TextGenerationException.For(message, type, (System.Net.HttpStatusCode?)status);
        }

        var errorType = root.TryGetProperty("error_type", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;
        return TextGenerationException.For(error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(), errorType, null);
    }
}

/// <summary>What one server-sent event holds: the end of the stream, one item (the usual case, no list allocated), several, or none.</summary>
internal readonly struct StreamEvent<T>
{
    public static StreamEvent<T> Done => new(isDone: true);

    public StreamEvent(T single) => Single = single;

    public StreamEvent(IEnumerable<T> many) => Many = many;

    private StreamEvent(bool isDone) => IsDone = isDone;

    public bool IsDone { get; }

    public T? Single { get; }

    public IEnumerable<T>? Many { get; }
}
