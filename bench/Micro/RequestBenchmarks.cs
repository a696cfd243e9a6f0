using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// Building and serializing a chat request, and the generated converters for a union (message
/// content as a string or as chunks) and an extensible enum, in both directions.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private static readonly byte[] StringMessage = """{"role":"user","content":"What is the capital of France?"}"""u8.ToArray();
    private static readonly byte[] ChunkMessage = """{"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}"""u8.ToArray();
    private static readonly byte[] Transform = "\"softmax\""u8.ToArray();

    [Benchmark(Description = "chat request: build + serialize")]
    public int ChatRequest()
    {
        var request = new ChatCompletionInput
        {
            Model = "meta-llama/Llama-3.1-8B-Instruct",
            Messages =
            [
                new ChatCompletionInputMessage { Role = "system", Content = "You are a helpful assistant." },
                new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" },
            ],
            MaxTokens = 64,
            Temperature = 0.2,
            Stream = true,
        };
        return JsonSerializer.SerializeToUtf8Bytes(request, InferenceJson.Options).Length;
    }

    [Benchmark(Description = "union: message with string content")]
    public ChatCompletionInputMessage UnionString() => JsonSerializer.Deserialize<ChatCompletionInputMessage>(StringMessage, InferenceJson.Options)!;

    [Benchmark(Description = "union: message with chunk content")]
    public ChatCompletionInputMessage UnionChunks() => JsonSerializer.Deserialize<ChatCompletionInputMessage>(ChunkMessage, InferenceJson.Options)!;

    [Benchmark(Description = "extensible enum: read")]
    public TextClassificationOutputTransform EnumRead() => JsonSerializer.Deserialize<TextClassificationOutputTransform>(Transform, InferenceJson.Options);

    [Benchmark(Description = "extensible enum: write")]
    public int EnumWrite() => JsonSerializer.SerializeToUtf8Bytes(TextClassificationOutputTransform.Softmax, InferenceJson.Options).Length;
}
