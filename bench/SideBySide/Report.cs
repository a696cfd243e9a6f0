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
        var raw = Median(samples[Workloads.Raw], s => s.WallMs);
        Section($"Chat stream, {events:N0} events", "Client | wall min / median / p90 | events/s (median) | CPU | allocated per event | GCs gen0/1/2 | time to first token | wall ÷ raw (median)");
        foreach (var (name, runs) in samples)
        {
            var wall = Median(runs, s => s.WallMs);
            var allocated = runs[0].AllocatedBytes == null ? "n/a (no counter in V8)" : $"{Median(runs, s => s.AllocatedBytes!.Value) / events:N0} B";
            Row(name, Spread(runs, s => s.WallMs, "ms", 1), $"{Throughput(name):N0}", $"{Median(runs, s => s.CpuMs):N1} ms", allocated, Collections(runs), $"{Median(runs, s => s.Result.FirstMs):N2} ms", $"{wall / raw:F2}");
        }

        AheadOfEveryPeer("chat stream: ahead of every peer in every round", samples);
        WithinOfRaw("chat stream: ≤ 1.2× raw (wall)", samples, 1.2);
        var perEvent = Median(samples[Workloads.Ours], s => s.AllocatedBytes!.Value) / events;
        var rawPerEvent = Median(samples[Workloads.Raw], s => s.AllocatedBytes!.Value) / events;
        Target("chat stream: ≤ 200 B allocated per event", $"{perEvent:N0} B (raw {rawPerEvent:N0} B; the typed event's own objects are 224 B + its token text)", perEvent <= 200);
    }

    public void Embeddings(IReadOnlyDictionary<string, List<Sample>> samples)
    {
        var raw = Median(samples[Workloads.Raw], s => s.WallMs);
        Section($"Feature extraction, {options.Rows} × {options.Dimensions} floats (request, transfer and parse)", "Client | wall min / median / p90 | CPU | allocated | wall ÷ raw (median)");
        foreach (var (name, runs) in samples)
        {
            var wall = Median(runs, s => s.WallMs);
            var allocated = runs[0].AllocatedBytes == null ? "n/a" : $"{Median(runs, s => s.AllocatedBytes!.Value) / 1e6:N2} MB";
            Row(name, Spread(runs, s => s.WallMs, "ms", 2), $"{Median(runs, s => s.CpuMs):N1} ms", allocated, $"{wall / raw:F2}");
        }

        AheadOfEveryPeer("embeddings: ahead of every peer in every round", samples);
        WithinOfRaw("embeddings: ≤ 1.1× raw (wall)", samples, 1.1);
    }

    public void SmallCalls(IReadOnlyDictionary<string, List<Sample>> samples)
    {
        double Rate(string name) => options.Calls / Median(samples[name], s => s.WallMs) * 1000;
        double Latency(string name, double percentile) => Measurement.Percentile(samples[name].SelectMany(s => s.Result.LatenciesMs!), percentile);
        var ours = Rate(Workloads.Ours);
        var rawP50 = Latency(Workloads.Raw, 50);
        Section($"Text classification, {options.Calls:N0} calls at concurrency {options.Concurrency}", "Client | wall min / median / p90 | requests/s (median) | p50 | p99 | p50 − raw p50 | CPU per call | allocated per call | ours' requests/s ÷ this");
        foreach (var (name, runs) in samples)
        {
            var allocated = runs[0].AllocatedBytes == null ? "n/a" : $"{Median(runs, s => s.AllocatedBytes!.Value) / options.Calls:N0} B";
            Row(name, Spread(runs, s => s.WallMs, "ms", 0), $"{Rate(name):N0}", $"{Latency(name, 50):N3} ms", $"{Latency(name, 99):N3} ms", $"{(Latency(name, 50) - rawP50) * 1000:N0} µs", $"{Median(runs, s => s.CpuMs) / options.Calls * 1000:N1} µs", allocated, $"{ours / Rate(name):F2}");
        }

        AheadOfEveryPeer("small calls: ahead of every peer in every round", samples);
        WithinOfRaw($"small calls: ≤ 1.15× raw at concurrency {options.Concurrency} (wall of the same calls)", samples, 1.15);
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
        text.AppendLine($"Machine: {Machine()}, load average {LoadAverage()} at the start; {options.Rounds} interleaved rounds (order rotated) after {options.WarmUps} warm-up rounds. A verdict counts the rounds: each round runs every client once, so ours is compared with raw and with each peer in the same round.").AppendLine();
        if (options.Quick)
        {
            text.AppendLine("_Smoke run (`--quick`): sizes and rounds too small for any figure or verdict to mean anything; it checks that every client reads the same result._").AppendLine();
        }
        text.AppendLine("## Targets").AppendLine();
        text.AppendLine("| Target | Measured | Met |").AppendLine("|---|---|---|");
        foreach (var target in _targets)
        {
            text.AppendLine(target);
        }

        return text.Append(_tables).ToString();
    }

    /// <summary>A "yes" only when ours was faster than every peer in every round; the count per peer says how close.</summary>
    private void AheadOfEveryPeer(string target, IReadOnlyDictionary<string, List<Sample>> samples)
    {
        var ours = samples[Workloads.Ours];
        var peers = samples.Keys.Where(IsPeer).ToList();
        if (peers.Count == 0)
        {
            Target(target, "no peer ran", null);
            return;
        }

        var counts = peers.Select(peer => (Peer: peer, Ahead: ours.Zip(samples[peer]).Count(pair => pair.First.WallMs < pair.Second.WallMs))).ToList();
        var measured = string.Join("; ", counts.Select(c => $"ahead of {c.Peer} in {c.Ahead}/{ours.Count} rounds (median wall ratio {Measurement.Median(ours.Zip(samples[c.Peer]).Select(p => p.First.WallMs / p.Second.WallMs)):F2})"));
        Target(target, measured, counts.All(c => c.Ahead == ours.Count));
    }

    /// <summary>Ours ÷ raw per round (same round, so the same load): "yes" only when every round is within the bound.</summary>
    private void WithinOfRaw(string target, IReadOnlyDictionary<string, List<Sample>> samples, double bound)
    {
        var ratios = samples[Workloads.Ours].Zip(samples[Workloads.Raw]).Select(pair => pair.First.WallMs / pair.Second.WallMs).ToList();
        var within = ratios.Count(r => r <= bound);
        // CPU time is steadier than wall on a loaded machine (it does not count waiting for a core).
        var cpu = samples[Workloads.Ours].Zip(samples[Workloads.Raw]).Select(pair => pair.First.CpuMs / pair.Second.CpuMs).ToList();
        Target(target, $"within in {within}/{ratios.Count} rounds; wall ratio min {ratios.Min():F2} / median {Measurement.Median(ratios):F2} / p90 {Measurement.Percentile(ratios, 90):F2}; CPU ratio median {Measurement.Median(cpu):F2}", within == ratios.Count);
    }

    private static string Spread(List<Sample> runs, Func<Sample, double> value, string unit, int decimals)
    {
        var values = runs.Select(value).ToList();
        string Format(double v) => v.ToString("N" + decimals, CultureInfo.InvariantCulture);
        return $"{Format(values.Min())} / {Format(Measurement.Median(values))} / {Format(Measurement.Percentile(values, 90))} {unit}";
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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
