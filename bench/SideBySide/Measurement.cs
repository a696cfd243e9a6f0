using System.Diagnostics;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>What one client's run of a workload produced; <see cref="Check"/> must agree across clients.</summary>
internal sealed record RunResult(int Count, string Check, double FirstMs = -1, double[]? LatenciesMs = null);

/// <summary>One measured run. Allocated bytes are null where the runtime has no such counter (Node).</summary>
internal sealed record Sample(double WallMs, double CpuMs, long? AllocatedBytes, RunResult Result)
{
    /// <summary>Garbage collections during the run (gen0, gen1, gen2); null outside .NET.</summary>
    public (int Gen0, int Gen1, int Gen2)? Collections { get; init; }
}

internal static class Measurement
{
    /// <summary>
    /// Runs <paramref name="run"/> once and measures it in this process. The server is another process,
    /// so process CPU time and <see cref="GC.GetTotalAllocatedBytes"/> count the client alone (plus
    /// the runtime's own threads, the same for every .NET client).
    /// </summary>
    public static async Task<Sample> MeasureAsync(Func<Task<RunResult>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        var wall = Stopwatch.GetElapsedTime(started);
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
        return new Sample(wall.TotalMilliseconds, (cpuAfter - cpu).TotalMilliseconds, allocatedAfter - allocated, result)
        {
            Collections = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2),
        };
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        // Nearest rank: the value at or below which the given share of the runs fall.
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
