using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Load through one client: everything succeeds, connections stay bounded, memory stays flat. Runs alone.</summary>
[Collection(nameof(LoadCollection))]
public class LoadTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AThousandConcurrentCallsSucceedOnBoundedConnections()
    {
        using var client = fixture.Client(o => o.MaxConnectionsPerServer = 16);
        var before = fixture.Server.ConnectionCount;
        var watch = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => client.TextClassificationAsync(i % 2 == 0 ? "I like it" : "not good", cancellationToken: TestContext.Current.CancellationToken)));

        Assert.Equal(1000, results.Length);
        Assert.Equal(500, results.Count(r => r[0].Label == "POSITIVE"));
        var connections = fixture.Server.ConnectionCount - before;
        output.WriteLine($"load: 1000 concurrent calls in {watch.Elapsed.TotalSeconds:F2} s on {connections} connections (cap 16)");
        Assert.InRange(connections, 1, 16);
    }

    [Fact]
    public async Task ManySequentialCallsLeaveTheHeapFlat()
    {
        const int Calls = 100_000;
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        var ct = TestContext.Current.CancellationToken;

        // Warm up, then measure the heap after a full collection before and after the run.
        for (var i = 0; i < 1_000; i++)
        {
            await client.TextClassificationAsync("warm up", cancellationToken: ct);
        }

        fixture.Server.ClearRequests();
        var before = SettledHeap();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Calls; i++)
        {
            await client.TextClassificationAsync("I like it", cancellationToken: ct);
            if (i % 10_000 == 0)
            {
                // The server keeps every request it received; the client's heap is what is measured.
                fixture.Server.ClearRequests();
            }
        }

        fixture.Server.ClearRequests();
        var after = SettledHeap();
        var growth = after - before;
        output.WriteLine($"heap: {Calls} sequential calls in {watch.Elapsed.TotalSeconds:F1} s, managed heap {before / 1024} KiB before, {after / 1024} KiB after ({growth / 1024:+#;-#;0} KiB)");
        Assert.True(growth < 4 * 1024 * 1024, $"the heap grew by {growth / 1024} KiB over {Calls} calls");
    }

    [Fact]
    public async Task AnswersLargerThanTheCapFailCleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client(o => o.MaxResponseBytes = 1_000);
        var big = "[[" + string.Join(",", Enumerable.Repeat("{\"label\":\"POSITIVE\",\"score\":0.5}", 100)) + "]]";

        fixture.Server.Enqueue(new ScriptedResponse { Body = big });
        var declared = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.Contains("MaxResponseBytes (1000 bytes)", declared.ServerMessage);

        // Within the cap, the same client reads normally.
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("x", cancellationToken: ct))[0].Label);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public class LoadCollection;
