using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using HuggingFace.Inference.Diagnostics;

namespace HuggingFace.Inference.Tests;

/// <summary>The synchronous streams behave as the async ones (nothing is sent before the enumeration, the call is traced); raw posts and sends are traced too.</summary>
public class SyncStreamTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly ChatCompletionInputMessage Question = new() { Role = "user", Content = "What is the capital of France?" };

    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record HandlerInput([property: System.Text.Json.Serialization.JsonPropertyName("inputs")] string Inputs);

    [Fact]
    public void AChatStreamNeverEnumeratedSendsNothing()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();

        var stream = client.ChatCompletionStream([Question], cancellationToken: Ct);
        var openAi = client.Chat.Completions.CreateStreaming(new ChatCompletionInput { Messages = [Question] }, Ct);

        Assert.Empty(fixture.Server.Requests);

        // Enumerating sends it, once per enumeration.
        Assert.Equal("The capital of France is Paris.", string.Concat(stream.Select(c => c.Choices[0].Delta.Content)));
        Assert.Single(fixture.Server.Requests, r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        Assert.Equal("The capital of France is Paris.", string.Concat(openAi.Select(c => c.Choices[0].Delta.Content)));
        Assert.Equal(2, fixture.Server.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)));
    }

    [Fact]
    public void ATextGenerationStreamNeverEnumeratedSendsNothingNotEvenTheHubLookup()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();

        var stream = client.TextGenerationStream("The capital of France is", cancellationToken: Ct);

        Assert.Empty(fixture.Server.Requests);
        Assert.NotEmpty(string.Concat(stream.Select(t => t.Token.Text)));
        Assert.Single(fixture.Server.Requests, r => r.Path.StartsWith("/hf-inference/models/", StringComparison.Ordinal));
    }

    [Fact]
    public void ArgumentErrorsStillComeAtTheCall()
    {
        using var client = fixture.Client();

        Assert.Equal("request", Assert.Throws<ArgumentException>(() => client.ChatCompletionStream(new ChatCompletionInput { Messages = [] }, Ct)).ParamName);
        Assert.Equal("prompt", Assert.Throws<ArgumentNullException>(() => client.TextGenerationStream(null!, cancellationToken: Ct)).ParamName);
    }

    [Fact]
    public void ASyncChatStreamIsTracedFromTheEnumerationToItsEnd()
    {
        var model = "telemetry/sync-" + Guid.NewGuid().ToString("N")[..8];
        var started = new ConcurrentQueue<Activity>();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(started, stopped);
        using var client = fixture.Client();

        var stream = client.ChatCompletionStream(new ChatCompletionInput
        {
            Model = model,
            Messages = [Question],
            StreamOptions = new ChatCompletionInputStreamOptions { IncludeUsage = true },
        }, Ct);
        Assert.DoesNotContain(started, a => (string?)a.GetTagItem("gen_ai.request.model") == model);

        var chunks = stream.Count();

        Assert.True(chunks > 1);
        var activity = Assert.Single(stopped, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
        Assert.Equal("chat " + model, activity.DisplayName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal("chat", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("chatcmpl-local", activity.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, (string[])activity.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(12L, activity.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Contains(activity.Events, e => e.Name == "gen_ai.first_chunk");
        Assert.All(activity.TagObjects, tag => Assert.DoesNotContain(ServerFixture.Token, tag.Value?.ToString() ?? string.Empty));
    }

    [Fact]
    public void ASyncTextGenerationStreamIsTraced()
    {
        var started = new ConcurrentQueue<Activity>();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(started, stopped);
        using var client = fixture.Client();
        var model = "telemetry/sync-generation-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.Models[model] = "text-generation";

        foreach (var _ in client.TextGenerationStream("The capital of France is", model: model, cancellationToken: Ct))
        {
        }

        var activity = Assert.Single(stopped, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
        Assert.Equal("text_completion", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Contains(activity.Events, e => e.Name == "gen_ai.first_chunk");
    }

    [Fact]
    public void LeavingASyncStreamEarlyEndsItsActivity()
    {
        var model = "telemetry/sync-early-" + Guid.NewGuid().ToString("N")[..8];
        var started = new ConcurrentQueue<Activity>();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(started, stopped);
        using var client = fixture.Client();

        var first = client.ChatCompletionStream(new ChatCompletionInput { Model = model, Messages = [Question] }, Ct).First();

        Assert.NotNull(first);
        // First() disposes the enumerator: the response and the activity end with it.
        Assert.Single(stopped, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
    }

    [Fact]
    public async System.Threading.Tasks.Task RawPostsAndSendsAreTracedSyncAndAsync()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(new ConcurrentQueue<Activity>(), stopped);
        using var client = fixture.Client();
        var endpoint = fixture.Server.EndpointUrl("text-classification").ToString();

        // Other tests call the same endpoint at the same time: this test's activities are the children of its own.
        using (var parent = new Activity("raw-posts-test").Start())
        {
            await client.PostAsync(json: new { inputs = "I like you" }, model: endpoint, task: "text-classification", cancellationToken: Ct);
            client.Post(json: new { inputs = "I like you" }, model: endpoint, cancellationToken: Ct);
            client.Send<HandlerInput, System.Text.Json.JsonElement>(new HandlerInput("I like you"), endpoint, "my-handler", Ct);
        }

        var rootId = stopped.Where(a => a.Parent?.OperationName == "raw-posts-test").Select(a => a.RootId).FirstOrDefault();
        var ours = stopped.Where(a => a.RootId == rootId && (string?)a.GetTagItem("gen_ai.request.model") == endpoint).ToList();
        Assert.Equal(new[] { "text-classification", "post", "my-handler" }, ours.Select(a => (string?)a.GetTagItem("gen_ai.operation.name")));
        Assert.All(ours, a => Assert.Equal(ActivityKind.Client, a.Kind));
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> started, ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
