using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// <c>@huggingface/inference</c> in a Node child process (node/peer.mjs). The package is installed at
/// run time, at the pinned version, into the node folder beside the harness binary (never into the
/// repository). One process serves every workload so V8 stays warm, as the .NET clients do.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    public const string Package = "@huggingface/inference";
    public const string Version = "4.13.30";

    private readonly Process _process;

    private NodePeer(Process process, string nodeVersion)
    {
        _process = process;
        Name = $"{Package} {Version} (Node {nodeVersion})";
    }

    public string Name { get; }

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "node");

    /// <summary>The peer, or why it cannot run here (no Node, no npm registry).</summary>
    public static async Task<(NodePeer? Peer, string? Reason)> StartAsync(Uri baseUrl)
    {
        var nodeVersion = await TryRunAsync("node", "--version");
        if (nodeVersion == null)
        {
            return (null, "node is not on PATH");
        }

        var installReason = await EnsureInstalledAsync();
        if (installReason != null)
        {
            return (null, installReason);
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "peer.mjs", "serve", baseUrl.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        return (new NodePeer(Process.Start(start)!, nodeVersion.Trim().TrimStart('v')), null);
    }

    public Contender Contender(JsonObject request) => new(Name, () => RunAsync(request));

    private async Task<Sample> RunAsync(JsonObject request)
    {
        await _process.StandardInput.WriteLineAsync(request.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The Node peer exited.");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException("The Node peer failed: " + error);
        }

        var latencies = answer["latenciesMs"]?.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        var result = new RunResult(answer["count"]!.GetValue<int>(), answer["check"]!.GetValue<string>(), answer["firstMs"]!.GetValue<double>(), latencies);
        return new Sample(answer["wallMs"]!.GetValue<double>(), answer["cpuMs"]!.GetValue<double>(), null, result);
    }

    /// <summary>Uploads <paramref name="file"/> from a fresh Node process; its peak memory and bytes received.</summary>
    public static async Task<JsonObject> UploadAsync(Uri baseUrl, string file)
    {
        var output = await TryRunAsync("node", "--expose-gc", Path.Combine(Folder, "peer.mjs"), "upload", baseUrl.ToString(), file)
            ?? throw new InvalidOperationException("The Node upload failed.");
        return JsonNode.Parse(output)!.AsObject();
    }

    private static async Task<string?> EnsureInstalledAsync()
    {
        var installed = Path.Combine(Folder, "node_modules", "@huggingface", "inference", "package.json");
        if (File.Exists(installed) && JsonNode.Parse(await File.ReadAllTextAsync(installed))?["version"]?.GetValue<string>() == Version)
        {
            return null;
        }

        Console.Error.WriteLine($"  installing {Package}@{Version} into {Folder} …");
        return await TryRunAsync("npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--prefix", Folder) == null
            ? $"npm could not install {Package}@{Version}"
            : null;
    }

    private static async Task<string?> TryRunAsync(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"  {command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
                return null;
            }

            return await output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
