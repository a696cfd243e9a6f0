using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Samples.ChatSse;
using HuggingFace.Inference.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace HuggingFace.Inference.Samples.Tests;

/// <summary>The SSE sample on a real Kestrel (127.0.0.1, port 0), its chat answered by the local server.</summary>
public sealed class ChatSseTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private InferenceTestServer _upstream = null!;
    private WebApplication _app = null!;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri BaseUrl => new(_app.Urls.First());

    public async ValueTask InitializeAsync()
    {
        _upstream = await InferenceTestServer.StartAsync();
        _app = ChatSseApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HuggingFace:RouterUrl"] = _upstream.BaseUrl.ToString(),
                ["HuggingFace:HubUrl"] = _upstream.BaseUrl.ToString(),
                ["HuggingFace:Token"] = "hf_sample_token_0123456789",
                ["HuggingFace:ChatModel"] = "meta-llama/Llama-3.1-8B-Instruct",
            });
        });
        await _app.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task TheAnswerArrivesAsTokenEventsThenDone()
    {
        using var response = await _http.GetAsync(new Uri(BaseUrl, "/chat?q=" + Uri.EscapeDataString("What is the capital of France?")), HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        var tokens = events.Where(e => e.Name == "token").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("text").GetString()).ToList();
        Assert.True(tokens.Count >= 5, $"{tokens.Count} token events: the answer was not streamed word by word");
        Assert.Equal("The capital of France is Paris.", string.Concat(tokens));
        Assert.Equal("done", events[^1].Name);

        // Upstream: one streamed chat request with the configured model and the question.
        var sent = JsonDocument.Parse(_upstream.Requests.Last(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Body).RootElement;
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", sent.GetProperty("model").GetString());
        Assert.Equal("What is the capital of France?", sent.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ThePageOpensAnEventSourceAndBadInputIsRefused()
    {
        var page = await _http.GetStringAsync(BaseUrl, Ct);
        Assert.Contains("new EventSource('/chat?q='", page);
        Assert.Contains("addEventListener('token'", page);

        using var empty = await _http.GetAsync(new Uri(BaseUrl, "/chat"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task AnUpstreamErrorBecomesAnErrorEvent()
    {
        _upstream.Enqueue(ScriptedResponse.Error(422, "Input validation error: inputs too long"));
        using var response = await _http.GetAsync(new Uri(BaseUrl, "/chat?q=hello"), HttpCompletionOption.ResponseHeadersRead, Ct);

        var events = await ReadEventsAsync(response);
        var error = Assert.Single(events);
        Assert.Equal("error", error.Name);
        var data = JsonDocument.Parse(error.Data).RootElement;
        Assert.Equal(422, data.GetProperty("status").GetInt32());
        Assert.Contains("inputs too long", data.GetProperty("message").GetString());
        Assert.DoesNotContain("hf_sample_token", error.Data);
    }

    [Fact]
    public async Task HeadlessChromiumShowsTheStreamedAnswer()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (Debian's chromium package): the page's EventSource is not run in a browser here; the event stream itself is tested above.");
        }

        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000", "--dump-dom", new Uri(BaseUrl, "/?q=" + Uri.EscapeDataString("What is the capital of France?")).ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var browser = Process.Start(start)!;
        var dom = await browser.StandardOutput.ReadToEndAsync(Ct);
        await browser.WaitForExitAsync(Ct);

        Assert.Contains("The capital of France is Paris.", dom);
        Assert.Contains("data-state=\"done\"", dom);
        Assert.Matches("data-tokens=\"([5-9]|[1-9][0-9])\"", dom);
    }

    private static async Task<List<(string Name, string Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct), Encoding.UTF8);
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (name != null)
                {
                    events.Add((name, data.ToString()));
                }

                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }

        return events;
    }
}
