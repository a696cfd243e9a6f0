using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// The one local server every client talks to, in a child process of its own so that the CPU time
/// and allocations measured in the harness are the clients' alone. Every answer is built once at
/// start-up; a request costs the server only a copy, so the clients' differences are not drowned
/// by the server's work. Routes are "deployed endpoint" URLs, as every client can be pointed at one:
/// <c>/chat/v1/chat/completions</c> (SSE), <c>/embed</c>, <c>/classify</c>, <c>/asr</c> (counts the
/// uploaded bytes and answers their number as the text).
/// </summary>
internal static class BenchServer
{
    public static async Task<int> ServeAsync(HarnessOptions options)
    {
        var chatStream = Payloads.ChatStream(options.Events);
        var embeddings = Payloads.Embeddings(options.Rows, options.Dimensions);
        var labels = "[[{\"label\":\"POSITIVE\",\"score\":0.9998738765716553},{\"label\":\"NEGATIVE\",\"score\":0.00012611268227919936}]]"u8.ToArray();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null; // the upload workload sends hundreds of megabytes
        });
        await using var app = builder.Build();
        app.Run(context => context.Request.Path.Value switch
        {
            "/chat/v1/chat/completions" => AnswerAsync(context, "text/event-stream", chatStream),
            "/embed" => AnswerAsync(context, "application/json", embeddings),
            "/classify" => AnswerAsync(context, "application/json", labels),
            "/asr" => CountUploadAsync(context),
            _ => NotFoundAsync(context),
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // The harness reads this line to learn the port, then closes our stdin to stop us.
        Console.WriteLine("listening " + address.TrimEnd('/') + "/");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    private static async Task AnswerAsync(HttpContext context, string contentType, byte[] body)
    {
        await DrainAsync(context.Request.Body, context.RequestAborted);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = contentType == "text/event-stream" ? null : body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task CountUploadAsync(HttpContext context)
    {
        var received = await DrainAsync(context.Request.Body, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"text\":\"" + received.ToString(CultureInfo.InvariantCulture) + "\"}", Encoding.UTF8, context.RequestAborted);
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync("{\"error\":\"no such route: " + context.Request.Path + "\"}");
    }

    private static async Task<long> DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The server child process, seen from the harness: started once, stopped when disposed.</summary>
internal sealed class BenchServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BenchServerProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<BenchServerProcess> StartAsync(HarnessOptions options)
    {
        var process = SelfProcess.Start(["serve", .. options.ToArguments()], redirectInput: true);
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The bench server exited before listening: " + await process.StandardError.ReadToEndAsync());
        return new BenchServerProcess(process, new Uri(line["listening ".Length..]));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>Starts this same program as a child (the server, an upload run), however it was launched.</summary>
internal static class SelfProcess
{
    public static Process Start(IEnumerable<string> arguments, bool redirectInput = false)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };

        // Launched as "dotnet HuggingFace.Inference.SideBySide.dll": the dll comes first.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start " + host);
    }
}
