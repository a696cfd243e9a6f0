using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Providers;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Choosing a provider: "auto", a named one, the ":provider" suffix; the Hub mapping call and its cache;
/// routed and direct calls; errors that name the provider. Against the local server's router, Hub and
/// provider routes, over real sockets.
/// </summary>
public class ProviderRoutingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly ChatCompletionInputMessage Question = new() { Role = "user", Content = "What is the capital of France?" };

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private InferenceTestServer Server => fixture.Server;

    private int MappingCalls(string model) => Server.Requests.Count(r => r.Method == "GET" && r.Path == "/api/models/" + model);

    private static string UniqueModel(string name) => "test-org/" + name + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AutoChatGoesToTheRoutersOwnRouteWithTheModelStringUnchangedAndNoHubCall()
    {
        using var client = fixture.Client();
        foreach (var model in new[] { "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct:fastest", "meta-llama/Llama-3.1-8B-Instruct:together" })
        {
            var answer = await client.ChatCompletionAsync([Question], model, Ct);
            var request = fixture.LastInference();
            Assert.Equal("POST", request.Method);
            Assert.Equal("/v1/chat/completions", request.Path);
            Assert.StartsWith("{\"model\":\"" + model + "\",", request.BodyText);
            Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
            Assert.NotEmpty(answer.Choices);
        }

        Assert.Equal(0, MappingCalls("meta-llama/Llama-3.1-8B-Instruct"));
    }

    [Fact]
    public async Task AutoChatStreamsThroughTheRouterToo()
    {
        using var client = fixture.Client();
        var text = new StringBuilder();
        await foreach (var chunk in client.ChatCompletionStreamAsync([Question], "meta-llama/Llama-3.1-8B-Instruct:cheapest", Ct))
        {
            text.Append(chunk.Choices.Count > 0 ? chunk.Choices[0].Delta.Content : null);
        }

        Assert.False(string.IsNullOrEmpty(text.ToString()));
        Assert.Equal("/v1/chat/completions", fixture.LastInference().Path);
        Assert.StartsWith("{\"model\":\"meta-llama/Llama-3.1-8B-Instruct:cheapest\",", fixture.LastInference().BodyText);
    }

    [Fact]
    public async Task ANamedProviderGetsItsOwnModelIdFromTheMappingAndItsResponseFormat()
    {
        var model = UniqueModel("chat");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("together", "together-org/served-chat", "conversational")];
        using var client = fixture.Client(o => o.Provider = "together");
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;
        var request = new ChatCompletionInput
        {
            Model = model,
            Messages = [Question],
            ResponseFormat = JsonSerializer.Deserialize<ChatCompletionInputGrammarType>("""{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object","properties":{"city":{"type":"string"}}}}}""", Serialization.InferenceJson.Options),
        };
        var answer = await client.ChatCompletionAsync(request, Ct);

        var sent = fixture.LastInference();
        Assert.Equal("/together/v1/chat/completions", sent.Path);
        Assert.StartsWith("{\"model\":\"together-org/served-chat\",", sent.BodyText);
        var format = JsonDocument.Parse(sent.Body).RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(JsonElement.DeepEquals(schema, format.GetProperty("schema")), format.ToString());
        Assert.NotEmpty(answer.Choices);
        Assert.Equal(1, MappingCalls(model));
    }

    [Fact]
    public async Task AutoForOtherTasksTakesTheFirstEntryOfTheTaskThatTheClientCanCall()
    {
        var model = UniqueModel("image");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("replicate", "owner/some-video", "text-to-video"),    // another task: skipped
            new ProviderMappingEntry("nebius", "nebius/flux", "text-to-image"),           // removed provider: skipped
            new ProviderMappingEntry("together", "together-org/flux", "text-to-image"),
            new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image"),
        ];
        using var client = fixture.Client();
        var image = await client.TextToImageAsync("An astronaut riding a horse", model: model, cancellationToken: Ct);

        var sent = fixture.LastInference();
        Assert.Equal("/together/v1/images/generations", sent.Path);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("together-org/flux", body.GetProperty("model").GetString());
        Assert.Equal("An astronaut riding a horse", body.GetProperty("prompt").GetString());
        Assert.Equal("base64", body.GetProperty("response_format").GetString());
        Assert.Equal("image/png", image.ContentType);
        Assert.True(image.Bytes.Length > 8);
    }

    [Fact]
    public async Task OneMappingCallPerModelPerTenMinutesEvenWithConcurrentCallers()
    {
        var model = UniqueModel("cached");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image")];
        using var client = fixture.Client();
        var clock = new ManualClock();
        client.Router.Mappings.Time = clock;

        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct)));
        Assert.Equal(1, MappingCalls(model));

        clock.Advance(TimeSpan.FromMinutes(9));
        await client.TextToImageAsync("a cat", model: model, cancellationToken: Ct);
        Assert.Equal(1, MappingCalls(model));

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.TextToImageAsync("a cat", model: model, cancellationToken: Ct);
        Assert.Equal(2, MappingCalls(model));
    }

    [Fact]
    public async Task AModelTheHubDoesNotKnowIsAMappingErrorKeptForAMinute()
    {
        var model = UniqueModel("missing");
        using var client = fixture.Client();
        var clock = new ManualClock();
        client.Router.Mappings.Time = clock;
        var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal(InferenceProviderPhase.Mapping, error.Phase);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("text-to-image", error.Task);
        await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal(1, MappingCalls(model));
        clock.Advance(TimeSpan.FromSeconds(61));
        await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal(2, MappingCalls(model));
    }

    [Fact]
    public async Task NoProviderForTheTaskListsWhatTheHubOffered()
    {
        var model = UniqueModel("video-only");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/video", "text-to-video", Status: "staging")];
        using var client = fixture.Client();
        var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal(InferenceProviderPhase.Mapping, error.Phase);
        Assert.Contains("No provider serves model '" + model + "' for task text-to-image", error.Message);
        Assert.Contains("fal-ai (text-to-video, staging)", error.Message);
    }

    [Fact]
    public async Task BadProviderChoicesFailBeforeAnythingIsSent()
    {
        // Counted by this test's own model: earlier tests' polls may still land on the shared server.
        var model = UniqueModel("refused");
        var unknown = Assert.Throws<ArgumentException>(() => fixture.Client(o => o.Provider = "nebius"));
        Assert.Equal("Provider", unknown.ParamName);
        Assert.Contains("together", unknown.Message);

        using var client = fixture.Client(o => o.Provider = "groq");
        var noTask = await Assert.ThrowsAsync<ArgumentException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal("Provider", noTask.ParamName);
        Assert.Contains("Providers that do:", noTask.Message);
        Assert.Contains("fal-ai", noTask.Message);

        using var auto = fixture.Client();
        var badSuffix = await Assert.ThrowsAsync<ArgumentException>(() => auto.TextToImageAsync("a cat", model: model + ":nope", cancellationToken: Ct));
        Assert.Equal("model", badSuffix.ParamName);
        var suffixWithoutTask = await Assert.ThrowsAsync<ArgumentException>(() => auto.TextToImageAsync("a cat", model: model + ":cerebras", cancellationToken: Ct));
        Assert.Equal("model", suffixWithoutTask.ParamName);
        Assert.DoesNotContain(Server.Requests.ToArray(), r => r.RawPath.Contains(model, StringComparison.Ordinal) || r.Path.Contains(model, StringComparison.Ordinal) || System.Text.Encoding.UTF8.GetString(r.Body).Contains(model, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSuffixPicksTheProviderForOneCallOfAnyTask()
    {
        var model = UniqueModel("suffix");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("together", "together-org/flux", "text-to-image"),
            new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image"),
        ];
        using var client = fixture.Client();
        await client.TextToImageAsync("a cat", new TextToImageParameters { Width = 512, Height = 256 }, model: model + ":fal-ai", cancellationToken: Ct);
        var sent = fixture.LastInference(r => r.Method == "POST");
        Assert.Equal("/fal-ai/fal-ai/flux/dev", sent.Path);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("a cat", body.GetProperty("prompt").GetString());
        Assert.Equal(512, body.GetProperty("image_size").GetProperty("width").GetInt32());
        Assert.Equal(256, body.GetProperty("image_size").GetProperty("height").GetInt32());
        Assert.False(body.TryGetProperty("width", out _));
    }

    [Fact]
    public async Task ExplicitHfInferenceNeedsNoMappingCall()
    {
        using var client = fixture.Client(o => o.Provider = "hf-inference");
        var labels = await client.TextClassificationAsync("I like you", model: "distilbert/distilbert-base-uncased-finetuned-sst-2-english", cancellationToken: Ct);
        Assert.NotEmpty(labels);
        Assert.Equal("/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english", fixture.LastInference().Path);
        Assert.Equal(0, MappingCalls("distilbert/distilbert-base-uncased-finetuned-sst-2-english"));
    }

    [Fact]
    public async Task GetProviderMappingReturnsTheHubsEntriesInOrderInBothShapes()
    {
        var model = UniqueModel("mapping");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("replicate", "owner/name:0123abcd", "text-to-image", Status: "error"),
            new ProviderMappingEntry("fal-ai", "fal-ai/lora", "text-to-image", Adapter: "lora", AdapterWeightsPath: "weights.safetensors"),
        ];
        using var client = fixture.Client();
        var mappings = await client.GetProviderMappingAsync(model, Ct);
        Assert.Equal(["replicate", "fal-ai"], mappings.Select(m => m.Provider));
        Assert.Equal("owner/name:0123abcd", mappings[0].ProviderId);
        Assert.Equal("error", mappings[0].Status);
        Assert.Equal("lora", mappings[1].Adapter);
        Assert.Equal("weights.safetensors", mappings[1].AdapterWeightsPath);
        Assert.Equal("text-to-image", mappings[1].Task);

        var list = ProviderMappingCache.Parse(model, """{"inferenceProviderMapping":[{"provider":"together","providerId":"t/x","task":"conversational","status":"live"},{"providerId":"no-provider","task":"x"}]}"""u8);
        Assert.Single(list);
        Assert.Equal("together", list[0].Provider);
        Assert.Empty(ProviderMappingCache.Parse(model, """{"id":"x"}"""u8));
    }

    [Fact]
    public async Task ProviderErrorsNameTheProviderModelTaskAndPhase()
    {
        var model = UniqueModel("failing");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("together", "together-org/flux", "text-to-image")];
        using var client = fixture.Client(o => o.MaxRetries = 0);
        await client.GetProviderMappingAsync(model, Ct);
        Server.Enqueue(new ScriptedResponse { Status = 500, Body = """{"error":{"message":"GPU on fire"}}""", Headers = new Dictionary<string, string> { ["x-request-id"] = "req-42" } });
        var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToImageAsync("a cat", model: model, cancellationToken: Ct));
        Assert.Equal("together", error.Provider);
        Assert.Equal("together-org/flux", error.ProviderModelId);
        Assert.Equal(InferenceProviderPhase.Submit, error.Phase);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("GPU on fire", error.ServerMessage);
        Assert.Equal("req-42", error.RequestId);
        Assert.DoesNotContain(ServerFixture.Token, error.ToString());
    }

    [Fact]
    public async Task TheRoutersProviderHeaderIsOnTheErrorOfAnAutoChat()
    {
        using var client = fixture.Client(o => o.MaxRetries = 0);
        Server.Enqueue(new ScriptedResponse { Status = 429, Body = """{"error":"slow down"}""", Headers = new Dictionary<string, string> { ["x-inference-provider"] = "cerebras" } });
        var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.ChatCompletionAsync([Question], "meta-llama/Llama-3.1-8B-Instruct", Ct));
        Assert.Equal("cerebras", error.Provider);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("slow down", error.ServerMessage);
        Assert.IsAssignableFrom<HfHubHttpException>(error);
    }

    [Fact]
    public async Task AProviderKeyGoesDirectToTheProviderAndNeverToTheHub()
    {
        const string key = "tgp_provider_key_123";
        var model = UniqueModel("direct");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("together", "together-org/chat", "conversational"),
            new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image"),
        ];
        using var client = fixture.Client(o =>
        {
            o.Token = key;
            o.BillTo = "my-org";
            o.ProviderUrls["together"] = new Uri(Server.BaseUrl, "direct/together");
            o.ProviderUrls["fal-ai"] = new Uri(Server.BaseUrl, "direct/fal-ai");
        });
        await client.ChatCompletionAsync([Question], model + ":together", Ct);
        var chat = fixture.LastInference();
        Assert.Equal("/direct/together/v1/chat/completions", chat.Path);
        Assert.Equal("Bearer " + key, chat.Header("authorization"));
        Assert.Null(chat.Header("x-hf-bill-to"));

        await client.TextToImageAsync("a cat", model: model + ":fal-ai", cancellationToken: Ct);
        var image = fixture.LastInference(r => r.Method == "POST");
        Assert.Equal("/direct/fal-ai/fal-ai/flux/dev", image.Path);
        Assert.Equal("Key " + key, image.Header("authorization"));

        var hub = Server.Requests.Where(r => r.Path == "/api/models/" + model).ToList();
        Assert.NotEmpty(hub);
        Assert.All(hub, r => Assert.Null(r.Header("authorization")));

        var auto = await Assert.ThrowsAsync<ArgumentException>(() => client.ChatCompletionAsync([Question], model, Ct));
        Assert.Equal("Provider", auto.ParamName);
    }

    [Fact]
    public async Task AProviderKeyDoesNotFollowARedirectToAnotherHost()
    {
        const string key = "fal_provider_key_456";
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), Ct);
        var model = UniqueModel("redirected");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image")];
        using var client = fixture.Client(o =>
        {
            o.Token = key;
            o.ProviderUrls["fal-ai"] = new Uri(Server.BaseUrl, "direct/fal-ai");
        });
        Server.Enqueue(ScriptedResponse.Redirect(new Uri(otherHost.BaseUrl, "direct/fal-ai/fal-ai/flux/dev")));
        await client.TextToImageAsync("a cat", model: model + ":fal-ai", cancellationToken: Ct);
        Assert.Equal("Key " + key, fixture.LastInference(r => r.Method == "POST").Header("authorization"));
        var redirected = Assert.Single(otherHost.Requests, r => r.Method == "POST");
        Assert.Null(redirected.Header("authorization"));
        Assert.DoesNotContain(key, string.Join("\n", redirected.Headers.Values));
    }

    [Fact]
    public async Task StagingAndFailingMappingsAreUsedWithAWarning()
    {
        var model = UniqueModel("staging");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image", Status: "staging")];
        var logs = new CapturingLoggerFactory();
        using var client = fixture.Client(o => o.LoggerFactory = logs);
        var image = await client.TextToImageAsync("a cat", model: model, cancellationToken: Ct);
        Assert.Equal("/fal-ai/fal-ai/flux/dev", fixture.LastInference(r => r.Method == "POST").Path);
        Assert.True(image.Bytes.Length > 8);
        Assert.Contains(logs.Lines, l => l.Contains("is in staging on provider 'fal-ai'", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(ServerFixture.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamedTextGenerationThroughAnotherProviderIsRefusedBeforeAnythingIsSent()
    {
        var model = UniqueModel("completions");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("together", "together-org/base", "text-generation")];
        using var client = fixture.Client();
        var generated = await client.TextGenerationAsync("Once upon a time", model: model, cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(generated.GeneratedText));
        var posts = Server.Requests.Count(r => r.Method == "POST");
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (var _ in client.TextGenerationStreamAsync("Once upon a time", model: model, cancellationToken: Ct))
            {
            }
        });
        Assert.Equal(posts, Server.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task OpenAiIsDirectOnly()
    {
        using var client = fixture.Client(o => o.Provider = "openai");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.ChatCompletionAsync([Question], "openai/gpt-oss-120b", Ct));
        Assert.Equal("Token", error.ParamName);
    }

    [Fact]
    public async Task AFalQueueJobIsPolledToItsEndAndItsResultFetchedWithoutCredentials()
    {
        var model = UniqueModel("fal-video");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/wan/t2v", "text-to-video")];
        using var client = fixture.Client(o => o.BillTo = "my-org");
        var polls = Server.JobPolls;
        var authorizedDownloads = Server.AuthorizedOutputDownloads;
        Server.JobPollsBeforeDone = 3;
        try
        {
            var video = await client.TextToVideoAsync("A cat surfing", model: model, cancellationToken: Ct);

            var submit = fixture.LastInference(r => r.Method == "POST");
            Assert.Equal("/fal-ai/fal-ai/wan/t2v", submit.Path);
            Assert.Equal("?_subdomain=queue", submit.Query);
            Assert.Equal("my-org", submit.Header("x-hf-bill-to"));
            var statusPolls = Server.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/fal-ai/", StringComparison.Ordinal) && r.Path.EndsWith("/status", StringComparison.Ordinal)).ToList();
            Assert.True(statusPolls.Count >= 4, $"{statusPolls.Count} status polls");
            Assert.All(statusPolls, r => Assert.Contains("_subdomain=queue", r.Query));
            Assert.All(statusPolls, r => Assert.Equal("Bearer " + ServerFixture.Token, r.Header("authorization")));
            Assert.Equal(polls + 4, Server.JobPolls);
            Assert.Equal("video/mp4", video.ContentType);
            Assert.Equal(authorizedDownloads, Server.AuthorizedOutputDownloads);
            Assert.NotEmpty(Server.OutputDownloads);
        }
        finally
        {
            Server.JobPollsBeforeDone = 1;
        }
    }

    [Fact]
    public async Task AFailedJobIsFinalAndSaysWhy()
    {
        var model = UniqueModel("together-video");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("together", "together-org/video", "text-to-video")];
        using var client = fixture.Client();
        Server.JobFailure = "out of credits";
        try
        {
            var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct));
            Assert.Equal(InferenceProviderPhase.Poll, error.Phase);
            Assert.Equal("together", error.Provider);
            Assert.Contains("out of credits", error.Message);
            var submits = Server.Requests.Count(r => r.Method == "POST" && r.Path == "/together/v2/videos");
            Assert.Equal(1, submits);
        }
        finally
        {
            Server.JobFailure = null;
        }
    }

    [Fact]
    public async Task AJobSubmitIsNeverSentTwiceButAnAnswerCallIsRetried()
    {
        var model = UniqueModel("submit-once");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("fal-ai", "fal-ai/wan/t2v", "text-to-video"),
            new ProviderMappingEntry("together", "together-org/flux", "text-to-image"),
        ];
        using var client = fixture.Client(); // MaxRetries 2
        await client.GetProviderMappingAsync(model, Ct);

        var submits = Server.Requests.Count(r => r.Method == "POST" && r.Path == "/fal-ai/fal-ai/wan/t2v");
        Server.Enqueue(ScriptedResponse.TooManyRequests(0));
        var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(InferenceProviderPhase.Submit, error.Phase);
        Assert.Equal(submits + 1, Server.Requests.Count(r => r.Method == "POST" && r.Path == "/fal-ai/fal-ai/wan/t2v"));

        int ImagePosts() => Server.Requests.Count(r => r.Method == "POST" && r.Path == "/together/v1/images/generations"); // other tests post there too
        var imagePosts = ImagePosts();
        Server.Enqueue(ScriptedResponse.TooManyRequests(0));
        var image = await client.TextToImageAsync("a cat", model: model, cancellationToken: Ct);
        Assert.True(image.Bytes.Length > 8);
        Assert.Equal(imagePosts + 2, ImagePosts()); // the 429, then the retry
    }

    [Fact]
    public async Task AJobThatNeverFinishesEndsAtTheDeadline()
    {
        var model = UniqueModel("endless");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("wavespeed", "wavespeed-ai/video", "text-to-video")];
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromMilliseconds(400));
        Server.JobNeverFinishes = true;
        try
        {
            await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct));
        }
        finally
        {
            Server.JobNeverFinishes = false;
        }
    }

    [Fact]
    public async Task ACancelledPollSendsNoFurtherRequest()
    {
        var model = UniqueModel("cancelled");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/wan/t2v", "text-to-video")];
        using var client = fixture.Client();
        Server.JobNeverFinishes = true;
        try
        {
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var start = Server.JobPolls;
            var call = client.TextToVideoAsync("A cat", model: model, cancellationToken: cancellation.Token);
            while (Server.JobPolls < start + 2 && !call.IsCompleted)
            {
                await Task.Delay(5, Ct);
            }

            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            // A poll already on the wire when the call was cancelled may be recorded a little later on a busy
            // machine; the count is taken once that has settled, and must then stay (polls are 5 ms apart).
            await Task.Delay(200, Ct);
            var after = Server.Requests.Count;
            await Task.Delay(200, Ct);
            Assert.Equal(after, Server.Requests.Count);
        }
        finally
        {
            Server.JobNeverFinishes = false;
        }
    }

    [Fact]
    public async Task AReplicatePredictionStillProcessingIsPolledAtItsUrl()
    {
        var model = UniqueModel("replicate");
        Server.ProviderMappings[model] = [new ProviderMappingEntry("replicate", "owner/flux", "text-to-image")];
        using var client = fixture.Client();
        var polls = Server.JobPolls;
        Server.JobPollsBeforeDone = 2;
        try
        {
            var image = await client.TextToImageAsync("a cat", model: model, cancellationToken: Ct);
            var submit = fixture.LastInference(r => r.Method == "POST");
            Assert.Equal("/replicate/v1/models/owner/flux/predictions", submit.Path);
            Assert.Equal("wait", submit.Header("prefer"));
            Assert.Equal("a cat", JsonDocument.Parse(submit.Body).RootElement.GetProperty("input").GetProperty("prompt").GetString());
            Assert.True(Server.JobPolls > polls);
            var gets = Server.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/replicate/v1/predictions/", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(gets);
            Assert.True(image.Bytes.Length > 8);
        }
        finally
        {
            Server.JobPollsBeforeDone = 1;
        }
    }

    [Fact]
    public void SynchronousTwinsResolveProvidersAndRunJobsToo()
    {
        var model = UniqueModel("sync");
        Server.ProviderMappings[model] =
        [
            new ProviderMappingEntry("fal-ai", "fal-ai/wan/t2v", "text-to-video"),
            new ProviderMappingEntry("together", "together-org/flux", "text-to-image"),
        ];
        using var client = fixture.Client();
        Assert.Equal(["fal-ai", "together"], client.GetProviderMapping(model, Ct).Select(m => m.Provider));
        var image = client.TextToImage("a cat", model: model, cancellationToken: Ct);
        Assert.Equal("/together/v1/images/generations", fixture.LastInference(r => r.Method == "POST").Path);
        var video = client.TextToVideo("a cat", model: model, cancellationToken: Ct);
        Assert.Equal("video/mp4", video.ContentType);
        Assert.True(image.Bytes.Length > 8);
        Assert.Equal(1, MappingCalls(model));
    }

    [Fact]
    public void PollsStartAtThePatternsIntervalAndGrowToFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), ProviderJobs.InitialInterval(ProviderJobForm.FalQueue));
        Assert.Equal(TimeSpan.FromSeconds(2), ProviderJobs.InitialInterval(ProviderJobForm.TogetherVideo));
        Assert.Equal(TimeSpan.FromSeconds(5), ProviderJobs.InitialInterval(ProviderJobForm.ZaiAsync));
        var waits = new List<double>();
        for (var wait = ProviderJobs.InitialInterval(ProviderJobForm.FalQueue); waits.Count < 8; wait = ProviderJobs.NextInterval(wait))
        {
            waits.Add(wait.TotalMilliseconds);
        }

        Assert.Equal([500, 750, 1125, 1687.5, 2531.25, 3796.875, 5000, 5000], waits);
        Assert.Equal(TimeSpan.FromSeconds(5), ProviderJobs.NextInterval(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMinutes(15), ProviderJobs.DefaultDeadline("text-to-video"));
        Assert.Equal(TimeSpan.FromMinutes(5), ProviderJobs.DefaultDeadline("text-to-image"));
    }

    [Fact]
    public void SuffixesAndProviderNamesParse()
    {
        Assert.Equal(new ModelReference("a/b", "fal-ai", null), ProviderNames.Split("a/b:fal-ai"));
        Assert.Equal(new ModelReference("a/b", null, "fastest"), ProviderNames.Split("a/b:fastest"));
        Assert.Equal(new ModelReference("a/b", null, null), ProviderNames.Split("a/b"));
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => ProviderNames.Split("a/b:sambanova")).ParamName);
        Assert.Contains("hf-inference", InferenceProviders.All);
        Assert.DoesNotContain("sambanova", InferenceProviders.All);
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
