using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// <see cref="InferenceClientOptions.MaxEventBytes"/>: one stream event larger than the limit stops
/// the stream before the parser holds it (issue 16: a 300 MB event peaked at 1.4 GB), whatever line
/// endings the server uses and however its bytes are split across reads.
/// </summary>
public class EventSizeLimitTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly ChatCompletionInputMessage Question = new() { Role = "user", Content = "What is the capital of France?" };

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void AnEventAtTheLimitPassesAndOneByteMoreStopsTheStream(string newline)
    {
        // Each event's bytes run from the blank line before it to the blank line ending it.
        var small = "data: " + new string('a', 20) + newline + newline;
        var limit = Encoding.UTF8.GetByteCount(small);
        var fits = string.Concat(Enumerable.Repeat(small, 50));
        Assert.Equal(50, Count(fits, limit));

        var tooBig = fits + "data: " + new string('a', 21) + newline + newline + small;
        var error = Assert.Throws<InvalidDataException>(() => Count(tooBig, limit));
        Assert.Contains("MaxEventBytes (" + limit + " bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyLinesWithoutABlankLineAreOneEvent()
    {
        var lines = string.Concat(Enumerable.Repeat("data: x\n", 100)) + "\n";
        Assert.Throws<InvalidDataException>(() => Count(lines, 400));
        Assert.Equal(1, Count(lines, 900));
    }

    [Fact]
    public async Task TheClientsLimitStopsAStreamFromTheServer()
    {
        using var tight = fixture.Client(options => options.MaxEventBytes = 64);
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in tight.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
            {
            }
        });
        Assert.Throws<InvalidDataException>(() => tight.ChatCompletionStream([Question], cancellationToken: Ct).ToList());

        using var roomy = fixture.Client(options => options.MaxEventBytes = 4096);
        var text = new StringBuilder();
        await foreach (var chunk in roomy.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
        {
            text.Append(chunk.Choices[0].Delta.Content);
        }

        Assert.Equal("The capital of France is Paris.", text.ToString());
        Assert.Equal(16L * 1024 * 1024, new InferenceClientOptions().MaxEventBytes);
        Assert.Throws<ArgumentOutOfRangeException>("MaxEventBytes", () => fixture.Client(options => options.MaxEventBytes = 0));
    }

    [Fact]
    public void EveryLineEndingAndSplitStopsAtTheSameReadAsTheByteByByteRules()
    {
        // Reads far from the limit skip the per-line count (only the last empty line matters); this
        // holds the shortcut to the rules applied byte by byte, on random CR/LF mixes, limits and splits.
        var random = new Random(15);
        for (var run = 0; run < 3000; run++)
        {
            var bytes = new byte[random.Next(0, 120)];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (random.Next(4)) switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)'a' };
            }

            var limit = random.Next(1, 40);
            var reads = new int[64];
            for (var i = 0; i < reads.Length; i++)
            {
                reads[i] = random.Next(1, 30);
            }

            Assert.Equal(Expected(bytes, reads, limit), Delivered(bytes, reads, limit));
        }
    }

    /// <summary>How many bytes pass before the stream stops (or all of them): the rules, one byte at a time.</summary>
    private static int Expected(byte[] bytes, int[] reads, long limit)
    {
        long eventBytes = 0;
        bool atLineStart = true, afterCarriageReturn = false;
        int position = 0, read = 0;
        while (position < bytes.Length)
        {
            // A read that sees the limit passed fails whole: the bytes before it are what passed.
            var start = position;
            var end = Math.Min(bytes.Length, position + reads[read++ % reads.Length]);
            for (; position < end; position++)
            {
                var b = bytes[position];
                if (afterCarriageReturn)
                {
                    afterCarriageReturn = false;
                    if (b == '\n')
                    {
                        eventBytes++;
                        continue;
                    }
                }

                eventBytes++;
                if (b is (byte)'\r' or (byte)'\n')
                {
                    if (eventBytes > limit)
                    {
                        return start;
                    }

                    eventBytes = atLineStart ? 0 : eventBytes;
                    atLineStart = true;
                    afterCarriageReturn = b == '\r';
                }
                else
                {
                    atLineStart = false;
                }
            }

            if (eventBytes > limit)
            {
                return start;
            }
        }

        return bytes.Length;
    }

    /// <summary>How many bytes <see cref="EventSizeLimitedStream"/> passes, its reads split as <paramref name="reads"/> says.</summary>
    private static int Delivered(byte[] bytes, int[] reads, long limit)
    {
        using var limited = new EventSizeLimitedStream(new SplitStream(bytes, reads), limit);
        var buffer = new byte[256];
        var total = 0;
        try
        {
            int read;
            while ((read = limited.Read(buffer)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
        }

        return total;
    }

    private sealed class SplitStream(byte[] bytes, int[] reads) : MemoryStream(bytes)
    {
        private int _read;

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(reads[_read++ % reads.Length], buffer.Length)]);
    }

    /// <summary>The events read through the limit, the bytes arriving one at a time.</summary>
    private static int Count(string sse, long limit)
    {
        using var limited = new EventSizeLimitedStream(new OneByteStream(Encoding.UTF8.GetBytes(sse)), limit);
        return System.Net.ServerSentEvents.SseParser.Create(limited).Enumerate().Count();
    }

    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
    }
}
