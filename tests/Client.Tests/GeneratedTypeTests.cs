using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>How the generated types read, write and feel in code.</summary>
public class GeneratedTypeTests
{
    private static string Write<T>(T value) => JsonSerializer.Serialize(value, InferenceJson.Options);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, InferenceJson.Options)!;

    [Fact]
    public void ChatMessagesAreWrittenAsUsersExpect()
    {
        var input = new ChatCompletionInput
        {
            Model = "meta-llama/Llama-3.1-8B-Instruct",
            Messages =
            [
                new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" },
                new ChatCompletionInputMessage
                {
                    Role = "user",
                    Content = new[]
                    {
                        new ChatCompletionInputMessageChunk { Type = "text", Text = "Describe this image." },
                        new ChatCompletionInputMessageChunk { Type = ChatCompletionInputMessageChunkType.ImageUrl, ImageUrl = new ChatCompletionInputUrl { Url = "https://example.com/cat.png" } },
                    },
                },
            ],
            ToolChoice = "auto",
            MaxTokens = 64,
        };

        var json = JsonDocument.Parse(Write(input)).RootElement;
        Assert.Equal("What is the capital of France?", json.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("image_url", json.GetProperty("messages")[1].GetProperty("content")[1].GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", json.GetProperty("messages")[1].GetProperty("content")[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("auto", json.GetProperty("tool_choice").GetString());
        Assert.Equal(64, json.GetProperty("max_tokens").GetInt32());
        // Optional members that were not set are not written at all.
        Assert.False(json.TryGetProperty("temperature", out _));
        Assert.False(json.GetProperty("messages")[0].TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public void ChatAnswersReadAsUsersExpect()
    {
        var output = Read<ChatCompletionOutput>("""
            {"id":"x","object":"chat.completion","created":1739000000,"model":"m","system_fingerprint":"3.0",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Paris."}}],
             "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}
            """);
        Assert.Equal("Paris.", output.Choices[0].Message.Content);
        Assert.Equal(12, output.Usage!.TotalTokens);
        Assert.Equal(1739000000UL, output.Created);
        // "object" is not in the spec: kept, and written back.
        Assert.Equal("chat.completion", output.AdditionalProperties!["object"].GetString());
        Assert.Contains("\"object\":\"chat.completion\"", Write(output));

        var chunk = Read<ChatCompletionStreamOutput>("""{"id":"x","created":1,"model":"m","system_fingerprint":"","choices":[{"index":0,"delta":{"role":"assistant","content":"Par"}}]}""");
        Assert.Equal("Par", chunk.Choices[0].Delta.Content);
    }

    [Fact]
    public void UnknownEnumValuesAreKeptAndKnownOnesCompareEqual()
    {
        var parameters = Read<TextClassificationParameters>("""{"function_to_apply":"gelu_from_the_future"}""");
        Assert.Equal("gelu_from_the_future", parameters.FunctionToApply!.Value.Value);
        Assert.DoesNotContain(parameters.FunctionToApply!.Value, TextClassificationOutputTransform.KnownValues);
        Assert.Equal("""{"function_to_apply":"gelu_from_the_future"}""", Write(parameters));

        var known = Read<TextClassificationParameters>("""{"function_to_apply":"softmax"}""");
        Assert.True(known.FunctionToApply == TextClassificationOutputTransform.Softmax);
        Assert.True(known.FunctionToApply == "softmax");
        Assert.False(known.FunctionToApply == "Softmax");
        Assert.Throws<ArgumentNullException>(() => new TextClassificationOutputTransform(null!));
    }

    [Fact]
    public void UnionsTellWhatTheyHoldAndRejectOtherJsonKinds()
    {
        var text = Read<FeatureExtractionInput>("""{"inputs":"hello"}""").Inputs;
        Assert.True(text.IsString);
        Assert.Equal("hello", text.AsString());
        Assert.False(text.TryGetArray(out _));
        var error = Assert.Throws<InvalidOperationException>(() => text.AsArray());
        Assert.Contains("holds a string, not an array", error.Message);

        var batch = Read<FeatureExtractionInput>("""{"inputs":["a","b"]}""").Inputs;
        Assert.True(batch.TryGetArray(out var items));
        Assert.Equal(new[] { "a", "b" }, items);

        var wrong = Assert.Throws<JsonException>(() => Read<FeatureExtractionInput>("""{"inputs":42}"""));
        Assert.Contains("FeatureExtractionInputs expects a string or an array, not Number", wrong.Message);
    }

    [Fact]
    public void BooleanOrStringEnumUnionRoundTrips()
    {
        var never = Read<GenerationParameters>("""{"early_stopping":"never"}""");
        Assert.True(never.EarlyStopping!.IsString);
        Assert.Equal(GenerationParametersEarlyStoppingEnum.Never, never.EarlyStopping.AsString());

        var yes = Read<GenerationParameters>("""{"early_stopping":true}""");
        Assert.True(yes.EarlyStopping!.AsBoolean());
        Assert.Equal("""{"early_stopping":true}""", Write(yes));

        GenerationParameters built = new() { EarlyStopping = false };
        Assert.Equal("""{"early_stopping":false}""", Write(built));
    }

    [Fact]
    public void ToolChoiceTakesAModeOrAFunction()
    {
        var function = new ChatCompletionInputToolChoiceClass { Function = new ChatCompletionInputFunctionName { Name = "get_weather" } };
        Assert.Equal("""{"function":{"name":"get_weather"}}""", Write<ChatCompletionInputToolChoice>(function));
        Assert.Equal("\"required\"", Write<ChatCompletionInputToolChoice>(ChatCompletionInputToolChoiceEnum.Required));
        Assert.Equal("get_weather", Read<ChatCompletionInputToolChoice>("""{"function":{"name":"get_weather"}}""").AsObject().Function.Name);
    }

    [Fact]
    public void RequiredMembersMissingFromAnAnswerStayMissing()
    {
        // TGI streams before 2.x had no "index"; the spec calls it required.
        const string Event = """{"token":{"id":1,"text":"a","logprob":-0.5,"special":false},"generated_text":null}""";
        var value = Read<TextGenerationStreamOutput>(Event);
        Assert.Equal(0, value.Index);
        Assert.DoesNotContain("index", Write(value));

        var built = new TextGenerationStreamOutput { Index = 0, Token = value.Token };
        Assert.Contains("\"index\":0", Write(built));
    }

    [Fact]
    public void SeedsUseTheWholeUnsignedRange()
    {
        var details = Read<TextGenerationOutputDetails>("""{"finish_reason":"length","generated_tokens":1,"seed":18435558523380366744,"prefill":[],"tokens":[]}""");
        Assert.Equal(18435558523380366744UL, details.Seed);
        Assert.Contains("18435558523380366744", Write(details));
    }

    [Fact]
    public void Base64DataKeepsTheWireTextAndDecodesOnDemand()
    {
        var output = Read<AudioToAudioOutput>("""[{"label":"speech","content-type":"audio/flac","blob":"AAEC"}]""");
        Assert.Equal(new byte[] { 0, 1, 2 }, output[0].Blob.ToArray());
        Assert.Equal("audio/flac", output[0].ContentType);

        var invalid = Read<AudioToAudioOutput>("""[{"label":"x","blob":"not base64!"}]""");
        Assert.Equal("""[{"label":"x","blob":"not base64!"}]""", Write(invalid));
        Assert.Throws<FormatException>(() => invalid[0].Blob.Bytes);

        var built = new ImageClassificationInput { Inputs = new byte[] { 0xff, 0xd8 } };
        Assert.Equal("""{"inputs":"/9g="}""", Write(built));
    }

    [Theory]
    [InlineData("[0.5,1,2]", new[] { 3 })]
    [InlineData("[[0.5,1],[2,3]]", new[] { 2, 2 })]
    [InlineData("[[[1,2,3],[4,5,6]]]", new[] { 1, 2, 3 })]
    [InlineData("[]", new[] { 0 })]
    public void TensorsTakeAnyRank(string json, int[] shape)
    {
        var tensor = Read<FeatureExtractionOutput>(json);
        Assert.Equal(shape, tensor.Shape);
        Assert.False(tensor.IsRagged);
        Assert.Equal(json, Write(tensor));
    }

    [Fact]
    public void RaggedTensorsKeepTheirNesting()
    {
        const string Json = "[[[1,2],[3,4],[5,6]],[[7,8]]]";
        var tensor = Read<FeatureExtractionOutput>(Json);
        Assert.True(tensor.IsRagged);
        Assert.Equal(new[] { 2, -1, 2 }, tensor.Shape);
        Assert.Equal(new[] { 7.0, 8.0 }, tensor.Vector(1, 0).ToArray());
        Assert.Equal(new[] { 5.0, 6.0 }, tensor.Vector(0, 2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => tensor.Vector(1, 1).ToArray());
        Assert.Equal(Json, Write(tensor));

        var dense = Read<FeatureExtractionOutput>("[[1,2],[3,4]]");
        Assert.Equal(new[] { 3.0, 4.0 }, dense.Vector(1).ToArray());
        Assert.Throws<ArgumentException>(() => dense.Vector(0, 0).ToArray());
    }

    [Theory]
    [InlineData("[1,[2]]")]
    [InlineData("[[1],2]")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"data\":[]}")]
    public void TensorsRejectWhatIsNotNestedNumbers(string json) =>
        Assert.Throws<JsonException>(() => Read<FeatureExtractionOutput>(json));

    [Fact]
    public void TablesAreDictionariesOfColumns()
    {
        var input = new TabularClassificationInput
        {
            Table = new TabularClassificationTable(new Dictionary<string, IReadOnlyList<string>> { ["fixed_acidity"] = ["7.4", "7.8"] }),
        };
        Assert.Equal("""{"table":{"fixed_acidity":["7.4","7.8"]}}""", Write(input));
        var read = Read<TabularClassificationInput>("""{"inputs":{"data":{"a":["1"]}}}""");
        Assert.Equal("1", read.Inputs!.Data["a"][0]);
    }

    [Fact]
    public void ArrayOutputsAreReadOnlyLists()
    {
        var output = Read<TextClassificationOutput>("""[{"label":"POSITIVE","score":0.99},{"label":"NEGATIVE","score":0.01}]""");
        IReadOnlyList<TextClassificationOutputElement> list = output;
        Assert.Equal(2, list.Count);
        Assert.Equal("POSITIVE", output.OrderByDescending(c => c.Score).First().Label);
        Assert.Throws<JsonException>(() => Read<TextClassificationOutput>("""{"label":"x","score":1}"""));

        var scores = Read<SentenceSimilarityOutput>("[0.5,0.25]");
        double first = scores[0];
        Assert.Equal(0.5, first);
    }
}
