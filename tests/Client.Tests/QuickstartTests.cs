using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The README's first command, <c>dotnet run --project samples/Quickstart</c>, runs offline and every task
/// of it answers: the built demo is run in a child process, as a newcomer would run it.
/// </summary>
public class QuickstartTests(ITestOutputHelper output)
{
    [Fact]
    public void TheOfflineDemoRunsEveryTaskWithoutAFailure()
    {
        // The demo is built beside this assembly's configuration (bin/{Configuration}/net10.0).
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var demo = Path.Combine(RepoPaths.Root, "samples", "Quickstart", "bin", here.Parent!.Name, here.Name, "Quickstart.dll");
        Assert.True(File.Exists(demo), demo + " was not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(demo);
        start.Environment.Remove("HF_TOKEN");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the demo did not finish in 3 minutes");
        output.WriteLine(stdout.Result);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr.Result}");
        var lines = stdout.Result.Split('\n');
        Assert.DoesNotContain(lines, l => l.Contains(" failed: ", StringComparison.Ordinal));
        // What a terminal shows of a line is what follows its last carriage return.
        Assert.Contains(lines, l => l.Split('\r')[^1].StartsWith("text to video (fal-ai)", StringComparison.Ordinal) && l.Contains("video/mp4", StringComparison.Ordinal));

        // The job's one-line progress display: each report written over the last with a carriage return.
        var progress = lines.Single(l => l.Contains("video/mp4", StringComparison.Ordinal)).Split('\r');
        Assert.Contains(progress, p => p.StartsWith("text to video (fal-ai)     queued (queue position 1), ", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.StartsWith("text to video (fal-ai)     running, ", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.StartsWith("text to video (fal-ai)     completed, ", StringComparison.Ordinal) && p.Contains(", 4 polls", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("chat, streamed token by token: The capital of France is Paris.", StringComparison.Ordinal));
    }
}
