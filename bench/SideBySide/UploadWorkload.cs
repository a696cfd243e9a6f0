using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// Peak memory of an automatic-speech-recognition upload from disk. Each upload runs in a fresh child
/// process, so one run's heap cannot hide or inflate another's; the child warms the path with a
/// small upload, resets the kernel's peak-RSS counter, uploads, and reports how far the peak rose
/// above the resident size it started from.
/// </summary>
internal static class UploadWorkload
{
    public static readonly string[] DotNetModes = ["ours", "raw-streamed", "buffered"];

    public static string Describe(string mode) => mode switch
    {
        "ours" => Workloads.Ours + ": AutomaticSpeechRecognitionAsync(InferenceInput.FromFile(…))",
        "raw-streamed" => "raw: HttpClient + StreamContent(FileStream)",
        "buffered" => "buffering: File.ReadAllBytes + ByteArrayContent",
        _ => mode,
    };

    /// <summary>The parent's side: runs one child per mode and size.</summary>
    public static async Task<JsonObject> MeasureAsync(string mode, Uri server, string file)
    {
        if (mode == "node")
        {
            return await NodePeer.UploadAsync(server, file);
        }

        using var process = SelfProcess.Start(["upload", mode, file, server.ToString()]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? JsonNode.Parse(await output)!.AsObject()
            : throw new InvalidOperationException($"The {mode} upload child failed: {await error}");
    }

    /// <summary>The child's side: <c>upload MODE FILE SERVER</c>.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        var (mode, file, server) = (args[0], args[1], new Uri(args[2]));
        var url = new Uri(server, "asr");
        var warmUp = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(warmUp, new byte[1 << 20]);
            await UploadAsync(mode, warmUp, url);
        }
        finally
        {
            File.Delete(warmUp);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ResetPeak();
        var before = ProcStatus("VmRSS");
        var received = await UploadAsync(mode, file, url);
        var peak = ProcStatus("VmHWM");
        Console.WriteLine(new JsonObject
        {
            ["beforeBytes"] = before,
            ["peakBytes"] = peak,
            ["addedBytes"] = Math.Max(0, peak - before),
            ["received"] = received,
        }.ToJsonString());
        return 0;
    }

    private static async Task<long> UploadAsync(string mode, string file, Uri url)
    {
        switch (mode)
        {
            case "ours":
            {
                using var client = new InferenceClient(new InferenceClientOptions { Token = "hf_bench_token", Timeout = TimeSpan.FromMinutes(5) });
                var answer = await client.AutomaticSpeechRecognitionAsync(InferenceInput.FromFile(new FileInfo(file), "audio/flac"), model: url.ToString());
                return long.Parse(answer.Text, CultureInfo.InvariantCulture);
            }

            case "raw-streamed":
            case "buffered":
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
                using HttpContent content = mode == "buffered" ? new ByteArrayContent(await File.ReadAllBytesAsync(file)) : new StreamContent(File.OpenRead(file), 64 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue("audio/flac");
                using var response = await http.PostAsync(url, content);
                response.EnsureSuccessStatusCode();
                using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                return long.Parse(answer.RootElement.GetProperty("text").GetString()!, CultureInfo.InvariantCulture);
            }

            default:
                throw new ArgumentException($"Unknown upload mode '{mode}'.", nameof(mode));
        }
    }

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+); where that is refused the
    // peak still counts the warm-up, which can only overstate what the upload added.
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("peak RSS not reset: " + e.Message);
        }
    }

    private static long ProcStatus(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}; the upload workload needs Linux.");
    }

    /// <summary>A file of <paramref name="megabytes"/> MB of pseudo-random bytes (not compressible, not all zeros).</summary>
    public static string CreateFile(int megabytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hf-side-by-side-{megabytes}mb.flac");
        var random = new Random(megabytes);
        var block = new byte[1 << 20];
        using var file = File.Create(path);
        for (var i = 0; i < megabytes; i++)
        {
            random.NextBytes(block);
            file.Write(block);
        }

        return path;
    }
}
