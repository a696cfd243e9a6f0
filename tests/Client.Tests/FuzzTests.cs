using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Recorded answers, stream events and whole streams, mutated (truncation, bit flips, type swaps, deep
/// nesting, huge numbers, invalid UTF-8) with a fixed seed, fed through the client's parsers: the task
/// answer reader, the embeddings reader, and the stream reader (SSE framing, terminator, event parser). Only documented exceptions may come out
/// (<see cref="JsonException"/>, and <see cref="TextGenerationException"/> for error events).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int Mutations = 10_000;

    [Fact(Timeout = 300_000)]
    public async Task MutatedRecordedAnswersFailOnlyWithDocumentedExceptions()
    {
        await Task.Yield();
        var traffic = RecordedTraffic.Load();
        var answers = traffic
            .Where(e => e.Kind == "inference" && e.Status == 200 && !e.IsSse && e.ResponseBody != null && RecordedTraffic.IsJson(e.ResponseBody))
            .Select(e => (Parser: ParserFor(e.Task), Body: e.ResponseBody!))
            .Where(c => c.Parser != null)
            .ToList();
        var events = traffic
            .Where(e => e.IsSse && e.ResponseBody != null)
            .SelectMany(e => RecordedTraffic.SseData(e.ResponseBody!).Where(d => d != "[DONE]").Take(5)
                .Select(d => (Parser: (Func<byte[], object?>)(b => StreamEvents.FromUtf8<ChatCompletionStreamOutput>(string.Empty, b)), Body: d)))
            .ToList();
        // Whole recorded streams through the client's reading path: SSE framing, the terminator, the event parser.
        var streams = traffic
            .Where(e => e.IsSse && e.ResponseBody != null)
            .Select(e => (Parser: (Func<byte[], object?>)ReadStream, Body: e.ResponseBody!))
            .ToList();
        var corpus = answers.Concat(events).Concat(streams).ToList();
        Assert.NotEmpty(corpus);

        var random = new Random(Seed);
        var unexpected = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < Mutations; i++)
        {
            var (parser, body) = corpus[random.Next(corpus.Count)];
            var (kind, mutated) = Mutate(Encoding.UTF8.GetBytes(body), random);
            var watch = Stopwatch.StartNew();
            string outcome;
            try
            {
                parser!(mutated);
                outcome = "parsed";
            }
            catch (JsonException)
            {
                outcome = "JsonException";
            }
            catch (TextGenerationException)
            {
                outcome = "TextGenerationException";
            }
            catch (Exception exception)
            {
                outcome = exception.GetType().Name;
                unexpected.Add($"#{i} {kind}: {exception.GetType().Name}: {exception.Message} in {Convert.ToBase64String(mutated)[..Math.Min(120, Convert.ToBase64String(mutated).Length)]}");
            }

            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"fuzzing: {Mutations} mutations of {corpus.Count} recorded bodies, {streams.Count} of them whole streams (seed {Seed}): " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")) + $"; slowest {slowest.TotalMilliseconds:F1} ms; unexpected {unexpected.Count}");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(20)));
    }

    /// <summary>The client's reader for a task's answer: what InferenceClient runs on a 200.</summary>
    private static Func<byte[], object?>? ParserFor(string task)
    {
        if (task == "feature-extraction")
        {
            return bytes => Embeddings.Parse(bytes);
        }

        var type = SchemaTypes.ForTask(task, "Output");
        if (type == null)
        {
            return null;
        }

        var read = typeof(FuzzTests).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        return bytes =>
        {
            try
            {
                return read.Invoke(null, [bytes]);
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(invocation.InnerException);
                throw;
            }
        };
    }

    private static object? Read<T>(byte[] bytes) => ResponseShapes.Read<T>(bytes);

    private static object? ReadStream(byte[] body)
    {
        using var stream = new TerminatedStream(new System.IO.MemoryStream(body));
        return StreamEvents.Read<ChatCompletionStreamOutput>(stream, System.Threading.CancellationToken.None).ToList();
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] input, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return ("truncation", input[..random.Next(input.Length)]);
            case 1:
                var flipped = (byte[])input.Clone();
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ("bit flip", flipped);
            case 2:
                return ("type swap", Encoding.UTF8.GetBytes(SwapTypes(Encoding.UTF8.GetString(input), random)));
            case 3:
                var depth = 10 + random.Next(2000);
                return ("deep nesting", Encoding.UTF8.GetBytes(new string('[', depth) + Encoding.UTF8.GetString(input) + new string(']', depth)));
            case 4:
                return ("huge number", Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(input), @"(?<=[:\[,])\s*-?\d+(\.\d+)?", _ => random.Next(2) == 0 ? "1e999" : "123456789012345678901234567890", System.Text.RegularExpressions.RegexOptions.None)));
            default:
                return ("invalid UTF-8", [.. input.Take(input.Length / 2), 0xC3, 0x28, .. input.Skip(input.Length / 2)]);
        }
    }

    /// <summary>Replaces some JSON values with values of another kind: strings, numbers, booleans, arrays, objects, null.</summary>
    private static string SwapTypes(string json, Random random)
    {
        string[] replacements = ["\"x\"", "0", "-1", "true", "null", "[]", "{}", "[1,2]", "{\"a\":1}"];
        return System.Text.RegularExpressions.Regex.Replace(json, "(?<=:)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|true|false|null)", match =>
            random.Next(3) == 0 ? replacements[random.Next(replacements.Length)] : match.Value);
    }
}
