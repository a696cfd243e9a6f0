using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// The generator's cost inside a real build, read from the compiler's own report
/// (<c>-p:ReportAnalyzer=true</c>), and the incremental-caching tests run as the proof that an
/// unrelated edit re-runs no step.
/// </summary>
internal static partial class GeneratorWorkload
{
    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        var root = RepositoryRoot();
        var lines = new List<string>();

        var build = await DotnetAsync(root, "build", "src/Client/Client.csproj", "-c", "Release", "--no-incremental", "-p:ReportAnalyzer=true", "-v:detailed", "-clp:PerformanceSummary");
        var ours = OurGenerator().Match(build.Output);
        var allGenerators = TotalGenerators().Matches(build.Output).Select(m => Seconds(m.Groups[1].Value)).DefaultIfEmpty(double.NaN).Max();
        var csc = CscTask().Match(build.Output);
        var cscSeconds = csc.Success ? double.Parse(csc.Groups[1].Value, CultureInfo.InvariantCulture) / 1000 : double.NaN;
        lines.Add($"| cold build of src/Client (`--no-incremental`), wall | {build.Elapsed.TotalSeconds:F1} s |");
        lines.Add($"| `Csc` task, both compilations (generator project + client) | {cscSeconds:F2} s |");
        lines.Add($"| all source generators in the client's compilation | {allGenerators:F2} s |");
        lines.Add(ours.Success
            ? $"| HuggingFace.Inference.Generator | **{Seconds(ours.Groups[1].Value):F2} s** ({Seconds(ours.Groups[1].Value) / cscSeconds:P0} of `Csc`) |"
            : "| HuggingFace.Inference.Generator | not found in the compiler's report |");

        var test = await DotnetAsync(root, "test", "tests/Generator.Tests/Generator.Tests.csproj", "-c", "Release", "--filter", "FullyQualifiedName~IncrementalTests|FullyQualifiedName~AnUnrelatedEdit");
        var summary = TestSummary().Match(test.Output);
        lines.Add(summary.Success
            ? $"| unrelated edit re-runs nothing (`IncrementalTests` and the bring-your-own-schema caching test) | {summary.Value.Trim()} |"
            : $"| unrelated edit re-runs nothing | tests did not report (exit {test.ExitCode}) |");
        return lines;
    }

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Generated.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Generated.sln not found above " + AppContext.BaseDirectory + "; run the harness from the repository.");
    }

    private static async Task<(string Output, int ExitCode, TimeSpan Elapsed)> DotnetAsync(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output + await error, process.ExitCode, Stopwatch.GetElapsedTime(started));
    }

    [GeneratedRegex(@"^\s*([0-9.]+)\s+\d+\s+HuggingFace\.Inference\.Generator\.SpecGenerator\s*$", RegexOptions.Multiline)]
    private static partial Regex OurGenerator();

    [GeneratedRegex(@"Total generator execution time: ([0-9.]+) seconds")]
    private static partial Regex TotalGenerators();

    [GeneratedRegex(@"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline)]
    private static partial Regex CscTask();

    [GeneratedRegex(@"(Passed|Failed)!\s+-\s+Failed:\s+\d+,\s+Passed:\s+\d+,\s+Skipped:\s+\d+,\s+Total:\s+\d+")]
    private static partial Regex TestSummary();
}
