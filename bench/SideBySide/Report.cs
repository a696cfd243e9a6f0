using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>The Markdown report: one table per workload (medians over the rounds) and the targets as measured ratios.</summary>
internal sealed class Report(HarnessOptions options, string command)
{
    private readonly StringBuilder _tables = new();
    private readonly List<string> _targets = [];

    public void ChatStream(IReadOnlyDictionary<string, List<Sample>> samples)
    {
        var events = options.Events;
        double Throughput(string name) => events / Median(samples[name], s => s.WallMs) * 1000;
        var ours = Throughput(Workloads.Ours);
        var raw = Median(samples[Workloads.Raw], s => s.WallMs);
        Section($"Chat stream, {events:N0} events", "Client | wall (median) | events/s | CPU | allocated per event | GCs gen0/1/2 | time to first token | wall ÷ raw | ours' events/s ÷ this");
        foreach (var (name, runs) in samples)
        {
            var wall = Median(runs, s => s.WallMs);
            var allocated = runs[0].AllocatedBytes == null ? "n/a (no counter in V8)" : $"{Median(runs, s => s.AllocatedBytes!.Value) / events:N0} B";
            Row(name, $"{wall:N1} ms", $"{Throughput(name):N0}", $"{Median(runs, s => s.CpuMs):N1} ms", allocated, Collections(runs), $"{Median(runs, s => s.Result.FirstMs):N2} ms", $"{wall / raw:F2}", $"{ours / Throughput(name):F2}");
        }

        var bestPeer = samples.Keys.Where(IsPeer).Select(n => (Name: n, Throughput: Throughput(n))).OrderByDescending(p => p.Throughput).FirstOrDefault();
        Target("chat stream: ≥ 2× the best peer's throughput", bestPeer.Name == null ? "no peer ran" : $"{ours / bestPeer.Throughput:F2}× {bestPeer.Name}", bestPeer.Name != null && ours / bestPeer.Throughput >= 2);
        var oursToRaw = Median(samples[Workloads.Ours], s => s.WallMs) / raw;
        Target("chat stream: within 1.2× of raw (wall)", $"{oursToRaw:F2}×", oursToRaw <= 1.2);
        var perEvent = Median(samples[Workloads.Ours], s => s.AllocatedBytes!.Value) / events;
        var rawPerEvent = Median(samples[Workloads.Raw], s => s.AllocatedBytes!.Value) / events;
        Target("chat stream: allocated per event (raw reads the token only)", $"{perEvent:N0} B (raw {rawPerEvent:N0} B)", null);
    }

    public void Embeddings(IReadOnlyDictionary<string, List<Sample>> samples)
    {
        var raw = Median(samples[Workloads.Raw], s => s.WallMs);
        Section($"Feature extraction, {options.Rows} × {options.Dimensions} floats (request, transfer and parse)", "Client | wall (median) | CPU | allocated | wall ÷ raw");
        foreach (var (name, runs) in samples)
        {
            var wall = Median(runs, s => s.WallMs);
            var allocated = runs[0].AllocatedBytes == null ? "n/a" : $"{Median(runs, s => s.AllocatedBytes!.Value) / 1e6:N2} MB";
            Row(name, $"{wall:N2} ms", $"{Median(runs, s => s.CpuMs):N1} ms", allocated, $"{wall / raw:F2}");
        }

        var ours = Median(samples[Workloads.Ours], s => s.WallMs) / raw;
        Target("embeddings: within 1.2× of raw", $"{ours:F2}×", ours <= 1.2);
    }

