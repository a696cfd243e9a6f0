using System;
using System.Globalization;
using System.IO;
using System.Net.ServerSentEvents;
using System.Threading;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// Bytes allocated per stream event and per parse, counted (<see cref="GC.GetAllocatedBytesForCurrentThread"/>),
/// not timed: the same on a loaded machine as on an idle one, so a change can be judged by it
/// when timings are noise. <c>dotnet run -c Release --project bench/Micro -- --allocations</c>.
/// </summary>
public static class AllocationCounts
{
    public static void Run(TextWriter output)
    {
        const int Events = 20_000;
        var stream = Payloads.ChatStream(Events);
        var ours = PerEvent(Events, () =>
        {
            var characters = 0;
            foreach (var chunk in StreamEvents.Read<ChatCompletionStreamOutput>(new MemoryStream(stream, writable: false), CancellationToken.None))
            {
                characters += chunk.Choices[0].Delta.Content!.Length;
            }

            return characters;
        });
        var raw = PerEvent(Events, () =>
        {
            var characters = 0;
            var parser = SseParser.Create(new MemoryStream(stream, writable: false), static (_, data) => data.SequenceEqual("[DONE]"u8) ? -1 : RawBaseline.ContentText(data)?.Length ?? 0);
            foreach (var item in parser.Enumerate())
            {
                if (item.Data < 0)
                {
                    break;
                }

                characters += item.Data;
            }

            return characters;
        });
        var embeddings = Payloads.Embeddings(256, 1024);
        var oursEmbeddings = Once(() => Embeddings.Parse(embeddings).Values.Length);
        var rawEmbeddings = Once(() => RawBaseline.Embeddings(embeddings).Length);

        output.WriteLine("| Path | Allocated |");
        output.WriteLine("|---|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| chat stream, ours (`StreamEvents.Read`, {Events:N0} events) | {ours:N1} B per event |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| chat stream, raw (`SseParser` + `Utf8JsonReader`, token text only) | {raw:N1} B per event |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| embeddings 256 × 1,024, ours (`Embeddings.Parse`) | {oursEmbeddings:N0} B |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| embeddings 256 × 1,024, raw (`float[][]`) | {rawEmbeddings:N0} B |"));
    }

    /// <summary>Bytes per event of the third run (the first two warm the JIT's tiers and the pools).</summary>
    private static double PerEvent(int events, Func<int> read)
    {
        read();
        read();
        var before = GC.GetAllocatedBytesForCurrentThread();
        read();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)events;
    }

    private static long Once(Func<int> parse)
    {
        parse();
        parse();
        var before = GC.GetAllocatedBytesForCurrentThread();
        parse();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
