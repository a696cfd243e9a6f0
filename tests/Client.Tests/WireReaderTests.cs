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
        var type = typeof(InferenceClient).Assembly.GetType("HuggingFace.Inference." + typeName, throwOnError: true)!;
        var expected = Read(type, json, InferenceJson.Options);
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

    [Fact]
    public void AnUndeclaredMemberReusedFromTheLastEventIsReusedOnlyWhenItsBytesMatch()
    {
        // The readers reuse the last undeclared scalar member seen on the thread; every event must
        // still get its own value and its own dictionary.
        string[] values = ["\"chat.completion.chunk\"", "\"chat.completion.chunk\"", "\"other\"", "1", "1.0", "true", "null", "\"chat.completion.chunk\"", "{\"a\":1}", "\"chat.completion.chunk\""];
        var events = new List<ChatCompletionStreamOutput>();
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            var name = i == 4 ? "objekt" : "object";
            var json = $$"""{"choices":[],"created":1,"id":"x","model":"m","system_fingerprint":"f","{{name}}":{{value}}}""";
            events.Add(JsonSerializer.Deserialize<ChatCompletionStreamOutput>(json, InferenceJson.ReadOptions)!);
        }

        for (var i = 0; i < values.Length; i++)
        {
            var (name, element) = Assert.Single(events[i].AdditionalProperties!);
            Assert.Equal(i == 4 ? "objekt" : "object", name);
            Assert.Equal(values[i], element.GetRawText());
        }

        events[0].AdditionalProperties!["added"] = default;
        Assert.False(events[1].AdditionalProperties!.ContainsKey("added"));
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
            return value == null ? "null" : JsonSerializer.Serialize(value, type, InferenceJson.Options);
        }
        catch (JsonException)
        {
            return nameof(JsonException);
        }
    }
}
