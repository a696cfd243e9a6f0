using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference;

public sealed partial class InferenceClient
{
    private static readonly InferenceTask ChatWire = new("chat-completion", null, RequestBodyForm.Json, ResponseForm.Json, null);
    private static readonly InferenceTask TextGenerationWire = new("text-generation", null, RequestBodyForm.Json, ResponseForm.Json, null);

    private InferenceChat? _chat;

    /// <summary>The OpenAI-style surface: <c>client.Chat.Completions.CreateAsync(request)</c>.</summary>
    public InferenceChat Chat => _chat ??= new InferenceChat(this);

    /// <summary>A chat completion. The request's model, else the client's, else the recommended chat model; a URL model or the BaseUrl is an OpenAI-compatible server.</summary>
    /// <exception cref="HfHubHttpException">The server answered with an error.</exception>
    public Task<ChatCompletionOutput> ChatCompletionAsync(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        ChatCoreAsync(request, async: true, cancellationToken).AsTask();

    /// <summary>A chat completion of <paramref name="messages"/> with <paramref name="model"/>.</summary>
    public Task<ChatCompletionOutput> ChatCompletionAsync(IEnumerable<ChatCompletionInputMessage> messages, string? model = null, CancellationToken cancellationToken = default) =>
        ChatCompletionAsync(Request(messages, model), cancellationToken);

    /// <inheritdoc cref="ChatCompletionAsync(ChatCompletionInput, CancellationToken)"/>
    public ChatCompletionOutput ChatCompletion(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(ChatCoreAsync(request, async: false, cancellationToken));

    /// <inheritdoc cref="ChatCompletionAsync(IEnumerable{ChatCompletionInputMessage}, string?, CancellationToken)"/>
    public ChatCompletionOutput ChatCompletion(IEnumerable<ChatCompletionInputMessage> messages, string? model = null, CancellationToken cancellationToken = default) =>
        ChatCompletion(Request(messages, model), cancellationToken);

    /// <summary>
    /// A streamed chat completion: each event is yielded the moment it arrives. Leaving the loop or
    /// cancelling closes the connection. Errors before the stream starts are <see cref="HfHubHttpException"/>;
    /// an error event inside it is a <see cref="TextGenerationException"/>.
    /// </summary>
    public IAsyncEnumerable<ChatCompletionStreamOutput> ChatCompletionStreamAsync(ChatCompletionInput request, CancellationToken cancellationToken = default)
    {
        var (url, body) = ChatRequest(request, stream: true);
        return StreamAsync<ChatCompletionStreamOutput>(url, body, "chat", request.Model ?? Options.Model, generation: false, cancellationToken);
    }

    /// <summary>A streamed chat completion of <paramref name="messages"/> with <paramref name="model"/>.</summary>
    public IAsyncEnumerable<ChatCompletionStreamOutput> ChatCompletionStreamAsync(IEnumerable<ChatCompletionInputMessage> messages, string? model = null, CancellationToken cancellationToken = default) =>
        ChatCompletionStreamAsync(Request(messages, model), cancellationToken);

    /// <summary>The synchronous stream: events are yielded as they arrive, read with blocking I/O.</summary>
    public IEnumerable<ChatCompletionStreamOutput> ChatCompletionStream(ChatCompletionInput request, CancellationToken cancellationToken = default)
    {
        var (url, body) = ChatRequest(request, stream: true);
        return Stream<ChatCompletionStreamOutput>(url, body, cancellationToken);
    }

    /// <inheritdoc cref="ChatCompletionStream(ChatCompletionInput, CancellationToken)"/>
    public IEnumerable<ChatCompletionStreamOutput> ChatCompletionStream(IEnumerable<ChatCompletionInputMessage> messages, string? model = null, CancellationToken cancellationToken = default) =>
        ChatCompletionStream(Request(messages, model), cancellationToken);

    /// <summary>Generates text from a prompt (TGI's <c>/generate</c> through the model's route); details when the parameters ask for them.</summary>
    /// <exception cref="HfHubHttpException">The server answered with an error.</exception>
    public Task<TextGenerationOutput> TextGenerationAsync(string prompt, TextGenerationInputGenerateParameters? parameters = null, string? model = null, CancellationToken cancellationToken = default) =>
        TextGenerationCoreAsync(prompt, parameters, model, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="TextGenerationAsync"/>
    public TextGenerationOutput TextGeneration(string prompt, TextGenerationInputGenerateParameters? parameters = null, string? model = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(TextGenerationCoreAsync(prompt, parameters, model, async: false, cancellationToken));

    /// <summary>Streams generated tokens as they arrive (TGI's <c>/generate_stream</c> events; a stream may end without <c>[DONE]</c>).</summary>
    public IAsyncEnumerable<TextGenerationStreamOutput> TextGenerationStreamAsync(string prompt, TextGenerationInputGenerateParameters? parameters = null, string? model = null, CancellationToken cancellationToken = default)
    {
        var (url, body) = TextGenerationRequest(prompt, parameters, model, stream: true);
        return StreamAsync<TextGenerationStreamOutput>(url, body, "text_completion", model ?? Options.Model, generation: true, cancellationToken);
    }

    /// <inheritdoc cref="TextGenerationStreamAsync"/>
    public IEnumerable<TextGenerationStreamOutput> TextGenerationStream(string prompt, TextGenerationInputGenerateParameters? parameters = null, string? model = null, CancellationToken cancellationToken = default)
    {
        var (url, body) = TextGenerationRequest(prompt, parameters, model, stream: true);
        return Stream<TextGenerationStreamOutput>(url, body, cancellationToken, generation: true);
    }

    private async ValueTask<ChatCompletionOutput> ChatCoreAsync(ChatCompletionInput request, bool async, CancellationToken cancellationToken)
    {
        var (url, body) = ChatRequest(request, stream: false);
        using var operation = InferenceTelemetry.Start("chat", request.Model ?? Options.Model, url);
        try
        {
            var output = await _transport.SendAsync(
                () => JsonPost(url, body, accept: null),
                (response, isAsync, token) => ReadAsync<ChatCompletionOutput>(ChatWire, response, isAsync, token),
                async,
                cancellationToken).ConfigureAwait(false);
            operation.Response(output.Id, output.Model, output.Choices.Count > 0 ? output.Choices[0].FinishReason : null);
            operation.Usage(output.Usage?.PromptTokens, output.Usage?.CompletionTokens);
            return output;
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    private async ValueTask<TextGenerationOutput> TextGenerationCoreAsync(string prompt, TextGenerationInputGenerateParameters? parameters, string? model, bool async, CancellationToken cancellationToken)
    {
        var (url, body) = TextGenerationRequest(prompt, parameters, model, stream: false);
        using var operation = InferenceTelemetry.Start("text_completion", model ?? Options.Model, url);
        ValueTask<TextGenerationOutput> Send(byte[] json) => _transport.SendAsync(
            () => JsonPost(url, json, accept: null),
            (response, isAsync, token) => ReadAsync<TextGenerationOutput>(TextGenerationWire, response, isAsync, token),
            async,
            cancellationToken);

        try
        {
            TextGenerationOutput output;
            try
            {
                output = await Send(body).ConfigureAwait(false);
            }
            catch (HfHubHttpException error) when (UnusedModelKwargs.From(error) is { Count: > 0 } unused)
            {
                _transport.LogRetry($"the model does not use the parameters {string.Join(", ", unused)}; retrying once without them");
                output = await Send(UnusedModelKwargs.Remove(body, unused)).ConfigureAwait(false);
            }

            operation.Response(null, null, output.Details?.FinishReason.Value);
            operation.Usage(null, output.Details?.GeneratedTokens);
            return output;
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    /// <summary>Opens a text-generation stream, retrying once without parameters the model refuses.</summary>
    private async ValueTask<HttpResponseMessage> OpenGenerationStreamAsync(Uri url, byte[] body, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.OpenStreamAsync(() => JsonPost(url, body, "text/event-stream"), async, cancellationToken).ConfigureAwait(false);
        }
        catch (HfHubHttpException error) when (UnusedModelKwargs.From(error) is { Count: > 0 } unused)
        {
            _transport.LogRetry($"the model does not use the parameters {string.Join(", ", unused)}; retrying once without them");
            var retry = UnusedModelKwargs.Remove(body, unused);
            return await _transport.OpenStreamAsync(() => JsonPost(url, retry, "text/event-stream"), async, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chat URL and body: "model" written first, "stream" as asked.</summary>
    private (Uri Url, byte[] Body) ChatRequest(ChatCompletionInput request, bool stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Messages == null || request.Messages.Count == 0)
        {
            throw new ArgumentException("A chat request needs at least one message.", nameof(request));
        }

        var (url, bodyModel) = ChatRoutes.Resolve(request.Model, Options);
        var node = JsonSerializer.SerializeToNode(request with { Model = null, Stream = stream ? true : null }, InferenceJson.Options)!.AsObject();
        var ordered = new JsonObject { ["model"] = bodyModel };
        foreach (var (name, value) in node.ToList())
        {
            node.Remove(name);
            ordered[name] = value;
        }

        return (url, JsonSerializer.SerializeToUtf8Bytes(ordered, InferenceJson.Options));
    }

    private (Uri Url, byte[] Body) TextGenerationRequest(string prompt, TextGenerationInputGenerateParameters? parameters, string? model, bool stream)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var url = ModelResolver.ResolveTaskUrl("text-generation", model, Options, pipelineTask: null);
        var input = new TextGenerationInput { Inputs = prompt, Parameters = parameters, Stream = stream ? true : null };
        return (url, JsonSerializer.SerializeToUtf8Bytes(input, InferenceJson.Options));
    }

    private static ChatCompletionInput Request(IEnumerable<ChatCompletionInputMessage> messages, string? model)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new ChatCompletionInput { Messages = [.. messages], Model = model };
    }

    private static HttpRequestMessage JsonPost(Uri url, byte[] body, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(body) };
        if (accept != null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return request;
    }

    /// <summary>
    /// A traced stream, opened when enumeration starts: the activity spans the enumeration; the first
    /// chunk, usage and failures are recorded. One iterator does it all, since every layer of
    /// iterator costs each event a call (this was two layers over the event reader).
    /// </summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(Uri url, byte[] body, string operationName, string? model, bool generation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var operation = InferenceTelemetry.Start(operationName, model, url);
        HttpResponseMessage response;
        Stream stream;
        try
        {
            response = generation
                ? await OpenGenerationStreamAsync(url, body, async: true, cancellationToken).ConfigureAwait(false)
                : await _transport.OpenStreamAsync(() => JsonPost(url, body, "text/event-stream"), async: true, cancellationToken).ConfigureAwait(false);
            try
            {
                stream = new TerminatedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }

        using (response)
        using (stream)
        {
            await using var items = StreamEvents.ReadAsync<T>(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                T item;
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    item = items.Current;
                }
                catch (Exception exception)
                {
                    operation.Failed(exception);
                    throw;
                }

                operation.Chunk();
                switch (item)
                {
                    case ChatCompletionStreamOutput chat:
                        operation.Response(chat.Id, chat.Model, chat.Choices?.Count > 0 ? chat.Choices[0].FinishReason : null);
                        if (chat.Usage is { } usage)
                        {
                            operation.Usage(usage.PromptTokens, usage.CompletionTokens);
                        }

                        break;
                    case TextGenerationStreamOutput { Details: { } details }:
                        operation.Response(null, null, details.FinishReason.Value);
                        operation.Usage(null, details.GeneratedTokens);
                        break;
                }

                yield return item;
            }
        }
    }

    private IEnumerable<T> Stream<T>(Uri url, byte[] body, CancellationToken cancellationToken, bool generation = false)
    {
        var response = SyncOverAsync.EnsureCompleted(generation
            ? OpenGenerationStreamAsync(url, body, async: false, cancellationToken)
            : _transport.OpenStreamAsync(() => JsonPost(url, body, "text/event-stream"), async: false, cancellationToken));
        return Read(response);

        IEnumerable<T> Read(HttpResponseMessage opened)
        {
            using (opened)
            using (var stream = new TerminatedStream(opened.Content.ReadAsStream(cancellationToken)))
            {
                foreach (var item in StreamEvents.Read<T>(stream, cancellationToken))
                {
                    yield return item;
                }
            }
        }
    }
}

/// <summary>The OpenAI-style chat surface of an <see cref="InferenceClient"/>.</summary>
public sealed class InferenceChat
{
    internal InferenceChat(InferenceClient client) => Completions = new InferenceChatCompletions(client);

    /// <summary>Chat completions, under OpenAI's names.</summary>
    public InferenceChatCompletions Completions { get; }
}

/// <summary><c>client.Chat.Completions</c>: the same calls as <see cref="InferenceClient.ChatCompletionAsync(ChatCompletionInput, CancellationToken)"/>, under OpenAI's names.</summary>
public sealed class InferenceChatCompletions
{
    private readonly InferenceClient _client;

    internal InferenceChatCompletions(InferenceClient client) => _client = client;

    /// <summary>A chat completion.</summary>
    public Task<ChatCompletionOutput> CreateAsync(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        _client.ChatCompletionAsync(request, cancellationToken);

    /// <summary>A streamed chat completion.</summary>
    public IAsyncEnumerable<ChatCompletionStreamOutput> CreateStreamingAsync(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        _client.ChatCompletionStreamAsync(request, cancellationToken);

    /// <summary>A chat completion, synchronously.</summary>
    public ChatCompletionOutput Create(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        _client.ChatCompletion(request, cancellationToken);

    /// <summary>A streamed chat completion, synchronously.</summary>
    public IEnumerable<ChatCompletionStreamOutput> CreateStreaming(ChatCompletionInput request, CancellationToken cancellationToken = default) =>
        _client.ChatCompletionStream(request, cancellationToken);
}
