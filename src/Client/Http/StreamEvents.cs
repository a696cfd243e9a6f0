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

        // The stream types are read first and checked after: the reader notes a top-level "error"
        // member while it reads (RepeatedValues.SawRootError), which spares two scans of every event
        // (670 instructions per chat chunk under callgrind). Others scan first, as before.
        var noted = repeated != null && NotesRootError<T>.Value;
        if (noted || (data.IndexOf((byte)'\n') < 0 && data.IndexOf("\"error\""u8) < 0))
        {
            T? typed = default;
            try
            {
                // The generated reader directly, without the serializer's set-up per call (bench/Micro, ChatStreamBenchmarks).
                if (!WireReading.TryReadDocument<T>(data, InferenceJson.ReadOptions, out typed) || typed is null)
                {
                    typed = JsonSerializer.Deserialize(data, InferenceJson.Info<T>(InferenceJson.ReadOptions));
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                // The string path below reports it, with the same message it always had. (Read
                // directly, invalid UTF-8 in a string is the reader's InvalidOperationException,
                // which the serializer would have wrapped in a JsonException.)
                typed = default;
            }

            // An error event, or one JSON value per line of joined events, takes the string path below.
            if (typed is { } item && !(noted && repeated!.SawRootError))
            {
                return new StreamEvent<T>(Checked(item, data));
            }
        }

        var text = System.Text.Encoding.UTF8.GetString(data);
        return string.IsNullOrWhiteSpace(text) ? default : new StreamEvent<T>(ParseAll<T>(text));
    }

    /// <summary>Whether T's reader notes a top-level error member: asked once, as typeof(T) is a call per test in the body shared by reference types.</summary>
    private static class NotesRootError<T>
    {
        public static readonly bool Value = typeof(T) == typeof(ChatCompletionStreamOutput) || typeof(T) == typeof(TextGenerationStreamOutput);
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

        var item = JsonSerializer.Deserialize(data, InferenceJson.Info<T>(InferenceJson.ReadOptions)) ?? throw new JsonException($"The event '{data}' is null, not a {typeof(T).Name}.");
        return Checked(item, System.Text.Encoding.UTF8.GetBytes(data));
    }

    /// <summary>
    /// The event, checked for the members a consumer dereferences: a chat chunk's <c>choices</c> and
    /// each choice's <c>delta</c>; a generation event's <c>token</c> and its <c>text</c>. The spec also
    /// marks a chunk's <c>system_fingerprint</c> and a delta's <c>role</c> required, but real streams
    /// leave them out (684 and 855 of the 1,859 recorded chat events), so those stay unchecked (null),
    /// as do a streamed tool call's <c>id</c> and <c>type</c>, which OpenAI-style streams send only in
    /// a call's first delta.
    /// </summary>
    /// <exception cref="EventMemberMissing">A checked member is missing or null.</exception>
    private static T Checked<T>(T item, ReadOnlySpan<byte> data)
    {
        var missing = item switch
        {
            ChatCompletionStreamOutput chat => Missing(chat),
            TextGenerationStreamOutput generation => generation.Token is null ? "token" : generation.Token.Text is null ? "token.text" : null,
            _ => null,
        };
        return missing == null ? item : throw new EventMemberMissing(missing, System.Text.Encoding.UTF8.GetString(data));
    }

    private static string? Missing(ChatCompletionStreamOutput chat)
    {
        var choices = chat.Choices;
        if (choices is null)
        {
            return "choices";
        }

        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i] is null)
            {
                return $"choices[{i}]";
            }

            if (choices[i].Delta is null)
            {
                return $"choices[{i}].delta";
            }
        }

        return null;
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

/// <summary>
/// A stream event without a member the client checks (<see cref="Member"/>, a JSON path), with the
/// event's data; the client turns it into an <see cref="InferenceResponseException"/> naming the task.
/// </summary>
internal sealed class EventMemberMissing(string member, string data) : JsonException($"The stream event's required member '{member}' is missing or null.")
{
    public string Member { get; } = member;

    public string EventData { get; } = data;
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
