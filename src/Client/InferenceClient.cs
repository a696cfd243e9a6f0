using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference;

/// <summary>
/// Runs inference tasks on Hugging Face models: the serverless router for model ids, or any
/// deployed endpoint URL. One method per task (generated from specs/inference/tasks.json and the
/// task schemas), each with a synchronous twin. One HttpClient is reused for every call.
/// </summary>
public sealed partial class InferenceClient : IDisposable
{
    private readonly InferenceTransport _transport;
    private readonly Providers.ProviderRouter _router;
    private readonly Providers.ProviderJobs _jobs;

    /// <summary>A client for <paramref name="model"/> (an id or an endpoint URL; null: each task's recommended model).</summary>
    /// <param name="model">A model id or endpoint URL, or null.</param>
    /// <param name="token">The Hugging Face token; null finds it in the environment like the Python client.</param>
    public InferenceClient(string? model = null, string? token = null)
        : this(new InferenceClientOptions { Model = model, Token = token })
    {
    }

    /// <summary>A client with <paramref name="options"/>, on <paramref name="httpClient"/> when given (the caller keeps ownership).</summary>
    /// <exception cref="ArgumentException">The options contradict each other (Model and BaseUrl both set, a non-http URL …).</exception>
    public InferenceClient(InferenceClientOptions options, HttpClient? httpClient = null)
        : this(options, httpClient, calls: null)
    {
    }

