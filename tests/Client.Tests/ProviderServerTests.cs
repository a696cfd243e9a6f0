using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The test server's Inference Providers wire (Hub mapping, router auto chat, routed and direct provider APIs, jobs,
/// result files), spoken with a plain HttpClient: the client does not call providers yet.
/// </summary>
public sealed class ProviderServerTests : IAsyncLifetime
{
    private const string HfToken = "hf_test_token_0123456789";
    private const string Flux = "black-forest-labs/FLUX.1-dev";
    private const string Llama = "meta-llama/Llama-3.3-70B-Instruct";

    private InferenceTestServer _server = null!;
    private HttpClient _http = null!;
    private HttpClient _cdn = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await InferenceTestServer.StartAsync(Ct);
        _http = new HttpClient { BaseAddress = _server.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HfToken);
        _http.DefaultRequestHeaders.Add("X-HF-Bill-To", "my-org");
        _cdn = new HttpClient();
        _server.ProviderMappings[Flux] =
        [
            new("fal-ai", "fal-ai/flux/dev", "text-to-image"),
            new("replicate", "black-forest-labs/flux-dev", "text-to-image", "staging"),
            new("together", "black-forest-labs/FLUX.1-dev", "text-to-image"),
        ];
        _server.ProviderMappings[Llama] =
        [
            new("novita", "meta-llama/llama-3.3-70b-instruct", "conversational"),
            new("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "conversational"),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _cdn.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, JsonNode Json)> GetJsonAsync(string url)
    {
        var response = await _http.GetAsync(url, Ct);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    private async Task<(HttpResponseMessage Response, JsonNode Json)> PostJsonAsync(string url, string json, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        var response = await _http.SendAsync(request, Ct);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    /// <summary>Downloads a result as the peers do: a fresh request without the API's headers.</summary>
    private async Task<(string ContentType, byte[] Bytes)> DownloadAsync(string url)
    {
        using var response = await _cdn.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType!.MediaType!, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static bool Carries(byte[] bytes, string prompt) => Encoding.ASCII.GetString(bytes).Contains(InferenceTestServer.OutputTag(prompt), StringComparison.Ordinal);

    // ---- Hub mapping ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task TheMappingIsAnObjectKeyedByProviderInTheHubsOrder()
    {
        _server.ProviderMappings["user/flux-lora"] = [new("fal-ai", "fal-ai/flux-lora", "text-to-image", Adapter: "lora", AdapterWeightsPath: "lora.safetensors")];

        var (response, json) = await GetJsonAsync($"api/models/{Flux}?expand[]=inferenceProviderMapping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Flux, json["id"]!.GetValue<string>());
        Assert.Equal(24, json["_id"]!.GetValue<string>().Length);
        var mapping = json["inferenceProviderMapping"]!.AsObject();
        Assert.Equal(["fal-ai", "replicate", "together"], mapping.Select(p => p.Key));
        Assert.Equal("""{"status":"staging","providerId":"black-forest-labs/flux-dev","task":"text-to-image"}""", mapping["replicate"]!.ToJsonString());

        var (_, lora) = await GetJsonAsync("api/models/user/flux-lora?expand=inferenceProviderMapping");
        Assert.Equal("""{"status":"live","providerId":"fal-ai/flux-lora","task":"text-to-image","adapter":"lora","adapterWeightsPath":"lora.safetensors"}""", lora["inferenceProviderMapping"]!["fal-ai"]!.ToJsonString());
    }

    [Fact]
    public async Task TheMappingCanBeAListWithProviderMembers()
    {
        _server.MappingAsList = true;

        var (_, json) = await GetJsonAsync($"api/models/{Flux}?expand=inferenceProviderMapping");

        var list = json["inferenceProviderMapping"]!.AsArray();
        Assert.Equal(["fal-ai", "replicate", "together"], list.Select(e => e!["provider"]!.GetValue<string>()));
        Assert.Equal("fal-ai/flux/dev", list[0]!["providerId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "conversational")]
    [InlineData("google-bert/bert-base-uncased", "fill-mask")]
    public async Task AServedModelWithoutAMappingMapsToHfInference(string model, string task)
    {
        var (_, json) = await GetJsonAsync($"api/models/{model}?expand%5B%5D=inferenceProviderMapping");

        Assert.Equal($$$"""{"hf-inference":{"status":"live","providerId":"{{{model}}}","task":"{{{task}}}"}}""", json["inferenceProviderMapping"]!.ToJsonString());
    }

    [Fact]
    public async Task AnUnknownModelIsRepoNotFound()
    {
        var (response, json) = await GetJsonAsync("api/models/nobody/nothing?expand[]=inferenceProviderMapping");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("RepoNotFound", response.Headers.GetValues("X-Error-Code").Single());
        Assert.Equal("Repository not found", json["error"]!.GetValue<string>());
    }

    // ---- Router auto chat ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Llama, "novita")]
    [InlineData(Llama + ":together", "together")]
    [InlineData(Llama + ":fastest", "novita")]
    [InlineData(Llama + ":cheapest", "novita")]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "hf-inference")]
    public async Task TheRouterNamesTheProviderItChose(string model, string provider)
    {
        var (response, json) = await PostJsonAsync("v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"What is the capital of France?"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(provider, response.Headers.GetValues("x-inference-provider").Single());
        Assert.Equal("The capital of France is Paris.", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheRouterStreamsAndRefusesAProviderWithoutTheModel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{Llama}}:together","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, Ct);
        var events = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("together", response.Headers.GetValues("x-inference-provider").Single());
        Assert.EndsWith("data: [DONE]\n\n", events, StringComparison.Ordinal);

        var (refused, _) = await PostJsonAsync("v1/chat/completions", $$"""{"model":"{{Llama}}:groq","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    // ---- OpenAI-compatible routes --------------------------------------------------------------------------------

    [Theory]
    [InlineData("together/v1/chat/completions")]
    [InlineData("fireworks-ai/inference/v1/chat/completions")]
    [InlineData("groq/openai/v1/chat/completions")]
    [InlineData("cerebras/v1/chat/completions")]
    [InlineData("publicai/v1/chat/completions")]
    [InlineData("baseten/v1/chat/completions")]
    [InlineData("ovhcloud/v1/chat/completions")]
    [InlineData("featherless-ai/v1/chat/completions")]
    [InlineData("nscale/v1/chat/completions")]
    [InlineData("scaleway/v1/chat/completions")]
    [InlineData("cohere/compatibility/v1/chat/completions")]
    [InlineData("novita/v3/openai/chat/completions")]
    [InlineData("deepinfra/v1/openai/chat/completions")]
    [InlineData("zai-org/api/paas/v4/chat/completions")]
    [InlineData("direct/openai/v1/chat/completions")]
    public async Task EveryProviderAnswersChatOnItsRoute(string route)
    {
        var (response, json) = await PostJsonAsync(route, """{"model":"provider/model","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider/model", json["model"]!.GetValue<string>());
        Assert.Equal("You said: hi", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatStreamsAndNeedsAModel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "deepinfra/v1/openai/chat/completions")
        {
            Content = new StringContent("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, Ct);
        Assert.Contains("chat.completion.chunk", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var (missing, error) = await PostJsonAsync("groq/openai/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("model", error["error"]!["param"]!.GetValue<string>());

        var (unserved, _) = await PostJsonAsync("groq/openai/v1/embeddings", """{"model":"m","input":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, unserved.StatusCode);
    }

    [Theory]
    [InlineData("together/v1/completions")]
    [InlineData("featherless-ai/v1/completions")]
    [InlineData("novita/v3/openai/completions")]
    [InlineData("deepinfra/v1/openai/completions")]
    public async Task CompletionsAnswerChoicesText(string route)
    {
        var (_, json) = await PostJsonAsync(route, """{"model":"m","prompt":"The capital of France is","max_tokens":10}""");

        var choice = json["choices"]![0]!;
        Assert.StartsWith(" Paris.", choice["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("length", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal(0, choice["index"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("together/v1/embeddings")]
    [InlineData("scaleway/v1/embeddings")]
    [InlineData("deepinfra/v1/openai/embeddings")]
    public async Task EmbeddingsAnswerAListOfVectors(string route)
    {
        var (_, json) = await PostJsonAsync(route, """{"model":"m","input":["a cat","a dog"]}""");

        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal("m", json["model"]!.GetValue<string>());
        var data = json["data"]!.AsArray();
        Assert.Equal([0, 1], data.Select(d => d!["index"]!.GetValue<int>()));
        Assert.Equal(8, data[0]!["embedding"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("together/v1/images/generations", "base64")]
    [InlineData("nscale/v1/images/generations", "b64_json")]
    [InlineData("deepinfra/v1/openai/images/generations", "b64_json")]
    public async Task ImagesAnswerBase64PngsOfTheirPrompt(string route, string format)
    {
        var (_, json) = await PostJsonAsync(route, $$"""{"model":"m","prompt":"a red fox","response_format":"{{format}}"}""");

        var png = Convert.FromBase64String(json["data"]![0]!["b64_json"]!.GetValue<string>());
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.True(Carries(png, "a red fox"));
    }

    [Theory]
    [InlineData("together/v1/audio/speech")]
    [InlineData("deepinfra/v1/openai/audio/speech")]
    public async Task SpeechAnswersRawWav(string route)
    {
        using var response = await _http.PostAsync(route, new StringContent("""{"model":"m","input":"hello there","voice":"af"}""", Encoding.UTF8, "application/json"), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.True(Carries(bytes, "hello there"));
    }

    // ---- fal-ai --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task FalSyncRoutesAnswerTextAudioAndImageUrls()
    {
        var (asr, text) = await PostJsonAsync("fal-ai/fal-ai/whisper", """{"audio_url":"data:audio/mpeg;base64,ZkxhQw=="}""");
        Assert.Equal(HttpStatusCode.OK, asr.StatusCode);
        Assert.Equal("hello from the local server", text["text"]!.GetValue<string>());

        var (refused, detail) = await PostJsonAsync("fal-ai/fal-ai/whisper", """{"audio_url":"data:audio/wav;base64,ZkxhQw=="}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Unsupported data URL", detail["detail"]!.GetValue<string>());

        _server.ProviderMappings["hexgrad/Kokoro-82M"] = [new("fal-ai", "fal-ai/kokoro/american-english", "text-to-speech")];
        var (_, speech) = await PostJsonAsync("fal-ai/fal-ai/kokoro/american-english", """{"text":"good morning"}""");
        var audio = await DownloadAsync(speech["audio"]!["url"]!.GetValue<string>());
        Assert.Equal("audio/wav", audio.ContentType);
        Assert.True(Carries(audio.Bytes, "good morning"));

        var (_, image) = await PostJsonAsync("fal-ai/fal-ai/flux/dev", """{"prompt":"a lighthouse","image_size":{"width":512,"height":256}}""");
        var first = image["images"]![0]!;
        Assert.Equal(512, first["width"]!.GetValue<int>());
        Assert.Equal("image/png", first["content_type"]!.GetValue<string>());
        Assert.True(Carries((await DownloadAsync(first["url"]!.GetValue<string>())).Bytes, "a lighthouse"));
        Assert.Equal(0, _server.JobPolls);
    }

    [Fact]
    public async Task AFalQueueJobGoesThroughItsStatesToAVideo()
    {
        _server.ProviderMappings["tencent/HunyuanVideo"] = [new("fal-ai", "fal-ai/hunyuan-video/v1", "text-to-video")];
        _server.JobPollsBeforeDone = 2;

        var (submitted, job) = await PostJsonAsync("fal-ai/fal-ai/hunyuan-video/v1?_subdomain=queue", """{"prompt":"a running dog"}""");
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal("IN_QUEUE", job["status"]!.GetValue<string>());
        var id = job["request_id"]!.GetValue<string>();

        // The app without the providerId's subpath, on the queue host (the server's root).
        var responseUrl = new Uri(job["response_url"]!.GetValue<string>());
        Assert.Equal(new Uri(_server.BaseUrl, $"fal-ai/hunyuan-video/requests/{id}"), responseUrl);

        // As the peers build them for the router: base + /fal-ai + path(response_url), the submit's query kept.
        var status = $"fal-ai{responseUrl.AbsolutePath}/status?_subdomain=queue";
        var (tooEarly, _) = await GetJsonAsync($"fal-ai{responseUrl.AbsolutePath}?_subdomain=queue");
        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
        var states = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            states.Add((await GetJsonAsync(status)).Json["status"]!.GetValue<string>());
        }

        Assert.Equal(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"], states);
        Assert.Equal(3, _server.JobPolls);

        var (_, result) = await GetJsonAsync($"fal-ai{responseUrl.AbsolutePath}?_subdomain=queue");
        var video = await DownloadAsync(result["video"]!["url"]!.GetValue<string>());
        Assert.Equal("video/mp4", video.ContentType);
        Assert.Equal("ftyp"u8.ToArray(), video.Bytes[4..8]);
        Assert.True(Carries(video.Bytes, "a running dog"));

        // The response_url itself (the queue host's path) answers too.
        Assert.Equal(result.ToJsonString(), (await GetJsonAsync(responseUrl.ToString())).Json.ToJsonString());

        var download = Assert.Single(_server.OutputDownloads);
        Assert.Null(download.Header("authorization"));
        Assert.Equal(0, _server.AuthorizedOutputDownloads);
        Assert.Equal("Bearer " + HfToken, _server.Requests.First(r => r.Method == "POST").Header("authorization"));
    }

    [Fact]
    public async Task FalSegmentationAnswersAMaskImageAndAFailureCompletesWithAnError()
    {
        _server.JobPollsBeforeDone = 0;
        var (_, job) = await PostJsonAsync("fal-ai/fal-ai/sam?_subdomain=queue", """{"image_url":"data:image/png;base64,iVBORw0K","sync_mode":true}""");
        var path = new Uri(job["response_url"]!.GetValue<string>()).AbsolutePath;
        Assert.Equal("COMPLETED", (await GetJsonAsync($"fal-ai{path}/status?_subdomain=queue")).Json["status"]!.GetValue<string>());
        var (_, result) = await GetJsonAsync($"fal-ai{path}?_subdomain=queue");
        Assert.StartsWith("data:image/png;base64,", result["image"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);

        _server.JobFailure = "CUDA out of memory";
        var (_, failing) = await PostJsonAsync("fal-ai/fal-ai/flux/dev?_subdomain=queue", """{"prompt":"x"}""");
        var failingPath = new Uri(failing["response_url"]!.GetValue<string>()).AbsolutePath;
        var (_, status) = await GetJsonAsync($"fal-ai{failingPath}/status?_subdomain=queue");
        Assert.Equal("COMPLETED", status["status"]!.GetValue<string>());
        Assert.Equal("CUDA out of memory", status["error"]!.GetValue<string>());
        var (failed, detail) = await GetJsonAsync($"fal-ai{failingPath}?_subdomain=queue");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("CUDA out of memory", detail["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task DirectFalQueueCallsUseTheQueueHostAndKeepTheKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.BaseUrl, $"direct/{InferenceTestServer.FalQueueHost}/fal-ai/flux/dev"))
        {
            Content = new StringContent("""{"prompt":"a boat"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Key", "fal-secret");
        using var response = await _cdn.SendAsync(request, Ct);
        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        var responseUrl = job["response_url"]!.GetValue<string>();
        Assert.StartsWith(new Uri(_server.BaseUrl, "direct/fal-ai-queue/fal-ai/flux/requests/").ToString(), responseUrl, StringComparison.Ordinal);
        Assert.Equal("Key fal-secret", _server.Requests.Last().Header("authorization"));
        _server.JobPollsBeforeDone = 0;
        Assert.Equal("COMPLETED", (await GetJsonAsync(responseUrl + "/status")).Json["status"]!.GetValue<string>());
        Assert.NotNull((await GetJsonAsync(responseUrl)).Json["images"]);
    }

    // ---- replicate -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReplicateWaitedOnAnswersTheOutputAndOtherwiseIsPolledAtUrlsGet()
    {
        var (waited, prediction) = await PostJsonAsync("replicate/v1/models/black-forest-labs/flux-dev/predictions", """{"input":{"prompt":"a castle"}}""", r => r.Headers.Add("Prefer", "wait"));
        Assert.Equal(HttpStatusCode.Created, waited.StatusCode);
        Assert.Equal("processing", prediction["status"]!.GetValue<string>());
        var image = await DownloadAsync(prediction["output"]![0]!.GetValue<string>());
        Assert.True(Carries(image.Bytes, "a castle"));

        var (started, pending) = await PostJsonAsync("replicate/v1/predictions", """{"input":{"text":"hi"},"version":"dfdf537b"}""");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("starting", pending["status"]!.GetValue<string>());
        Assert.Null(pending["output"]);
        var get = pending["urls"]!["get"]!.GetValue<string>();
        Assert.Equal(new Uri(_server.BaseUrl, "v1/predictions/" + pending["id"]!.GetValue<string>()).ToString(), get);

        Assert.Equal("processing", (await GetJsonAsync(get)).Json["status"]!.GetValue<string>());
        var (_, done) = await GetJsonAsync("replicate" + new Uri(get).AbsolutePath);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        var speech = await DownloadAsync(done["output"]!.GetValue<string>());
        Assert.Equal("audio/wav", speech.ContentType);
        Assert.Equal(2, _server.JobPolls);

        var (invalid, problem) = await PostJsonAsync("replicate/v1/predictions", """{"provider":"replicate","input":{"prompt":"x"},"version":"v"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("Additional property provider is not allowed", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplicatePredictionThatNeverFinishesAnswers202WithoutOutput()
    {
        _server.JobNeverFinishes = true;
        var (response, prediction) = await PostJsonAsync("replicate/v1/models/owner/name/predictions", """{"input":{"prompt":"x"}}""", r => r.Headers.Add("Prefer", "wait"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("starting", prediction["status"]!.GetValue<string>());
        Assert.Null(prediction["output"]);
    }

    // ---- together, wavespeed, novita, zai-org ----------------------------------------------------------------------

    [Fact]
    public async Task ATogetherVideoJobIsPolledUntilCompletedAndCanFail()
    {
        var (_, job) = await PostJsonAsync("together/v2/videos", """{"model":"Wan-AI/Wan2.2-T2V-A14B","prompt":"waves"}""");
        Assert.Equal("queued", job["status"]!.GetValue<string>());
        var status = "together/v2/videos/" + job["id"]!.GetValue<string>();

        Assert.Equal("in_progress", (await GetJsonAsync(status)).Json["status"]!.GetValue<string>());
        var (_, done) = await GetJsonAsync(status);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.True(Carries((await DownloadAsync(done["outputs"]!["video_url"]!.GetValue<string>())).Bytes, "waves"));

        _server.JobFailure = "content policy";
        var (_, failing) = await PostJsonAsync("together/v2/videos", """{"model":"m","prompt":"x"}""");
        var failingStatus = "together/v2/videos/" + failing["id"]!.GetValue<string>();
        await GetJsonAsync(failingStatus);
        var (_, failed) = await GetJsonAsync(failingStatus);
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("content policy", failed["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWavespeedTaskIsPolledAtItsResultUrl()
    {
        _server.JobPollsBeforeDone = 3;
        var (_, submitted) = await PostJsonAsync("wavespeed/api/v3/wavespeed-ai/flux-dev", """{"prompt":"a tree"}""");
        var get = new Uri(submitted["data"]!["urls"]!["get"]!.GetValue<string>());
        Assert.Equal("created", submitted["data"]!["status"]!.GetValue<string>());

        var states = new List<string>();
        JsonNode last;
        do
        {
            last = (await GetJsonAsync("wavespeed" + get.AbsolutePath)).Json;
            states.Add(last["data"]!["status"]!.GetValue<string>());
        }
        while (states[^1] != "completed" && states.Count < 10);

        Assert.Equal(["created", "created", "processing", "completed"], states);
        Assert.True(Carries((await DownloadAsync(last["data"]!["outputs"]![0]!.GetValue<string>())).Bytes, "a tree"));
    }

    [Fact]
    public async Task ANovitaAsyncTaskSucceedsWithAVideo()
    {
        var (_, submitted) = await PostJsonAsync("novita/v3/async/wan-t2v", """{"prompt":"a cat surfing"}""");
        var result = "novita/v3/async/task-result?task_id=" + submitted["task_id"]!.GetValue<string>();

        Assert.Equal("TASK_STATUS_PROCESSING", (await GetJsonAsync(result)).Json["task"]!["status"]!.GetValue<string>());
        var (_, done) = await GetJsonAsync(result);
        Assert.Equal("TASK_STATUS_SUCCEED", done["task"]!["status"]!.GetValue<string>());
        var video = await DownloadAsync(done["videos"]![0]!["video_url"]!.GetValue<string>());
        Assert.Equal("video/mp4", video.ContentType);
    }

    [Fact]
    public async Task AZaiImageTaskEndsInSuccessOrFail()
    {
        var (_, submitted) = await PostJsonAsync("zai-org/api/paas/v4/async/images/generations", """{"model":"glm-image","prompt":"a mountain"}""");
        Assert.Equal("PROCESSING", submitted["task_status"]!.GetValue<string>());
        var poll = "zai-org/api/paas/v4/async-result/" + submitted["id"]!.GetValue<string>();
        Assert.Equal("PROCESSING", (await GetJsonAsync(poll)).Json["task_status"]!.GetValue<string>());
        var (_, done) = await GetJsonAsync(poll);
        Assert.Equal("SUCCESS", done["task_status"]!.GetValue<string>());
        Assert.True(Carries((await DownloadAsync(done["image_result"]![0]!["url"]!.GetValue<string>())).Bytes, "a mountain"));

        _server.JobFailure = "sensitive content";
        _server.JobPollsBeforeDone = 0;
        var (_, failing) = await PostJsonAsync("zai-org/api/paas/v4/async/images/generations", """{"model":"glm-image","prompt":"x"}""");
        Assert.Equal("FAIL", (await GetJsonAsync("zai-org/api/paas/v4/async-result/" + failing["id"]!.GetValue<string>())).Json["task_status"]!.GetValue<string>());
    }

    // ---- scripting and recording ---------------------------------------------------------------------------------

    [Fact]
    public async Task AScriptedErrorAnswersAPollWithoutMovingTheJob()
    {
        var (_, job) = await PostJsonAsync("together/v2/videos", """{"model":"m","prompt":"x"}""");
        var status = "together/v2/videos/" + job["id"]!.GetValue<string>();
        _server.Enqueue(ScriptedResponse.TooManyRequests(1), ScriptedResponse.Error(500, "boom"));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await _http.GetAsync(status, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _http.GetAsync(status, Ct)).StatusCode);
        Assert.Equal(0, _server.JobPolls);
        Assert.Equal("in_progress", (await GetJsonAsync(status)).Json["status"]!.GetValue<string>());
        Assert.Equal(1, _server.JobPolls);
    }

    [Fact]
    public async Task AJobThatNeverFinishesStaysRunning()
    {
        _server.JobNeverFinishes = true;
        var (_, job) = await PostJsonAsync("fal-ai/fal-ai/flux/dev?_subdomain=queue", """{"prompt":"x"}""");
        var status = $"fal-ai{new Uri(job["response_url"]!.GetValue<string>()).AbsolutePath}/status?_subdomain=queue";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("IN_PROGRESS", (await GetJsonAsync(status)).Json["status"]!.GetValue<string>());
        }

        Assert.Equal(5, _server.JobPolls);
    }

    [Fact]
    public async Task DownloadsAreRecordedWithTheHeadersTheyCarried()
    {
        var (_, image) = await PostJsonAsync("together/v1/images/generations", """{"model":"m","prompt":"a moon","response_format":"url"}""");
        var url = image["data"]![0]!["url"]!.GetValue<string>();
        Assert.StartsWith(new Uri(_server.BaseUrl, "outputs/").ToString(), url, StringComparison.Ordinal);

        await DownloadAsync(url);
        Assert.Equal(0, _server.AuthorizedOutputDownloads);
        using var leaky = await _http.GetAsync(url, Ct);

        Assert.Equal(1, _server.AuthorizedOutputDownloads);
        Assert.Equal(2, _server.OutputDownloads.Count);
        Assert.Equal("my-org", _server.OutputDownloads[1].Header("x-hf-bill-to"));
        Assert.Equal(HttpStatusCode.NotFound, (await _cdn.GetAsync(new Uri(_server.BaseUrl, "outputs/nothing.png"), Ct)).StatusCode);
    }
}
