using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// <c>--alloc-profile</c>: which types ours allocates per small call beyond raw. The runtime reports
/// an allocation tick about every 100 KB with the type of the object that crossed it; over many
/// calls the ticks per type are proportional to its bytes (a sample, so types under ~1% are noise).
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private bool _on;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!_on || data.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || data.Payload == null)
        {
            return;
        }

        var type = data.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? data.Payload[t] as string ?? "?" : "?";
        var amount = data.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(data.Payload[a], CultureInfo.InvariantCulture) : 100_000;
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    public static async Task<string> RunAsync(Workloads workloads, int calls)
    {
        var text = new StringBuilder();
        foreach (var contender in workloads.SmallCalls().Where(c => c.Name is Workloads.Ours or Workloads.Raw).Append(workloads.SmallCallsFromHost()))
        {
            await contender.Run(); // warm
            using var profile = new AllocationProfile();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            profile._on = true;
            for (var i = 0; i < Math.Max(1, calls / 10_000); i++)
            {
                await contender.Run();
            }

            profile._on = false;
            var total = GC.GetTotalAllocatedBytes(precise: true) - before;
            var runs = Math.Max(1, calls / 10_000) * 10_000.0;
            text.AppendLine(CultureInfo.InvariantCulture, $"{contender.Name}: {total / runs:N0} B per call (exact); by type (sampled):");
            long sampled;
            lock (profile._bytes)
            {
                sampled = profile._bytes.Values.Sum();
                foreach (var (type, bytes) in profile._bytes.OrderByDescending(p => p.Value).Take(25))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {bytes * (total / (double)Math.Max(1, sampled)) / runs,8:N0} B  {type}");
                }
            }
        }

        return text.ToString();
    }
}
