using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The generated readers against the serializer's own contract on the edges recorded traffic does
/// not reach: wrong kinds, nulls, duplicates, escaped names, unknown members at every level. Both
/// must throw a <see cref="JsonException"/>, or both must read values that write back identically.
/// </summary>
public class WireReaderTests
{
    public static TheoryData<string, string> Bodies() => new()
    {
        { nameof(ChatCompletionStreamOutput), """{"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"logprobs":null,"finish_reason":null}],"created":1,"id":"x","model":"m","system_fingerprint":"f","object":"chat.completion.chunk"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":[],"created":18435558523380366744,"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":null,"created":null,"id":null,"model":"m","system_fingerprint":"f","usage":null}""" },
        { nameof(ChatCompletionStreamOutput), """{"id":"first","id":"second","choices":[],"created":1,"model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"\u0069d":"escaped name","choices":[],"created":1,"model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":[{"index":0,"delta":{"role":"assistant","content":"x","new_member":{"deep":[1,2,{"a":null}]}},"finish_reason":"stop"}],"created":1,"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}}],"created":1,"id":"x","model":"m","system_fingerprint":"f","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""" },
        { nameof(ChatCompletionStreamOutput), """{}""" },
        { nameof(ChatCompletionStreamOutput), """{"created":"1","choices":[],"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"created":1.5,"choices":[],"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"created":-1,"choices":[],"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"id":7,"choices":[],"created":1,"model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":{},"created":1,"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":[null],"created":1,"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """{"choices":[{"index":null,"delta":{}}],"created":1,"id":"x","model":"m","system_fingerprint":"f"}""" },
        { nameof(ChatCompletionStreamOutput), """[]""" },
        { nameof(ChatCompletionStreamOutput), """"text"""" },
        { nameof(ChatCompletionOutput), """{"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"length","logprobs":{"content":[{"token":"a","logprob":-0.5,"top_logprobs":[{"token":"b","logprob":-1e300}]}]}}],"created":1,"id":"x","model":"m","system_fingerprint":"f","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""" },
        { nameof(ChatCompletionOutput), """{"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"length","logprobs":{"content":[{"token":"a","logprob":true}]}}]}""" },
        { nameof(ChatCompletionInput), """{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"http://x"}}]}],"stop":["a"],"temperature":0.5,"seed":42,"stream":true,"tool_choice":"auto","response_format":{"type":"json_object"}}""" },
        { nameof(ChatCompletionInput), """{"messages":[{"role":"user","content":"a"}],"stream":"yes"}""" },
        { nameof(TextGenerationStreamOutput), """{"index":1,"token":{"id":5,"text":" a","logprob":-0.1,"special":false},"generated_text":null,"details":null}""" },
        { nameof(TextGenerationStreamOutput), """{"index":1,"token":{"id":5,"text":" a","logprob":-0.1,"special":"no"}}""" },
        { nameof(FeatureExtractionInput), """{"inputs":["a","b"],"normalize":true,"truncate":null}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void GeneratedReadersAgreeWithTheSerializer(string typeName, string json)
    {
        var type = SchemaTypes.Find(typeName) ?? throw new TypeLoadException(typeName);
        var expected = Read(type, json, ReflectionJson.Options);
        var actual = Read(type, json, InferenceJson.ReadOptions);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TheReadOptionsUseAGeneratedReaderForEveryRecord()
    {
        var records = 0;
        foreach (var type in typeof(InferenceClient).Assembly.GetTypes())
        {
            if (type.GetNestedType("WireReader", System.Reflection.BindingFlags.NonPublic) is { } reader)
            {
                records++;
                Assert.IsType(reader, InferenceJson.ReadOptions.GetConverter(type));
            }
        }

        Assert.True(records > 150, $"only {records} records have a generated reader");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UndeclaredMembersAreReusedFromTheEventBeforeOnlyWhenTheirBytesMatch(bool stream)
    {
        // In a stream, a group of undeclared members byte-equal to the event before's is shared;
        // every event must still read its own values and get its own dictionary.
        string[] values = ["\"chat.completion.chunk\"", "\"chat.completion.chunk\"", "\"other\"", "1", "1.0", "true", "null", "\"chat.completion.chunk\"", "{\"a\":1}", "\"chat.completion.chunk\"", "\"chat.completion.chunk\",\"more\":2", "\"chat.completion.chunk\"", "\"\\u0063hat\""];
        string Name(int i) => i == 4 ? "objekt" : "object";
        var bodies = values.Select((value, i) => $$"""{"choices":[],"created":1,"id":"x","model":"m","system_fingerprint":"f","{{Name(i)}}":{{value}}}""").ToList();
        var events = stream
            ? Http.StreamEvents.Read<ChatCompletionStreamOutput>(new System.IO.MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Concat(bodies.Select(b => "data: " + b + "\n\n")))), default).ToList()
            : bodies.Select(b => JsonSerializer.Deserialize<ChatCompletionStreamOutput>(b, InferenceJson.ReadOptions)!).ToList();

        Assert.Equal(values.Length, events.Count);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = JsonSerializer.Serialize(JsonSerializer.Deserialize<ChatCompletionStreamOutput>(bodies[i], ReflectionJson.Options), ReflectionJson.Options);
            Assert.Equal(expected, JsonSerializer.Serialize(events[i], ReflectionJson.Options));
            var (name, element) = events[i].AdditionalProperties!.First();
            Assert.Equal(Name(i), name);
            Assert.Equal(values[i].Split(",\"more\":")[0], element.GetRawText());
        }

        Assert.Equal(2, events[10].AdditionalProperties!.Count);
        Assert.Equal("\"\\u0063hat\"", events[12].AdditionalProperties!["object"].GetRawText());
        Assert.Equal("chat", events[12].AdditionalProperties!["object"].GetString());
        events[0].AdditionalProperties!["added"] = default;
        Assert.False(events[1].AdditionalProperties!.ContainsKey("added"));
        Assert.True(events[0].AdditionalProperties!.ContainsKey("added"));

        // The strings repeated in every event are one instance per stream; outside a stream each read is its own.
        Assert.Equal(stream, ReferenceEquals(events[0].Model, events[^1].Model));
        Assert.Equal(stream, ReferenceEquals(events[0].Id, events[1].Id));
    }

    [Fact]
    public void StringsAreReusedOnlyWhenTheirBytesMatch()
    {
        string[] contents = ["a", "a", "b", "\\u0061", "a", "", "a"];
        var sse = string.Concat(contents.Select(c => $$$"""data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"{{{c}}}"}}],"created":1,"id":"x","model":"m","system_fingerprint":"f"}""" + "\n\n"));
        var events = Http.StreamEvents.Read<ChatCompletionStreamOutput>(new System.IO.MemoryStream(System.Text.Encoding.UTF8.GetBytes(sse)), default).ToList();
        Assert.Equal(["a", "a", "b", "a", "a", "", "a"], events.Select(e => e.Choices[0].Delta.Content));
        Assert.Same(events[0].Choices[0].Delta.Content, events[1].Choices[0].Delta.Content);
        Assert.Same(events[0].Choices[0].Delta.Role, events[6].Choices[0].Delta.Role);
        Assert.Single(events[0].Choices);
    }

    [Fact]
    public void AReaderRefusesToWrite()
    {
        var converters = new List<System.Text.Json.Serialization.JsonConverter>(InferenceJson.ReadOptions.Converters);
        Assert.NotEmpty(converters);
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new FeatureExtractionInput { Inputs = "a" }, InferenceJson.ReadOptions));
    }

    /// <summary>What reading gives, as text: the value written back by the serializer, or "JsonException".</summary>
    private static string Read(Type type, string json, JsonSerializerOptions options)
    {
        try
        {
            var value = JsonSerializer.Deserialize(json, type, options);
            return value == null ? "null" : JsonSerializer.Serialize(value, type, ReflectionJson.Options);
        }
        catch (JsonException)
        {
            return nameof(JsonException);
        }
    }
}
