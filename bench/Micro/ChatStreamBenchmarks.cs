using System;
using System.IO;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading;
using BenchmarkDotNet.Attributes;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// A streamed chat answer read from memory, event by event: the client's own path
/// (<c>StreamEvents.Read</c>: BCL <see cref="SseParser"/>, each event typed straight from its UTF-8
/// bytes) against the floor (the same parser handing the bytes to a <see cref="Utf8JsonReader"/>
/// that only finds the token text) and against the string path it falls back to for unusual events.
/// </summary>
[MemoryDiagnoser]
public class ChatStreamBenchmarks
{
    [Params(1000)]
    public int Events { get; set; }

    private byte[] _stream = [];
    private int _expectedCharacters;

    [GlobalSetup]
    public void Setup()
    {
        _stream = Payloads.ChatStream(Events);
        for (var i = 0; i < Events; i++)
        {
            _expectedCharacters += " word".Length + i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        }
    }

    [Benchmark(Description = "ours: StreamEvents.Read")]
    public int Ours()
    {
        var characters = 0;
        foreach (var chunk in StreamEvents.Read<ChatCompletionStreamOutput>(new MemoryStream(_stream, writable: false), CancellationToken.None))
        {
            characters += chunk.Choices[0].Delta.Content?.Length ?? 0;
        }

        return Check(characters);
    }

    [Benchmark(Description = "a string per event (the fallback path)")]
    public int StringPerEvent()
    {
        var characters = 0;
        foreach (var item in SseParser.Create(new MemoryStream(_stream, writable: false)).Enumerate())
        {
            if (item.Data == StreamEvents.Done)
            {
                break;
            }

            foreach (var chunk in StreamEvents.ParseAll<ChatCompletionStreamOutput>(item.Data))
            {
                characters += chunk.Choices[0].Delta.Content?.Length ?? 0;
            }
        }

        return Check(characters);
    }

    [Benchmark(Baseline = true, Description = "raw: SseParser + Utf8JsonReader")]
    public int Raw()
    {
        var characters = 0;
        var parser = SseParser.Create(new MemoryStream(_stream, writable: false), static (_, data) => data.SequenceEqual("[DONE]"u8) ? -1 : RawBaseline.ContentText(data)?.Length ?? 0);
        foreach (var item in parser.Enumerate())
        {
            if (item.Data < 0)
            {
                break;
            }

            characters += item.Data;
        }

        return Check(characters);
    }

    /// <summary>
    /// A split of ours' cost, for the instruction counter (<c>--stream-loop</c>): the same events typed by
    /// <see cref="StreamEvents.FromUtf8{T}(string, ReadOnlySpan{byte}, RepeatedValues?)"/> straight from
    /// <see cref="SseParser"/>, without the event-size guard and the iterator of <see cref="StreamEvents.Read{T}"/>,
    /// with or without the per-stream reuse of repeated values.
    /// </summary>
    public int Typed(bool reuse)
    {
        var characters = 0;
        var repeated = reuse ? new RepeatedValues() : null;
        var parser = SseParser.Create(new MemoryStream(_stream, writable: false), (type, data) => StreamEvents.FromUtf8<ChatCompletionStreamOutput>(type, data, repeated));
        foreach (var item in parser.Enumerate())
        {
            if (item.Data.IsDone)
            {
                break;
            }

            characters += item.Data.Single!.Choices[0].Delta.Content?.Length ?? 0;
        }

        return Check(characters);
    }

    /// <summary>
    /// A second floor: raw's parser reading <em>every</em> token of every event (raw stops at <c>content</c>)
    /// and the token text, building nothing else: what reading the whole event costs before any object.
    /// </summary>
    public int Walk()
    {
        var characters = 0;
        var parser = SseParser.Create(new MemoryStream(_stream, writable: false), static (_, data) =>
        {
            if (data.SequenceEqual("[DONE]"u8))
            {
                return -1;
            }

            var reader = new Utf8JsonReader(data);
            var length = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("content"u8) && reader.Read())
                {
                    length = reader.GetString()!.Length;
                }
            }

            return length;
        });
        foreach (var item in parser.Enumerate())
        {
            if (item.Data < 0)
            {
                break;
            }

            characters += item.Data;
        }

        return Check(characters);
    }

    // All paths must read the same text, or the comparison means nothing.
    private int Check(int characters) => characters == _expectedCharacters ? characters : throw new InvalidOperationException($"Read {characters} characters, expected {_expectedCharacters}.");
}
