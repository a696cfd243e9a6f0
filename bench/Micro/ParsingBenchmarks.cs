using System;
using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// Whole answers into the generated types, each against a raw <see cref="Utf8JsonReader"/> that
/// does the least a caller could: the chat answer's text, and the embeddings as float arrays.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ParsingBenchmarks
{
    private byte[] _chat = [];
    private byte[] _embeddings = [];

    [GlobalSetup]
    public void Setup()
    {
        _chat = Payloads.ChatCompletion();
        _embeddings = Payloads.Embeddings(256, 1024);
    }

    [Benchmark(Description = "chat answer: ours (generated readers)")]
    [BenchmarkCategory("chat")]
    public string? ChatOurs() => ResponseShapes.Read<ChatCompletionOutput>(_chat).Choices[0].Message.Content;

    [Benchmark(Description = "chat answer: the serializer's reflection path")]
    [BenchmarkCategory("chat")]
    public string? ChatReflection() => JsonSerializer.Deserialize<ChatCompletionOutput>(_chat, InferenceJson.Options)!.Choices[0].Message.Content;

    [Benchmark(Baseline = true, Description = "chat answer: raw")]
    [BenchmarkCategory("chat")]
    public string? ChatRaw() => RawBaseline.ContentText(_chat);

    [Benchmark(Description = "embeddings 256x1024: ours (Embeddings, float32)")]
    [BenchmarkCategory("embeddings")]
    public int EmbeddingsOurs() => Embeddings.Parse(_embeddings).Values.Length;

    [Benchmark(Description = "embeddings 256x1024: FeatureExtractionOutput (tensor of double)")]
    [BenchmarkCategory("embeddings")]
    public int EmbeddingsTensor() => ResponseShapes.Read<FeatureExtractionOutput>(_embeddings).Values.Length;

    [Benchmark(Baseline = true, Description = "embeddings 256x1024: raw (float[][])")]
    [BenchmarkCategory("embeddings")]
    public int EmbeddingsRaw()
    {
        var count = 0;
        foreach (var row in RawBaseline.Embeddings(_embeddings))
        {
            count += row.Length;
        }

        return count;
    }
}