    public void SmallCalls(IReadOnlyDictionary<string, List<Sample>> samples)
    {
        double Rate(string name) => options.Calls / Median(samples[name], s => s.WallMs) * 1000;
        double Latency(string name, double percentile) => Measurement.Percentile(samples[name].SelectMany(s => s.Result.LatenciesMs!), percentile);
        var ours = Rate(Workloads.Ours);
        var rawP50 = Latency(Workloads.Raw, 50);
        Section($"Text classification, {options.Calls:N0} calls at concurrency {options.Concurrency}", "Client | requests/s (median) | p50 | p99 | p50 − raw p50 | CPU per call | allocated per call | ours' requests/s ÷ this");
        foreach (var (name, runs) in samples)
        {
            var allocated = runs[0].AllocatedBytes == null ? "n/a" : $"{Median(runs, s => s.AllocatedBytes!.Value) / options.Calls:N0} B";
            Row(name, $"{Rate(name):N0}", $"{Latency(name, 50):N3} ms", $"{Latency(name, 99):N3} ms", $"{(Latency(name, 50) - rawP50) * 1000:N0} µs", $"{Median(runs, s => s.CpuMs) / options.Calls * 1000:N1} µs", allocated, $"{ours / Rate(name):F2}");
        }

        var bestPeer = samples.Keys.Where(IsPeer).Select(n => (Name: n, Rate: Rate(n))).OrderByDescending(p => p.Rate).FirstOrDefault();
        Target("small calls: ≥ 2× the best peer's requests/s", bestPeer.Name == null ? "no peer ran" : $"{ours / bestPeer.Rate:F2}× {bestPeer.Name}", bestPeer.Name != null && ours / bestPeer.Rate >= 2);
        Target("small calls: within 1.2× of raw (requests/s)", $"{Rate(Workloads.Raw) / ours:F2}×", Rate(Workloads.Raw) / ours <= 1.2);
    }

    public void Uploads(IReadOnlyList<(int Megabytes, string Client, JsonObject Result)> uploads)
    {
        Section("Automatic-speech-recognition upload from disk: peak memory", "File | Client | resident before | peak rise during the upload | bytes the server received");
        foreach (var (megabytes, client, result) in uploads)
        {
            var received = result["received"]!.GetValue<long>();
            Row($"{megabytes} MB", client, $"{result["beforeBytes"]!.GetValue<long>() / 1048576.0:N1} MB", $"{result["addedBytes"]!.GetValue<long>() / 1048576.0:N1} MB", received == megabytes * 1048576L ? $"{received:N0} (all)" : $"{received:N0} (**short**)");
        }

        var ours = uploads.Where(u => u.Client == UploadWorkload.Describe("ours")).OrderByDescending(u => u.Megabytes).FirstOrDefault();
        if (ours.Result != null)
        {
            var added = ours.Result["addedBytes"]!.GetValue<long>() / 1048576.0;
            Target($"upload: a {ours.Megabytes} MB file adds < 20 MB", $"{added:N1} MB", added < 20);
        }
    }

    public void Generator(IReadOnlyList<string> rows)
    {
        Section("The generator in a build (`-p:ReportAnalyzer=true`)", "Measure | Value");
        foreach (var row in rows)
        {
            _tables.AppendLine(row);
        }
    }

    public void Skipped(string what, string reason) => _tables.AppendLine().AppendLine($"_{what} did not run: {reason}._");

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine($"# Side-by-side run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC").AppendLine();
        text.AppendLine($"Command: `{command}`").AppendLine();
        text.AppendLine($"Machine: {Machine()}; {options.Rounds} interleaved rounds after {options.WarmUps} warm-up rounds; medians.").AppendLine();
        text.AppendLine("## Targets").AppendLine();
        text.AppendLine("| Target | Measured | Met |").AppendLine("|---|---|---|");
        foreach (var target in _targets)
        {
            text.AppendLine(target);
        }

        return text.Append(_tables).ToString();
    }

    private static string Collections(List<Sample> runs) => runs[0].Collections == null
        ? "n/a"
        : $"{Median(runs, s => s.Collections!.Value.Gen0):N0}/{Median(runs, s => s.Collections!.Value.Gen1):N0}/{Median(runs, s => s.Collections!.Value.Gen2):N0}";

    private static bool IsPeer(string name) => name != Workloads.Ours && name != Workloads.Raw;

    private static double Median(List<Sample> runs, Func<Sample, double> value) => Measurement.Median(runs.Select(value));

    private void Section(string title, string header)
    {
        _tables.AppendLine().AppendLine("## " + title).AppendLine();
        _tables.AppendLine("| " + header + " |");
        _tables.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", header.Split('|').Length)));
    }

    private void Row(params string[] cells) => _tables.AppendLine("| " + string.Join(" | ", cells) + " |");

    private void Target(string target, string measured, bool? met) =>
        _targets.Add($"| {target} | {measured} | {(met switch { true => "yes", false => "**no**", null => "(stated)" })} |");

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture, $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }
}
