using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Inside one stream the readers reuse the values repeated from the event before (<c>RepeatedValues</c>)
/// and keep undeclared members as raw bytes (<c>WireExtras</c>). Neither may ever change a result: every
/// event must read exactly as it does alone, outside any stream. And a stream event without a member a
/// consumer dereferences is the typed error a whole answer gives.
/// </summary>
public class StreamReuseTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture fixture;

    public StreamReuseTests(ServerFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearScript();
    }

    private static string Chunk(string id = "a", string model = "m", string? fingerprint = "f", string? role = "assistant", string content = "x", string extra = "\"object\":\"chat.completion.chunk\",") =>
        "{" + extra + "\"id\":\"" + id + "\",\"created\":1,\"model\":\"" + model + "\""
        + (fingerprint == null ? string.Empty : ",\"system_fingerprint\":\"" + fingerprint + "\"")
        + ",\"choices\":[{\"index\":0,\"delta\":{" + (role == null ? string.Empty : "\"role\":\"" + role + "\",") + "\"content\":\"" + content + "\"}}]}";

    private static List<ChatCompletionStreamOutput> ReadStream(IEnumerable<string> events) =>
        StreamEvents.Read<ChatCompletionStreamOutput>(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(events.Select(e => "data: " + e + "\n\n")) + "data: [DONE]\n\n")), default).ToList();

    /// <summary>The event read alone, by the serializer's reflection path (no generated reader, no stream).</summary>
    private static string Alone(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize<ChatCompletionStreamOutput>(json, InferenceJson.Options), InferenceJson.Options);

    [Fact]
    public void AValueThatChangesMidStreamIsNeverTheEventBeforesValue()
    {
        string[] events =
        [
            Chunk(),
            Chunk(),
            Chunk(id: "b"),                                 // id changes mid-stream
            Chunk(id: "b", model: "n"),                     // then the model
            Chunk(id: "b", model: "n", fingerprint: null),  // a repeated member left out: every later string shifts one place
            Chunk(id: "b", model: "n", fingerprint: "f"),
            Chunk(id: "b", model: "n", role: null),         // the role left out
            Chunk(id: "b", model: "n", role: "tool"),
            Chunk(id: "\\u0062", model: "n"),               // the same id, escaped: other bytes, the same string
            Chunk(id: "bb", model: "n"),                    // the old id as a prefix
            Chunk(id: "", model: "n"),
            Chunk(id: "a", model: "m", content: "a"),       // a content equal to the id before it
            Chunk(id: "a", model: "m", extra: "\"object\":\"other\","),
            Chunk(id: "a", model: "m", extra: string.Empty),
            Chunk(id: "a", model: "m"),
        ];
        var read = ReadStream(events);

        Assert.Equal(events.Length, read.Count);
        Assert.Equal(["a", "a", "b", "b", "b", "b", "b", "b", "b", "bb", "", "a", "a", "a", "a"], read.Select(e => e.Id));
        Assert.Equal(["m", "m", "m", "n", "n", "n", "n", "n", "n", "n", "n", "m", "m", "m", "m"], read.Select(e => e.Model));
        Assert.Null(read[4].SystemFingerprint);
        Assert.Equal("f", read[5].SystemFingerprint);
        Assert.Null(read[6].Choices[0].Delta.Role);
        Assert.Equal("tool", read[7].Choices[0].Delta.Role);
        Assert.Equal("assistant", read[8].Choices[0].Delta.Role);
        Assert.Equal("other", read[12].AdditionalProperties!["object"].GetString());
        Assert.Null(read[13].AdditionalProperties);
        Assert.Equal("chat.completion.chunk", read[14].AdditionalProperties!["object"].GetString());
        for (var i = 0; i < events.Length; i++)
        {
            Assert.Equal(Alone(events[i]), JsonSerializer.Serialize(read[i], InferenceJson.Options));
        }

        // Reuse did happen where the bytes were equal, so the comparisons above tested it.
        Assert.Same(read[0].Id, read[1].Id);
        Assert.Same(read[3].Model, read[5].Model);
    }

    [Fact]
    public void UndeclaredMembersAtEveryLevelSurviveTheStreamLosslessly()
    {
        // Members the schema does not declare, on the chunk, the choice and the delta: scalars of every
        // kind, an object and an array, changing and repeating between events; read back, each event
        // must be the JSON it came in as.
        string[] events =
        [
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"stop_reason":null,"delta":{"role":"assistant","content":"x","reasoning_content":"think"}}],"x_groq":{"id":"req_1"}}""",
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"stop_reason":null,"delta":{"role":"assistant","content":"y","reasoning_content":"think"}}],"x_groq":{"id":"req_1"}}""",
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"stop_reason":128009,"delta":{"role":"assistant","content":"z","reasoning_content":"more"}}],"x_groq":{"id":"req_1","usage":{"queue_time":0.5}}}""",
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"stop_reason":true,"delta":{"role":"assistant","content":"","reasoning_content":null}}],"citations":["u1","u2"],"seed":-1.5e3}""",
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"stop_reason":true,"delta":{"role":"assistant","content":"","reasoning_content":null}}],"citations":["u1","u2"],"seed":-1.5e3}""",
            """{"object":"chat.completion.chunk","id":"a","created":1,"model":"m","system_fingerprint":"f","choices":[{"index":0,"delta":{"role":"assistant","content":"w","caf\u00e9":"\u00e9"}}]}""",
        ];
        var read = ReadStream(events);

        Assert.Equal(events.Length, read.Count);

        // Materialised only now, after the whole stream: what each event kept must still be its own.
        Assert.Equal("think", read[0].Choices[0].Delta.AdditionalProperties!["reasoning_content"].GetString());
        Assert.Equal(128009, read[2].Choices[0].AdditionalProperties!["stop_reason"].GetInt32());
        Assert.Equal(0.5, read[2].AdditionalProperties!["x_groq"].GetProperty("usage").GetProperty("queue_time").GetDouble());
        Assert.Equal(JsonValueKind.Null, read[3].Choices[0].Delta.AdditionalProperties!["reasoning_content"].ValueKind);
        Assert.Equal(-1500, read[4].AdditionalProperties!["seed"].GetDouble());
        Assert.Equal("é", read[5].Choices[0].Delta.AdditionalProperties!["café"].GetString());
        for (var i = 0; i < events.Length; i++)
        {
            var back = JsonNode.Parse(JsonSerializer.Serialize(read[i], InferenceJson.Options));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(events[i]), back), $"event {i}: sent {events[i]}, read back {back!.ToJsonString()}");
        }

        // A change to one event's dictionary stays with that event, even where the group was shared.
        read[3].AdditionalProperties!["added"] = default;
        Assert.False(read[4].AdditionalProperties!.ContainsKey("added"));
    }

    private static string RecordedChatStream()
    {
        var body = RecordedTraffic.Load()
            .Where(e => e.IsSse && e.ResponseBody != null && e.Task == "chat-completion")
            .Select(e => e.ResponseBody!)
            .First(b => RecordedTraffic.SseData(b).Where(d => d != "[DONE]" && RecordedTraffic.IsJson(d)).Take(2)
                .Count(d => JsonNode.Parse(d) is JsonObject o && o["choices"] is JsonArray { Count: > 0 } c && c[0]?["delta"] is JsonObject) == 2);
        return body;
    }

    /// <summary>The recorded stream's events as SSE, with <paramref name="change"/> applied to its second chunk.</summary>
    private static string[] WithSecondChunk(string body, Action<JsonObject> change)
    {
        var chunks = RecordedTraffic.SseData(body).Where(d => d != "[DONE]" && RecordedTraffic.IsJson(d)).Select(d => JsonNode.Parse(d)!.AsObject()).ToList();
        change(chunks[1]);
        return [.. chunks.Select(c => "data: " + c.ToJsonString() + "\n\n"), "data: [DONE]\n\n"];
    }

    [Theory]
    [InlineData("choices")]
    [InlineData("choices[0].delta")]
    public async Task AStreamedChunkWithoutAMemberNamesTheTaskAndTheMember(string member)
    {
        var stream = WithSecondChunk(RecordedChatStream(), chunk =>
        {
            if (member == "choices")
            {
                chunk.Remove("choices");
            }
            else
            {
                chunk["choices"]![0]!.AsObject().Remove("delta");
            }
        });
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, stream));

        var seen = 0;
        var error = await Assert.ThrowsAsync<InferenceResponseException>(async () =>
        {
            await foreach (var chunk in client.ChatCompletionStreamAsync([new ChatCompletionInputMessage { Role = "user", Content = "hi" }], cancellationToken: TestContext.Current.CancellationToken))
            {
                Assert.NotNull(chunk.Choices);
                seen++;
            }
        });
        Assert.Equal(1, seen);
        Assert.Equal(("chat-completion", member), (error.Task, error.Member));
        Assert.Contains(member, error.Message, StringComparison.Ordinal);
        Assert.Equal(stream[1]["data: ".Length..].TrimEnd('\n'), error.ResponseBody);

        // The synchronous twin gives the same error.
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, stream));
        var sync = Assert.Throws<InferenceResponseException>(() => client.ChatCompletionStream([new ChatCompletionInputMessage { Role = "user", Content = "hi" }], cancellationToken: TestContext.Current.CancellationToken).ToList());
        Assert.Equal(member, sync.Member);
    }

    [Fact]
    public void RecordedChunksWithoutTheFingerprintOrTheRoleStillRead()
    {
        // The spec marks both required; real streams leave them out, so the stream check does not ask for them.
        var stream = WithSecondChunk(RecordedChatStream(), chunk =>
        {
            chunk.Remove("system_fingerprint");
            chunk["choices"]![0]!["delta"]!.AsObject().Remove("role");
        });
        var read = StreamEvents.Read<ChatCompletionStreamOutput>(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(stream))), TestContext.Current.CancellationToken).ToList();
        Assert.Null(read[1].SystemFingerprint);
        Assert.Null(read[1].Choices[0].Delta.Role);
    }

    [Fact]
    public async Task CoheresOwnStreamFormatFailsWithTheTypedErrorAtItsFirstEvent()
    {
        // The one recording in Cohere's own format (RecordedStreamTests excludes it): "type" and "delta", no "choices".
        var cohere = RecordedTraffic.Load().First(e => e.IsSse && e.ResponseBody != null && e.Provider == "cohere"
            && RecordedTraffic.SseData(e.ResponseBody).FirstOrDefault(d => d != "[DONE]" && RecordedTraffic.IsJson(d)) is { } first
            && JsonNode.Parse(first) is JsonObject o && o["choices"] == null && o["type"] != null);
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, cohere.ResponseBody!));
        var seen = 0;
        var error = await Assert.ThrowsAsync<InferenceResponseException>(async () =>
        {
            await foreach (var chunk in client.ChatCompletionStreamAsync([new ChatCompletionInputMessage { Role = "user", Content = "hi" }], cancellationToken: TestContext.Current.CancellationToken))
            {
                seen++;
            }
        });
        Assert.Equal((0, "chat-completion", "choices"), (seen, error.Task, error.Member));
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token.text")]
    public async Task AStreamedGenerationEventWithoutItsTokenNamesTheMember(string member)
    {
        var body = RecordedTraffic.Load()
            .Where(e => e.IsSse && e.ResponseBody != null)
            .Select(e => e.ResponseBody!)
            .First(b => RecordedTraffic.SseData(b).Where(d => d != "[DONE]" && RecordedTraffic.IsJson(d)).Take(2)
                .Count(d => JsonNode.Parse(d) is JsonObject o && o["token"] is JsonObject) == 2);
        var events = RecordedTraffic.SseData(body).Where(d => d != "[DONE]" && RecordedTraffic.IsJson(d)).Select(d => JsonNode.Parse(d)!.AsObject()).ToList();
        if (member == "token")
        {
            events[1].Remove("token");
        }
        else
        {
            events[1]["token"]!.AsObject().Remove("text");
        }

        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, [.. events.Select(e => "data: " + e.ToJsonString() + "\n\n")]));
        var error = await Assert.ThrowsAsync<InferenceResponseException>(async () =>
        {
            await foreach (var item in client.TextGenerationStreamAsync("Once", cancellationToken: TestContext.Current.CancellationToken))
            {
                Assert.NotNull(item.Token.Text);
            }
        });
        Assert.Equal(("text-generation", member), (error.Task, error.Member));
    }
}