    /// <summary>
    /// A client on a chain split at its <see cref="InferencePolicyHandler"/>: attempts through <paramref name="httpClient"/>
    /// (the handlers after it), each call once through <paramref name="calls"/> (the handlers before it) when there are any.
    /// </summary>
    internal InferenceClient(InferenceClientOptions options, HttpClient? httpClient, HttpMessageHandler? calls)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The copy is what is checked and what every call reads: later changes to the caller's object cannot reach it.
        var frozen = options.Freeze();
        frozen.Validate();
        _transport = new InferenceTransport(frozen, httpClient, calls);
        _router = new Providers.ProviderRouter(_transport);
        _jobs = new Providers.ProviderJobs(_transport, _router);
    }

    internal Providers.ProviderRouter Router => _router;

    internal Providers.ProviderJobs Jobs => _jobs;

    /// <summary>
    /// A read-only copy of the options the client was made with, the one its calls read: changing the original
    /// afterwards does not change the client, and this copy cannot be changed (setting a property throws
    /// <see cref="InvalidOperationException"/>, changing a dictionary <see cref="NotSupportedException"/>).
    /// </summary>
    public InferenceClientOptions Options => _transport.Options;

    internal InferenceTransport Transport => _transport;

    /// <summary>Closes the client's own HttpClient (not one passed in).</summary>
    public void Dispose() => _transport.Dispose();

    /// <summary>Sends a task's input record as JSON and reads the answer as the task says.</summary>
    /// <remarks>
    /// The common call (the same endpoint URL as the last call's, no response cache for the task, nobody listening
    /// to the telemetry) goes straight to the transport's attempts, which own the call's deadline: one async
    /// method of ours per call instead of three (this one, <see cref="SendJsonRoutedAsync{TInput, TOutput}"/> and
    /// the attempts). Everything else takes <see cref="SendJsonWithinDeadlineAsync{TInput, TOutput}"/>.
    /// </remarks>
    internal ValueTask<TOutput> SendJsonCoreAsync<TInput, TOutput>(InferenceTask task, TInput body, string? model, bool async, CancellationToken cancellationToken)
    {
        if (!_router.TryCachedRoute(model, out var route) || !route.IsHfInferenceWire || !task.Renames.IsEmpty
            || InferenceTelemetry.IsListened || Options.ResponseCache is { } cache && cache.Tasks.Contains(task.Name))
        {
            return SendJsonWithinDeadlineAsync<TInput, TOutput>(task, body, model, async, cancellationToken);
        }

        byte[] json;
        try
        {
            json = InferenceJson.Bytes(body, InferenceJson.WriteOptions);
        }
        catch (Exception exception)
        {
            // As from the async path: a failure is the returned task's, not a throw from the call.
            return ValueTask.FromException<TOutput>(exception);
        }

        return _transport.SendAsync(
            (Client: this, Task: task, Url: route.Url, Json: json),
            static s => CreateRequest(s.Task, s.Url, JsonContent(s.Json)),
            static (s, response, isAsync, token) => s.Client.ReadAsync<TOutput>(s.Task, response, isAsync, token),
            async,
            cancellationToken);
    }

    /// <summary>A JSON call under one deadline (as <see cref="WithinDeadlineAsync{T}"/>, without its closure and delegate): routing, the cache, telemetry, the attempts.</summary>
    private async ValueTask<TOutput> SendJsonWithinDeadlineAsync<TInput, TOutput>(InferenceTask task, TInput body, string? model, bool async, CancellationToken cancellationToken)
    {
        using var deadline = CallDeadline.Begin(Options.Timeout, cancellationToken);
        try
        {
            var route = await _router.ResolveAsync(task.Name, model, async, deadline.Token).ConfigureAwait(false);
            return await SendJsonRoutedAsync<TInput, TOutput>(task, body, route, model, async, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.TimedOut)
        {
            throw deadline.Expired(exception);
        }
    }

    /// <summary>
    /// Runs one call under one deadline (<see cref="InferenceClientOptions.Timeout"/>): the provider lookup, an
    /// input's download, the attempts and the answer's body all share it (see <see cref="CallDeadline"/>).
    /// </summary>
    private async ValueTask<T> WithinDeadlineAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CallDeadline.Begin(Options.Timeout, cancellationToken);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.TimedOut)
        {
            throw deadline.Expired(exception);
        }
    }

    /// <summary>Sends a task's input record as JSON where <paramref name="route"/> says.</summary>
    private async ValueTask<TOutput> SendJsonRoutedAsync<TInput, TOutput>(InferenceTask task, TInput body, Providers.ProviderRoute route, string? model, bool async, CancellationToken cancellationToken)
    {
        if (!route.IsHfInferenceWire)
        {
            return await SendToProviderAsync<TInput, TOutput>(task, route, body, async, cancellationToken).ConfigureAwait(false);
        }

        var url = route.Url;
        var json = task.Renames.IsEmpty ? InferenceJson.Bytes(body, InferenceJson.WriteOptions) : Renamed(body, task.Renames);
        using var operation = InferenceTelemetry.Start(task.Name, model ?? Options.Model, url);
        var cache = Options.ResponseCache is { } configured && configured.Tasks.Contains(task.Name) ? configured : null;
        var key = cache == null ? null : Caching.InferenceResponseCache.Key(task.Name, url, json);
        try
        {
            if (cache != null && await cache.GetAsync(key!, async, cancellationToken).ConfigureAwait(false) is { } stored
                && TryParseStored<TOutput>(task, stored, out var cached))
            {
                operation.CacheHit();
                return cached;
            }

            // The call's values as state for static lambdas: no closure and no delegate per call.
            var (output, answer) = await _transport.SendAsync(
                (Client: this, Task: task, Url: url, Json: json),
                static s => CreateRequest(s.Task, s.Url, JsonContent(s.Json)),
                static (s, response, isAsync, token) => s.Client.ReadWithBytesAsync<TOutput>(s.Task, response, isAsync, token),
                async,
                cancellationToken).ConfigureAwait(false);
            if (cache != null)
            {
                await cache.SetAsync(key!, answer, async, cancellationToken).ConfigureAwait(false);
            }

            return output;
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    /// <summary>
    /// Sends a binary input: its raw bytes when there are no parameters, else the task's input record
    /// as JSON with the bytes in base64 (<paramref name="jsonBody"/> builds it).
    /// </summary>
    internal ValueTask<TOutput> SendBinaryCoreAsync<TInput, TOutput>(
        InferenceTask task,
        InferenceInput input,
        bool hasParameters,
        Func<Base64Data, TInput> jsonBody,
        string? model,
        bool async,
        CancellationToken cancellationToken)
    {
        if (input is null)
        {
            // As from an async method (the generated task methods return this task without awaiting it).
            return ValueTask.FromException<TOutput>(new ArgumentNullException(nameof(input)));
        }

        return WithinDeadlineAsync(token => SendBinaryWithinDeadlineAsync<TInput, TOutput>(task, input, hasParameters, jsonBody, model, async, token), cancellationToken);
    }

    private async ValueTask<TOutput> SendBinaryWithinDeadlineAsync<TInput, TOutput>(
        InferenceTask task,
        InferenceInput input,
        bool hasParameters,
        Func<Base64Data, TInput> jsonBody,
        string? model,
        bool async,
        CancellationToken cancellationToken)
    {
        var route = await _router.ResolveAsync(task.Name, model, async, cancellationToken).ConfigureAwait(false);

        // Providers other than hf-inference take binary inputs inside JSON (as data: URLs), whatever the parameters.
        if (hasParameters || task.Body == RequestBodyForm.BinaryAsJson || !route.IsHfInferenceWire)
        {
            var data = await ToBase64Async(input, async, cancellationToken).ConfigureAwait(false);
            return await SendJsonRoutedAsync<TInput, TOutput>(task, jsonBody(data), route, model, async, cancellationToken).ConfigureAwait(false);
        }

        var url = route.Url;
        using var operation = InferenceTelemetry.Start(task.Name, model ?? Options.Model, url);
        try
        {
            var content = await input.PrepareRawAsync(_transport, async, cancellationToken).ConfigureAwait(false);
            return await _transport.SendAsync(
                () => CreateRequest(task, url, content()),
                (response, isAsync, token) => ReadAsync<TOutput>(task, response, isAsync, token),
                async,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    /// <summary>The input's bytes as base64 JSON data.</summary>
    internal async ValueTask<Base64Data> ToBase64Async(InferenceInput input, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Base64Data(await input.ReadAllAsync(_transport, async, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The body with members moved to the names the service reads (rare: only where spec and service disagree).</summary>
    private static byte[] Renamed<TInput>(TInput body, System.Collections.Immutable.ImmutableArray<string> renames)
    {
        var root = InferenceJson.Node(body, InferenceJson.WriteOptions)!;
        foreach (var rename in renames)
        {
            var separator = rename.IndexOf('=');
            var path = rename[..separator].Split('.');
            JsonNode? parent = root;
            for (var i = 0; i < path.Length - 1 && parent != null; i++)
            {
                parent = parent[path[i]];
            }

            if (parent is JsonObject obj && obj.TryGetPropertyValue(path[^1], out var value))
            {
                obj.Remove(path[^1]);
                obj[rename[(separator + 1)..]] = value;
            }
        }

        return InferenceJson.Bytes(root, InferenceJson.WriteOptions);
    }

    private static HttpRequestMessage CreateRequest(InferenceTask task, Uri url, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (task.Accept != null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(task.Accept));
        }

        return request;
    }

    private static ByteArrayContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);

        // Kept as the string: a parsed MediaTypeHeaderValue per call only to be written back as the same text.
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    private async ValueTask<TOutput> ReadAsync<TOutput>(InferenceTask task, HttpResponseMessage response, bool async, CancellationToken cancellationToken) =>
        ParseAnswer<TOutput>(task, response, await _transport.ReadBodyAsync(response, async, cancellationToken).ConfigureAwait(false));

    private static TOutput Parse<TOutput>(InferenceTask task, byte[] bytes, string? mediaType)
    {
        object result = task.Response switch
        {
            ResponseForm.Binary => new InferenceBinaryOutput(bytes, mediaType),
            ResponseForm.Embeddings => Embeddings.Parse(bytes),
            _ => ResponseShapes.Read<TOutput>(bytes)!,
        };
        return (TOutput)result;
    }

    /// <summary>A cached answer, read as a fresh one would be; a stored entry that no longer reads is a miss.</summary>
    private static bool TryParseStored<TOutput>(InferenceTask task, byte[] stored, out TOutput output)
    {
        try
        {
            output = Parse<TOutput>(task, stored, null);
            return true;
        }
        catch (JsonException)
        {
            output = default!;
            return false;
        }
    }

    private async ValueTask<(TOutput Output, byte[] Answer)> ReadWithBytesAsync<TOutput>(InferenceTask task, HttpResponseMessage response, bool async, CancellationToken cancellationToken)
    {
        var bytes = await _transport.ReadBodyAsync(response, async, cancellationToken).ConfigureAwait(false);
        return (ParseAnswer<TOutput>(task, response, bytes), bytes);
    }

    /// <summary>A successful answer's body as the task's output; an answer that does not read is an error with its text.</summary>
    private TOutput ParseAnswer<TOutput>(InferenceTask task, HttpResponseMessage response, byte[] bytes)
    {
        try
        {
            // The media type is parsed only for a binary answer, the one output that keeps it.
            return Parse<TOutput>(task, bytes, task.Response == ResponseForm.Binary ? response.Content.Headers.ContentType?.MediaType : null);
        }
        catch (AnswerMemberMissing missing)
        {
            throw new InferenceResponseException(task.Name, missing.Member, response.StatusCode, ErrorParser.RequestId(response), AnswerText(bytes), response.RequestMessage?.RequestUri, missing);
        }
        catch (JsonException exception)
        {
            throw new HfHubHttpException(
                response.StatusCode,
                $"The {task.Name} answer could not be read as {typeof(TOutput).Name}: {exception.Message}",
                ErrorParser.RequestId(response),
                AnswerText(bytes),
                response.RequestMessage?.RequestUri,
                exception);
        }
    }

    /// <summary>An answer kept in an exception: up to 64 KiB of it, without the client's token.</summary>
    private string? AnswerText(byte[] bytes) => bytes.Length > 65536 ? null : _transport.Redact(System.Text.Encoding.UTF8.GetString(bytes));
}
