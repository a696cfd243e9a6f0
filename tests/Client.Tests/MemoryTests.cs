using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Memory stays bounded by <see cref="InferenceClientOptions.MaxResponseBytes"/> plus a small constant
/// whatever a server sends: each call runs in a child process (tests/MemoryProbe) whose peak working
/// set is the client's alone; the hostile server runs here. The cap is 64 MiB so that the runs stay
/// short; the bound is the cap + 64 MiB, the runtime's own baseline included.
/// </summary>
public class MemoryTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const long Cap = 64L * 1024 * 1024;
    private const long Bound = Cap + (64L * 1024 * 1024);

    [Fact]
    public async Task A300MbAnswerPeaksUnderTheCapPlus64Mb()
    {
        fixture.Server.Enqueue(HostileAnswers.Endless(300_000_000));
        await AssertBoundedAsync("a 300 MB answer", "answer", fixture.Server.EndpointUrl("text-to-image"));
    }

    [Fact]
    public async Task AGzipBombPeaksUnderTheCapPlus64Mb()
    {
        fixture.Server.Enqueue(HostileAnswers.GzipBomb(1L << 30));
        await AssertBoundedAsync("a gzip bomb (1 GiB inflated)", "answer", fixture.Server.EndpointUrl("text-to-image"));
    }

    [Fact]
    public async Task AnInputDownloadRedirectedToA2GibBodyPeaksUnderTheCapPlus64Mb()
    {
        fixture.Server.Enqueue(ScriptedResponse.Redirect(fixture.Server.FileUrl("huge.png"), 302), HostileAnswers.Endless(2L << 30, "image/png"));
        await AssertBoundedAsync("a download redirected to 2 GiB", "download", fixture.Server.FileUrl("cat.png"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(16383L)]
    [InlineData(16384L)]
    [InlineData(16385L)]
    [InlineData((5L * 1024 * 1024) + 3)]
    [InlineData(8L * 1024 * 1024)]
    public async Task AnswersAroundTheSegmentSizesAndAtTheCapAreReadWhole(long size)
    {
        // Chunked (no length declared): the segmented path; at the cap exactly it still succeeds.
        using var client = fixture.Client(o => o.MaxResponseBytes = 8L * 1024 * 1024);
        fixture.Server.Enqueue(HostileAnswers.Endless(size, "image/png", fill: 7));
        var image = await client.TextToImageAsync("x", model: fixture.Server.EndpointUrl("text-to-image").ToString(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(size, image.Bytes.Length);
        Assert.True(image.Bytes.Span.IndexOfAnyExcept((byte)7) < 0, "a byte of the answer changed");
    }

    [Fact]
    public async Task OneBytePastTheCapIsRefused()
    {
        using var client = fixture.Client(o => o.MaxResponseBytes = 8L * 1024 * 1024);
        fixture.Server.Enqueue(HostileAnswers.Endless((8L * 1024 * 1024) + 1, "image/png"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextToImageAsync("x", model: fixture.Server.EndpointUrl("text-to-image").ToString(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
    }

    private async Task AssertBoundedAsync(string name, string scenario, Uri url)
    {
        var (peak, outcome) = await RunProbeAsync(scenario, url);
        output.WriteLine($"{name}: peak working set {peak / (1024.0 * 1024):F0} MiB (bound {Bound / (1024 * 1024)} MiB); {outcome}");
        Assert.Contains("MaxResponseBytes", outcome, StringComparison.Ordinal);
        Assert.True(peak < Bound, $"peak working set {peak / (1024 * 1024)} MiB is over the cap + 64 MiB ({Bound / (1024 * 1024)} MiB): {outcome}");
    }

    private static async Task<(long Peak, string Outcome)> RunProbeAsync(string scenario, Uri url)
    {
        // The probe is built beside this assembly's configuration (bin/{Configuration}/net10.0).
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var probe = Path.Combine(RepoPaths.Root, "tests", "MemoryProbe", "bin", here.Parent!.Name, here.Name, "MemoryProbe.dll");
        Assert.True(File.Exists(probe), probe + " was not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(url.ToString());
        start.ArgumentList.Add(Cap.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = System.Threading.CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.TrimEntries);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await stderr}");
        var peak = long.Parse(lines.Single(l => l.StartsWith("peak_working_set=", StringComparison.Ordinal))["peak_working_set=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return (peak, lines.Single(l => l.StartsWith("outcome=", StringComparison.Ordinal))["outcome=".Length..]);
    }
}
