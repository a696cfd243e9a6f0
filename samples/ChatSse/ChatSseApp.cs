using System.Text.Json;
using HuggingFace.Inference.DependencyInjection;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.Samples.ChatSse;

/// <summary>
/// The app: <c>GET /</c> is a page that opens an <c>EventSource</c> on <c>/chat?q=…</c> and shows each token as it
/// arrives; <c>GET /chat</c> streams the answer of the registered <see cref="IChatClient"/> (our client, through
/// Microsoft.Extensions.AI) as <c>token</c> events, then a <c>done</c> event (or an <c>error</c> event).
/// </summary>
public static class ChatSseApp
{
    /// <summary>The app over the configuration's <c>HuggingFace</c> section; <paramref name="configure"/> may add to the builder (tests bind Kestrel to port 0).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddHuggingFaceInference(builder.Configuration.GetSection("HuggingFace"));
        builder.Services.AddHuggingFaceChatClient();

        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page.Html, "text/html; charset=utf-8"));
        app.MapGet("/chat", StreamAsync);
        return app;
    }

    private static async Task StreamAsync(HttpContext context, IChatClient chat, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Ask something: /chat?q=…", context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // proxies would otherwise hold the tokens back
        var cancellationToken = context.RequestAborted;
        try
        {
            // Leaving the loop (the browser closed the page) disposes the stream and closes the upstream connection.
            await foreach (var update in chat.GetStreamingResponseAsync(q, cancellationToken: cancellationToken))
            {
                if (!string.IsNullOrEmpty(update.Text))
                {
                    await WriteEventAsync(context, "token", new { text = update.Text }, cancellationToken);
                }
            }

            await WriteEventAsync(context, "done", new { }, cancellationToken);
        }
        catch (HfHubHttpException error) when (!cancellationToken.IsCancellationRequested)
        {
            // The headers are sent: the failure goes to the page as an event (never the token: the message has none).
            await WriteEventAsync(context, "error", new { message = error.Message, status = (int)error.StatusCode }, cancellationToken);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, object data, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
