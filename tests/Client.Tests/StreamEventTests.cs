using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The stream reader types ordinary events straight from their UTF-8 bytes and sends everything
/// else down the string path; both must give the same items and the same exceptions as reading
/// every event as a string did.
/// </summary>
public class StreamEventTests
{
    private const string Chunk = "{\"object\":\"chat.completion.chunk\",\"id\":\"c\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"f\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";

    public static TheoryData<string, byte[]> Events() => new()
    {
        { "ordinary chunk", Encoding.UTF8.GetBytes(Chunk) },
        { "done", "[DONE]"u8.ToArray() },
        { "blank", " \t"u8.ToArray() },
        { "empty", [] },
        { "two events joined", Encoding.UTF8.GetBytes(Chunk + "\n" + Chunk.Replace("Hi", "there", StringComparison.Ordinal)) },
        { "error event", "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}"u8.ToArray() },
        { "error object after other members", Encoding.UTF8.GetBytes(Chunk.Replace("\"usage\":null", "\"error\":{\"message\":\"stopped\",\"type\":\"server_error\"}", StringComparison.Ordinal)) },
        { "null error member", Encoding.UTF8.GetBytes(Chunk.Replace("\"usage\":null", "\"error\":null", StringComparison.Ordinal)) },
        { "error only nested", Encoding.UTF8.GetBytes(Chunk.Replace("\"logprobs\":null", "\"error\":\"nested\"", StringComparison.Ordinal)) },
        { "one event over two lines", Encoding.UTF8.GetBytes(Chunk.Replace(",\"usage\"", "\n,\"usage\"", StringComparison.Ordinal)) },
        { "chunk mentioning error in its text", Encoding.UTF8.GetBytes(Chunk.Replace("Hi", "an \\\"error\\\" here", StringComparison.Ordinal)) },
        { "invalid UTF-8 inside a string", Encoding.UTF8.GetBytes(Chunk).Select(b => b == (byte)'H' ? (byte)0xFF : b).ToArray() },
        { "not JSON", "<html>"u8.ToArray() },
        { "null", "null"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void BytesAndStringPathsAgree(string name, byte[] data)
    {
        var viaBytes = Outcome(() => StreamEvents.FromUtf8<ChatCompletionStreamOutput>(string.Empty, data) is var e && e.IsDone
            ? null
            : e.Single is { } single ? [single] : e.Many?.ToList() ?? []);
        var viaString = Outcome(() =>
        {
            var text = Encoding.UTF8.GetString(data);
            return text == StreamEvents.Done ? null : string.IsNullOrWhiteSpace(text) ? [] : StreamEvents.ParseAll<ChatCompletionStreamOutput>(text).ToList();
        });

        Assert.True(viaString == viaBytes, $"{name}: bytes gave {viaBytes}, the string path gave {viaString}");

        // Inside a stream the event is read first and an error event recognised while reading (no scan):
        // the outcome must be the same, after an ordinary chunk and on its own.
        foreach (var before in new[] { false, true })
        {
            var repeated = new RepeatedValues();
            if (before)
            {
                StreamEvents.FromUtf8<ChatCompletionStreamOutput>(string.Empty, Encoding.UTF8.GetBytes(Chunk), repeated);
            }

            var inStream = Outcome(() => StreamEvents.FromUtf8<ChatCompletionStreamOutput>(string.Empty, data, repeated) is var e && e.IsDone
                ? null
                : e.Single is { } single ? [single] : e.Many?.ToList() ?? []);
            Assert.True(viaString == inStream, $"{name} in a stream{(before ? " after a chunk" : string.Empty)}: gave {inStream}, the string path gave {viaString}");
        }
    }

    private static string Outcome(Func<List<ChatCompletionStreamOutput>?> read)
    {
        try
        {
            return read() is { } items ? "items " + JsonSerializer.Serialize(items, InferenceJson.Options) : "done";
        }
        catch (Exception exception)
        {
            return exception.GetType().Name + ": " + exception.Message;
        }
    }
}
