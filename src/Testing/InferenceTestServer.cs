using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// A local server that speaks the Hugging Face inference protocol on 127.0.0.1 (a random port),
/// over real sockets. Point a client's <c>RouterUrl</c> at <see cref="BaseUrl"/> (model ids) or use
/// <see cref="EndpointUrl"/> as a deployed endpoint's URL. It records every request it receives,
/// and answers with <see cref="Enqueue"/>d errors, 503 "loading" or delays when told to.
/// </summary>
/// <remarks>
/// Routes: <c>POST /hf-inference/models/{id}</c> (the task comes from <see cref="Models"/>),
/// <c>POST /hf-inference/models/{id}/pipeline/{task}</c>, <c>POST /endpoints/{task}</c>,
/// <c>GET /endpoints/{task}/health</c>, <c>GET /endpoints/{task}/info</c>, <c>GET /files/{name}</c>
/// (sample inputs: <c>cat.png</c>, <c>speech.flac</c>), and the legacy API's <c>GET /status/{id}</c>,
/// <c>GET /framework/{name}</c>, <c>GET /models/{id}/info</c>, <c>POST /pipeline/{task}/{id}</c>, <c>POST /models/{id}</c>;
/// and a fake Inference Endpoints management API (<c>/v2/endpoint/…</c>, <c>/v2/provider/…</c>, the Hub's
/// <c>/api/whoami-v2</c>) whose endpoints are served at <c>/managed/{name}</c>.
/// <para>
/// Inference Providers (shapes as huggingface_hub and huggingface.js send and read them): the Hub's
/// <c>GET /api/models/{id}?expand[]=inferenceProviderMapping</c> (or <c>expand=</c>) from <see cref="ProviderMappings"/>
/// (404 <c>RepoNotFound</c> for an unknown model); the router's <c>POST /v1/chat/completions</c>, whose <c>model</c> may end in
/// <c>:{provider}</c>, <c>:fastest</c>, <c>:cheapest</c> or <c>:preferred</c>, answering the <c>x-inference-provider</c> header;
/// and the providers' APIs as the router serves them at <c>/{provider}/…</c>, answered the same at <c>/direct/{provider}/…</c>
/// (a provider key, its own host):
/// OpenAI-style chat, completions, embeddings, images, speech and transcriptions at together <c>/v1</c>, fireworks-ai
/// <c>/inference/v1</c>, groq <c>/openai/v1</c>, cerebras, publicai, baseten, ovhcloud, featherless-ai, nscale, scaleway and
/// (direct only) openai <c>/v1</c>, cohere <c>/compatibility/v1</c>, novita <c>/v3/openai</c>, deepinfra <c>/v1/openai</c>,
/// zai-org <c>/api/paas/v4</c> (each only the operations its peers call); fal-ai <c>POST /fal-ai/{providerId}</c> (synchronous,
/// fal.run) or with <c>?_subdomain=queue</c> (queue.fal.run; direct: <c>/direct/fal-ai-queue/{providerId}</c>), then
/// <c>GET …/{app}/requests/{id}/status</c> and <c>GET …/{app}/requests/{id}</c>; replicate <c>POST /replicate/v1/models/{owner}/{name}/predictions</c>
/// and <c>/replicate/v1/predictions</c> (<c>version</c>), <c>GET urls.get</c>; together <c>POST /together/v2/videos</c>,
/// <c>GET /together/v2/videos/{id}</c>; wavespeed <c>POST /wavespeed/api/v3/{providerId}</c>, <c>GET urls.get</c>
/// (<c>/api/v3/predictions/{id}/result</c>); novita <c>POST /novita/v3/async/{providerId}</c>,
/// <c>GET /novita/v3/async/task-result?task_id=</c>, and the synchronous <c>POST /novita/v3/hf/{providerId}</c>; zai-org
/// <c>POST /zai-org/api/paas/v4/async/images/generations</c>, <c>GET /zai-org/api/paas/v4/async-result/{id}</c>,
/// <c>POST /zai-org/api/paas/v4/layout_parsing</c>. The URLs a provider answers (fal's <c>response_url</c>, replicate's and
/// wavespeed's <c>urls.get</c>) are on the provider host's stand-in: the server's root for routed calls, <c>/direct/{provider}/</c>
/// for direct ones; they answer there and, as the peers rebuild them, under <c>/{provider}</c>. Jobs follow
/// <see cref="JobPollsBeforeDone"/>, <see cref="JobFailure"/> and <see cref="JobNeverFinishes"/>. Result files are served at
/// <c>GET /outputs/{name}</c> (PNG, MP4 boxes, WAV) carrying <see cref="OutputTag"/> of their request.
/// </para>
/// </remarks>
public sealed class InferenceTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();

    private readonly EndpointsApi _endpoints;
    private readonly ProviderApis _providers;

    private InferenceTestServer(WebApplication app)
    {
        _app = app;
        _endpoints = new EndpointsApi(() => BaseUrl);
        _providers = new ProviderApis(() => BaseUrl, Models);
    }

    /// <summary>
    /// The Hub's Inference Providers mapping: model id → its entries, in the Hub's order (the first is what
    /// "auto" picks). A model without an entry here but in <see cref="Models"/> maps to one hf-inference entry;
    /// an empty list answers an empty mapping.
    /// </summary>
    public ConcurrentDictionary<string, IReadOnlyList<ProviderMappingEntry>> ProviderMappings => _providers.Mappings;

    /// <summary>Answers <c>inferenceProviderMapping</c> as a list of entries with a <c>provider</c> member (the newer form) instead of an object keyed by provider.</summary>
    public bool MappingAsList
    {
        get => _providers.MappingAsList;
        set => _providers.MappingAsList = value;
    }

    /// <summary>
    /// How many status polls of a provider job answer a pending state before the next answers done (or failed), for
    /// every job kind. The submission always answers pending (a replicate prediction waited on with <c>Prefer: wait</c>
    /// excepted: with 0 it is done at once); the last pending poll says "running" (fal IN_PROGRESS, together
    /// in_progress …), earlier ones "queued".
    /// </summary>
    public int JobPollsBeforeDone
    {
        get => _providers.Jobs.PollsBeforeDone;
        set => _providers.Jobs.PollsBeforeDone = value;
    }

    /// <summary>When set, provider jobs end in the provider's failed state with this message (fal: COMPLETED with <c>error</c>, then a 500 result).</summary>
    public string? JobFailure
    {
        get => _providers.Jobs.Failure;
        set => _providers.Jobs.Failure = value;
    }

    /// <summary>Provider jobs stay pending ("running") however often they are polled; a replicate prediction waited on answers 202 "starting" without output.</summary>
    public bool JobNeverFinishes
    {
        get => _providers.Jobs.NeverFinishes;
        set => _providers.Jobs.NeverFinishes = value;
    }

    /// <summary>How many status polls the provider job routes answered (a scripted answer in a poll's place is not one, and does not move the job).</summary>
    public int JobPolls => _providers.Jobs.Polls;

    /// <summary>The downloads of result files (<c>GET /outputs/{name}</c>), in order; their headers show what the client sent.</summary>
    public IReadOnlyList<RecordedRequest> OutputDownloads => [.. _requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/outputs/", StringComparison.Ordinal))];

    /// <summary>How many result downloads carried an <c>Authorization</c> or <c>X-HF-Bill-To</c> header (clients must send neither to a CDN).</summary>
    public int AuthorizedOutputDownloads => _providers.Jobs.AuthorizedDownloads;

    /// <summary>
    /// The tag a result file made from <paramref name="requestText"/> carries in its bytes (ASCII, in a PNG tEXt chunk, an MP4
    /// free box, a WAV INFO chunk): the request's prompt (or text, input), else its input image string as sent.
    /// </summary>
    public static string OutputTag(string requestText) => ProviderMedia.Tag(requestText);

    /// <summary>The stand-in, under <c>/direct/</c>, for fal's queue host (queue.fal.run): <c>/direct/fal-ai-queue/{providerId}</c>.</summary>
    public const string FalQueueHost = ProviderApis.FalQueueHost;

    /// <summary>How many endpoints a page of the fake management API's list holds (small, to exercise paging).</summary>
    public int EndpointsPageSize
    {
        get => _endpoints.PageSize;
        set => _endpoints.PageSize = value;
    }

    /// <summary>The repository that makes the fake management API fail an endpoint's start or update.</summary>
    public const string FailingRepository = EndpointsApi.FailingRepository;

    /// <summary>The models of the fake Inference Catalog (<c>GET /api/catalog</c>); <c>POST /api/catalog/deploy</c> creates one as a text-classification endpoint.</summary>
    public static System.Collections.Generic.IReadOnlyList<string> CatalogModels => EndpointsApi.CatalogModels;

    /// <summary>The user the fake Hub says a token belongs to.</summary>
    public const string User = EndpointsApi.User;

    /// <summary>The server's root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Which task each model id serves; holds the client's recommended models and any the test adds.</summary>
    public ConcurrentDictionary<string, string> Models { get; } = new(StringComparer.Ordinal);

    private int _disconnects;
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);

    /// <summary>How many distinct TCP connections have sent requests.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>How many streamed answers were cut short because the client went away.</summary>
    public int Disconnects => Volatile.Read(ref _disconnects);

    /// <summary>A pause between the events of every streamed chat and generation answer.</summary>
    public TimeSpan StreamEventDelay { get; set; }

    /// <summary>Waits until <see cref="Disconnects"/> reaches <paramref name="count"/>, or the timeout; returns whether it did.</summary>
    public async Task<bool> WaitForDisconnectsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Disconnects < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        return Disconnects >= count;
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    public static Task<InferenceTestServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(IPAddress.Loopback, cancellationToken);

    /// <summary>Starts a server on a loopback <paramref name="address"/> (127.0.0.2 is "another host" for the client) and a free port.</summary>
    public static async Task<InferenceTestServer> StartAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("The test server only listens on loopback addresses.", nameof(address));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(address, 0));
        var app = builder.Build();
        var server = new InferenceTestServer(app);
        foreach (var (model, task) in DefaultModels)
        {
            server.Models[model] = task;
        }

        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(listening.EndsWith('/') ? listening : listening + "/");
        return server;
    }

    /// <summary>The URL of a local "deployed endpoint" serving <paramref name="task"/>.</summary>
    public Uri EndpointUrl(string task) => new(BaseUrl, "endpoints/" + task);

    /// <summary>The URL of a sample input file (<c>cat.png</c>, <c>speech.flac</c>).</summary>
    public Uri FileUrl(string name) => new(BaseUrl, "files/" + name);

    /// <summary>Answers the next requests, one each, with <paramref name="responses"/> instead of the task's answer (Hub mapping calls excepted).</summary>
    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>Drops scripted answers not used yet.</summary>
    public void ClearScript() => _script.Clear();

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static readonly (string Model, string Task)[] DefaultModels =
    [
        ("distilbert/distilbert-base-uncased-finetuned-sst-2-english", "text-classification"),
        ("dbmdz/bert-large-cased-finetuned-conll03-english", "token-classification"),
        ("google-bert/bert-base-uncased", "fill-mask"),
        ("facebook/bart-large-cnn", "summarization"),
        ("google-t5/t5-base", "translation"),
        ("deepset/roberta-base-squad2", "question-answering"),
        ("google/tapas-base-finetuned-wtq", "table-question-answering"),
        ("facebook/bart-large-mnli", "zero-shot-classification"),
        ("openai/clip-vit-large-patch14-336", "zero-shot-image-classification"),
        ("google/vit-base-patch16-224", "image-classification"),
        ("nvidia/segformer-b0-finetuned-ade-512-512", "image-segmentation"),
        ("facebook/detr-resnet-50", "object-detection"),
        ("Salesforce/blip-image-captioning-large", "image-to-text"),
        ("timbrooks/instruct-pix2pix", "image-to-image"),
        ("stabilityai/stable-diffusion-xl-base-1.0", "text-to-image"),
        ("espnet/kan-bayashi_ljspeech_vits", "text-to-speech"),
        ("openai/whisper-large-v3", "automatic-speech-recognition"),
        ("superb/hubert-large-superb-er", "audio-classification"),
        ("speechbrain/sepformer-wham", "audio-to-audio"),
        ("impira/layoutlm-document-qa", "document-question-answering"),
        ("dandelin/vilt-b32-finetuned-vqa", "visual-question-answering"),
        ("julien-c/wine-quality", "tabular-classification"),
        ("scikit-learn/Fish-Weight", "tabular-regression"),
        ("meta-llama/Llama-3.1-8B-Instruct", "text-generation"),
        ("Wan-AI/Wan2.2-TI2V-5B", "text-to-video"),
        ("Wan-AI/Wan2.2-I2V-A14B", "image-to-video"),
        ("black-forest-labs/FLUX.2-dev", "image-text-to-image"),
        ("Lightricks/LTX-Video", "image-text-to-video"),
        ("facebook/musicgen-small", "text-to-audio"),
    ];

    private async Task HandleAsync(HttpContext context)
    {
        _connections.TryAdd(context.Connection.Id, 0);
        var request = await RecordAsync(context).ConfigureAwait(false);
        _requests.Enqueue(request);

        // Scripts are for inference calls: a Hub mapping call (answered from ProviderMappings) never takes one.
        var isHubCall = request.Method == "GET" && request.Path.StartsWith("/api/models/", StringComparison.Ordinal);
        if (!isHubCall && _script.TryDequeue(out var scripted))
        {
            if (scripted.Delay > TimeSpan.Zero)
            {
                await Task.Delay(scripted.Delay, context.RequestAborted).ConfigureAwait(false);
            }

            if (scripted.AbortAfterBytes is { } cut)
            {
                if (cut > 0)
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(scripted.Body ?? string.Empty);
                    context.Response.StatusCode = scripted.Status;
                    context.Response.ContentType = scripted.ContentType;
                    context.Response.ContentLength = bytes.Length;
                    await context.Response.Body.WriteAsync(bytes.AsMemory(0, Math.Min(cut, bytes.Length)), context.RequestAborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

                    // Flushed is not yet sent: an abort now could discard the headers, turning a cut
                    // answer into no answer at all. Let the bytes leave first.
                    await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted).ConfigureAwait(false);
                }

                context.Abort();
                return;
            }

            if (scripted.WriteBody != null)
            {
                await HostileAnswers.WriteAsync(context, scripted, () => Interlocked.Increment(ref _disconnects)).ConfigureAwait(false);
                return;
            }

            if (scripted.Chunks != null)
            {
                await StreamAsync(context, scripted.ContentType, scripted.Chunks, scripted.ChunkDelay).ConfigureAwait(false);
                if (scripted.ResetAfterChunks)
                {
                    // Let the chunks leave before the reset, or it could discard them.
                    await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted).ConfigureAwait(false);
                    context.Abort();
                }

                return;
            }

            if (!scripted.ThenAnswerNormally)
            {
                foreach (var (name, value) in scripted.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await WriteAsync(context, scripted.Status, scripted.ContentType, scripted.BodyBytes ?? (scripted.Body == null ? [] : System.Text.Encoding.UTF8.GetBytes(scripted.Body))).ConfigureAwait(false);
                return;
            }
        }

        if (_providers.Handle(request) is { } provided)
        {
            foreach (var (name, value) in provided.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (provided.Events != null)
            {
                await StreamAsync(context, provided.ContentType, provided.Events, StreamEventDelay).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(context, provided.Status, provided.ContentType, provided.Body).ConfigureAwait(false);
            }

            return;
        }

        if (StreamedAnswer(request) is { } events)
        {
            await StreamAsync(context, "text/event-stream", events, StreamEventDelay).ConfigureAwait(false);
            return;
        }

        var (status, contentType, body) = Route(request);
        await WriteAsync(context, status, contentType, body).ConfigureAwait(false);
    }

    /// <summary>The events of a chat or text-generation request that asked to stream, else null.</summary>
    private IEnumerable<string>? StreamedAnswer(RecordedRequest request)
    {
        if (request.Method != "POST" || request.ContentType != "application/json")
        {
            return null;
        }

        System.Text.Json.Nodes.JsonObject? body;
        try
        {
            body = System.Text.Json.Nodes.JsonNode.Parse(request.Body) as System.Text.Json.Nodes.JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        if (body?["stream"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            return null;
        }

        if (request.Path.EndsWith("/v1/chat/completions", StringComparison.Ordinal))
        {
            // A refused conversation is answered by Route, with its 400.
            if (ToolChatAnswers.Invalid(body) != null)
            {
                return null;
            }

            return ChatAnswers.CompletionEvents(body, body["model"]?.GetValue<string>() ?? "local");
        }

        var segments = request.Path.Trim('/').Split('/');
        var task = segments is ["endpoints", var endpointTask] ? endpointTask
            : segments.Length >= 3 && segments[0] == "hf-inference" && Models.TryGetValue(string.Join('/', segments[2..]), out var modelTask) ? modelTask
            : null;
        return task == "text-generation" ? ChatAnswers.GenerationEvents(body) : null;
    }

    private async Task StreamAsync(HttpContext context, string contentType, IEnumerable<string> chunks, TimeSpan delay)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-request-id"] = "local-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            var first = true;
            foreach (var chunk in chunks)
            {
                if (!first && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
                }

                first = false;
                await context.Response.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // A write to a client that left fails either way: cancelled by RequestAborted, or reset first.
            Interlocked.Increment(ref _disconnects);
        }
    }

    private (int, string, byte[]) Route(RecordedRequest request)
    {
        if (request.Method == "POST" && request.Path.EndsWith("/v1/chat/completions", StringComparison.Ordinal))
        {
            if (request.ContentType != "application/json" || System.Text.Json.Nodes.JsonNode.Parse(request.Body) is not System.Text.Json.Nodes.JsonObject chat)
            {
                return TaskAnswers.Error(400, "A chat completion needs a JSON object body.");
            }

            if (ToolChatAnswers.Invalid(chat) is { } refused)
            {
                return TaskAnswers.Error(400, refused);
            }

            return chat["messages"] is System.Text.Json.Nodes.JsonArray { Count: > 0 }
                ? (200, "application/json", ChatAnswers.Completion(chat, chat["model"]?.GetValue<string>() ?? "local"))
                : TaskAnswers.Error(422, "Input validation error: `messages` must not be empty");
        }

        var segments = request.Path.Trim('/').Split('/');
        if (_endpoints.Handle(request, segments) is { } management)
        {
            return management;
        }

        if (request.Method == "POST" && segments is ["managed", var managedName])
        {
            return TaskAnswers.Answer(_endpoints.TaskOf(managedName) ?? "text-classification", request);
        }

        if (request.Method == "GET" && segments is ["files", var file])
        {
            return file switch
            {
                "cat.png" => (200, "image/png", TaskAnswers.Png),
                "speech.flac" => (200, "audio/flac", TaskAnswers.Flac),
                _ => TaskAnswers.Error(404, $"No file '{file}'."),
            };
        }

        if (segments is ["endpoints", var endpointTask, ..])
        {
            if (request.Method == "GET" && segments.Length == 3)
            {
                return segments[2] switch
                {
                    "health" => (200, "application/json", "{}"u8.ToArray()),
                    "info" => (200, "application/json", System.Text.Encoding.UTF8.GetBytes($$"""{"model_id":"local/{{endpointTask}}","task":"{{endpointTask}}","framework":"pytorch"}""")),
                    _ => TaskAnswers.Error(404, "Not found."),
                };
            }

            return request.Method == "POST" && segments.Length == 2
                ? TaskAnswers.Answer(endpointTask, request)
                : TaskAnswers.Error(404, "Not found.");
        }

        // The legacy serverless API (InferenceApiUrl): status, frameworks, model info, /pipeline/{task}/{id}, /models/{id}.
        if (request.Method == "GET" && segments is ["status", .. var statusModel] && statusModel.Length > 0)
        {
            var id = string.Join('/', statusModel);
            return Models.ContainsKey(id)
                ? (200, "application/json", "{\"loaded\":true,\"state\":\"Loaded\",\"compute_type\":\"cpu\",\"framework\":\"transformers\"}"u8.ToArray())
                : TaskAnswers.Error(404, $"Model {id} does not exist");
        }

        if (request.Method == "GET" && segments is ["framework", var framework])
        {
            var entries = Models.Where(_ => framework == "transformers").OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new { model_id = m.Key, task = m.Value, compute_type = "cpu" });
            return (200, "application/json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entries));
        }

        if (request.Method == "GET" && segments.Length >= 3 && segments[0] == "models" && segments[^1] == "info")
        {
            var id = string.Join('/', segments[1..^1]);
            return Models.TryGetValue(id, out var infoTask)
                ? (200, "application/json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { model_id = id, task = infoTask, framework = "transformers" }))
                : TaskAnswers.Error(404, $"Model {id} does not exist");
        }

        if (request.Method == "POST" && segments is ["pipeline", var legacyTask, .. var legacyModel] && legacyModel.Length > 0)
        {
            return TaskAnswers.Answer(legacyTask, request);
        }

        if (request.Method == "POST" && segments.Length >= 2 && segments[0] == "models")
        {
            var id = string.Join('/', segments[1..]);
            return Models.TryGetValue(id, out var legacyModelTask) ? TaskAnswers.Answer(legacyModelTask, request) : TaskAnswers.Error(404, $"Model {id} does not exist");
        }

        if (request.Method == "POST" && segments.Length >= 4 && segments[0] == "hf-inference" && segments[1] == "models")
        {
            var pipeline = Array.IndexOf(segments, "pipeline");
            var modelEnd = pipeline > 0 ? pipeline : segments.Length;
            var model = string.Join('/', segments[2..modelEnd]);
            string? task = pipeline > 0 && pipeline + 1 < segments.Length ? segments[pipeline + 1] : null;
            if (task == null && !Models.TryGetValue(model, out task))
            {
                return TaskAnswers.Error(404, $"Model {model} does not exist");
            }

            return TaskAnswers.Answer(task, request);
        }

        return TaskAnswers.Error(404, $"No route for {request.Method} {request.Path}.");
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        var rawPath = raw.Split('?')[0];
        return new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, rawPath, context.Request.QueryString.Value ?? string.Empty, headers, buffer.ToArray());
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.Headers["x-request-id"] = context.Response.Headers.TryGetValue("x-request-id", out var id) && id.Count > 0 ? id : "local-" + Guid.NewGuid().ToString("N")[..12];
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
