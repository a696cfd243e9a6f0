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
using HuggingFace.Inference.Providers;
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
        CheckChatRequest(request);
        return StreamAsync<ChatCompletionStreamOutput>(token => ChatRequestAsync(request, stream: true, async: true, token), "chat", request.Model ?? Options.Model, generation: false, cancellationToken);
    }

    /// <summary>A streamed chat completion of <paramref name="messages"/> with <paramref name="model"/>.</summary>
    public IAsyncEnumerable<ChatCompletionStreamOutput> ChatCompletionStreamAsync(IEnumerable<ChatCompletionInputMessage> messages, string? model = null, CancellationToken cancellationToken = default) =>
        ChatCompletionStreamAsync(Request(messages, model), cancellationToken);

    /// <summary>
    /// The synchronous stream: events are yielded as they arrive, read with blocking I/O. As the async one, nothing
    /// is sent until the enumeration starts (a stream never enumerated opens no connection), the call is traced
    /// from then to the end of the enumeration, and leaving the loop closes the connection.
    /// </summary>
    public IEnumerable<ChatCompletionStreamOutput> ChatCompletionStream(ChatCompletionInput request, CancellationToken cancellationToken = default)
    {
        CheckChatRequest(request);
        return Stream<ChatCompletionStreamOutput>(token => ChatRequestAsync(request, stream: true, async: false, token), "chat", request.Model ?? Options.Model, generation: false, cancellationToken);
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
        ArgumentNullException.ThrowIfNull(prompt);
        return StreamAsync<TextGenerationStreamOutput>(token => TextGenerationRequestAsync(prompt, parameters, model, stream: true, async: true, token), "text_completion", model ?? Options.Model, generation: true, cancellationToken);
    }

    /// <summary>The synchronous <see cref="TextGenerationStreamAsync"/>: sent when the enumeration starts, traced, read with blocking I/O.</summary>
    public IEnumerable<TextGenerationStreamOutput> TextGenerationStream(string prompt, TextGenerationInputGenerateParameters? parameters = null, string? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Stream<TextGenerationStreamOutput>(token => TextGenerationRequestAsync(prompt, parameters, model, stream: true, async: false, token), "text_completion", model ?? Options.Model, generation: true, cancellationToken);
    }

    private ValueTask<ChatCompletionOutput> ChatCoreAsync(ChatCompletionInput request, bool async, CancellationToken cancellationToken) =>
        WithinDeadlineAsync(token => ChatWithinDeadlineAsync(request, async, token), cancellationToken);

    private async ValueTask<ChatCompletionOutput> ChatWithinDeadlineAsync(ChatCompletionInput request, bool async, CancellationToken cancellationToken)
    {
        var call = await ChatRequestAsync(request, stream: false, async, cancellationToken).ConfigureAwait(false);
        using var operation = InferenceTelemetry.Start("chat", request.Model ?? Options.Model, call.Url);
        operation.InferenceProvider(call.Route?.ProviderName);
        try
        {
            var output = await _transport.SendAsync(
                () => call.Message(accept: null),
                (response, isAsync, token) =>
                {
                    operation.InferenceProvider(InferenceTransport.ProviderHeader(response));
                    return ReadAsync<ChatCompletionOutput>(ChatWire, response, isAsync, token);
                },
                async,
                cancellationToken,
                credentials: call.Credentials).ConfigureAwait(false);
            operation.Response(output.Id, output.Model, output.Choices.Count > 0 ? output.Choices[0].FinishReason : null);
            operation.Usage(output.Usage?.PromptTokens, output.Usage?.CompletionTokens);
            return output;
        }
        catch (HfHubHttpException error) when (call.NamesProvider && error is not InferenceResponseException)
        {
            // An answer the spec does not allow stays an InferenceResponseException (task and member), whoever sent it.
            var wrapped = call.Wrap(error, "chat-completion");
            operation.Failed(wrapped);
            throw wrapped;
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }

    private ValueTask<TextGenerationOutput> TextGenerationCoreAsync(string prompt, TextGenerationInputGenerateParameters? parameters, string? model, bool async, CancellationToken cancellationToken) =>
        WithinDeadlineAsync(token => TextGenerationWithinDeadlineAsync(prompt, parameters, model, async, token), cancellationToken);

    private async ValueTask<TextGenerationOutput> TextGenerationWithinDeadlineAsync(string prompt, TextGenerationInputGenerateParameters? parameters, string? model, bool async, CancellationToken cancellationToken)
    {
        var call = await TextGenerationRequestAsync(prompt, parameters, model, stream: false, async, cancellationToken).ConfigureAwait(false);
        if (call.Route is { IsHfInferenceWire: false } route)
        {
            return await SendToProviderAsync<TextGenerationInput, TextGenerationOutput>(TextGenerationWire, route, new TextGenerationInput { Inputs = prompt, Parameters = parameters }, async, cancellationToken).ConfigureAwait(false);
        }

        var url = call.Url;
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
                output = await Send(call.Body).ConfigureAwait(false);
            }
            catch (HfHubHttpException error) when (UnusedModelKwargs.From(error) is { Count: > 0 } unused)
            {
                _transport.LogRetry($"the model does not use the parameters {string.Join(", ", unused)}; retrying once without them");
                output = await Send(UnusedModelKwargs.Remove(call.Body, unused)).ConfigureAwait(false);
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

    private static void CheckChatRequest(ChatCompletionInput request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Messages == null || request.Messages.Count == 0)
        {
            throw new ArgumentException("A chat request needs at least one message.", nameof(request));
        }
    }

    /// <summary>The chat call: where it goes (<see cref="ChatRouting"/>) and its body, "model" written first, "stream" as asked.</summary>
    private async ValueTask<RoutedCall> ChatRequestAsync(ChatCompletionInput request, bool stream, bool async, CancellationToken cancellationToken)
    {
        CheckChatRequest(request);
        var (url, bodyModel, route, autoRouted) = await ChatRouting.ResolveAsync(request.Model, Options, _router, _transport.IsRouted, async, cancellationToken).ConfigureAwait(false);
        var node = InferenceJson.Node(request with { Model = null, Stream = stream ? true : null }, InferenceJson.WriteOptions)!.AsObject();
        if (route?.Entry is { ResponseFormat: not ChatResponseFormatRewrite.Keep } entry)
        {
            ChatRouting.RewriteResponseFormat(node, entry.ResponseFormat);
        }

        var ordered = new JsonObject { ["model"] = bodyModel };
        foreach (var (name, value) in node.ToList())
        {
            node.Remove(name);
            ordered[name] = value;
        }

        return new RoutedCall(_transport, url, InferenceJson.Bytes(ordered, InferenceJson.WriteOptions), route, autoRouted);
    }

    private async ValueTask<RoutedCall> TextGenerationRequestAsync(string prompt, TextGenerationInputGenerateParameters? parameters, string? model, bool stream, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var route = await _router.ResolveAsync("text-generation", model, async, cancellationToken).ConfigureAwait(false);
        if (stream && !route.IsHfInferenceWire)
        {
            throw new NotSupportedException($"Streamed text generation through provider '{route.ProviderName}' is not supported yet: use TextGenerationAsync, or a streamed chat completion.");
        }

        var input = new TextGenerationInput { Inputs = prompt, Parameters = parameters, Stream = stream ? true : null };
        return new RoutedCall(_transport, route.Url, InferenceJson.Bytes(input, InferenceJson.WriteOptions), route, autoRouted: false);
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
    private async IAsyncEnumerable<T> StreamAsync<T>(Func<CancellationToken, ValueTask<RoutedCall>> prepare, string operationName, string? model, bool generation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = await prepare(cancellationToken).ConfigureAwait(false);
        using var operation = InferenceTelemetry.Start(operationName, model, call.Url);
        operation.InferenceProvider(call.Route?.ProviderName);
        HttpResponseMessage response;
        Stream stream;
        try
        {
            try
            {
                response = generation
                    ? await OpenGenerationStreamAsync(call.Url, call.Body, async: true, cancellationToken).ConfigureAwait(false)
                    : await _transport.OpenStreamAsync(() => call.Message("text/event-stream"), async: true, cancellationToken, call.Credentials).ConfigureAwait(false);
            }
            catch (HfHubHttpException error) when (call.NamesProvider)
            {
                throw call.Wrap(error, generation ? "text-generation" : "chat-completion");
            }

            operation.InferenceProvider(InferenceTransport.ProviderHeader(response));
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
            await using var items = StreamEvents.ReadAsync<T>(stream, cancellationToken, Options.MaxEventBytes).GetAsyncEnumerator(cancellationToken);
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
                catch (EventMemberMissing missing)
                {
                    var error = MissingInEvent(missing, generation, response);
                    operation.Failed(error);
                    throw error;
                }
                catch (Exception exception)
                {
                    operation.Failed(exception);
                    throw;
                }

                Observe(operation, item);
                yield return item;
            }
        }
    }

    /// <summary>
    /// The synchronous <see cref="StreamAsync"/>: the same steps with blocking I/O, opened when the enumeration
    /// starts, traced over the whole enumeration.
    /// </summary>
    private IEnumerable<T> Stream<T>(Func<CancellationToken, ValueTask<RoutedCall>> prepare, string operationName, string? model, bool generation, CancellationToken cancellationToken)
    {
        var call = SyncOverAsync.EnsureCompleted(prepare(cancellationToken));
        using var operation = InferenceTelemetry.Start(operationName, model, call.Url);
        operation.InferenceProvider(call.Route?.ProviderName);
        HttpResponseMessage response;
        Stream stream;
        try
        {
            try
            {
                response = SyncOverAsync.EnsureCompleted(generation
                    ? OpenGenerationStreamAsync(call.Url, call.Body, async: false, cancellationToken)
                    : _transport.OpenStreamAsync(() => call.Message("text/event-stream"), async: false, cancellationToken, call.Credentials));
            }
            catch (HfHubHttpException error) when (call.NamesProvider)
            {
                throw call.Wrap(error, generation ? "text-generation" : "chat-completion");
            }

            operation.InferenceProvider(InferenceTransport.ProviderHeader(response));
            try
            {
                stream = new TerminatedStream(response.Content.ReadAsStream(cancellationToken));
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
        using (InferenceTransport.CancelSyncReads(response, async: false, cancellationToken))
        using (stream)
        {
            using var items = StreamEvents.Read<T>(stream, cancellationToken, Options.MaxEventBytes).GetEnumerator();
            while (true)
            {
                T item;
                try
                {
                    if (!items.MoveNext())
                    {
                        yield break;
                    }

                    item = items.Current;
                }
                catch (Exception failure) when (failure is not OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    // A blocking read ignores the token: the response was disposed under it (CancelSyncReads).
                    var cancelled = new OperationCanceledException("The stream was cancelled.", failure, cancellationToken);
                    operation.Failed(cancelled);
                    throw cancelled;
                }
                catch (EventMemberMissing missing)
                {
                    var error = MissingInEvent(missing, generation, response);
                    operation.Failed(error);
                    throw error;
                }
                catch (Exception exception)
                {
                    operation.Failed(exception);
                    throw;
                }

                Observe(operation, item);
                yield return item;
            }
        }
    }

    /// <summary>Records one stream event on the call's activity: its arrival, and the id, model, finish reason and usage it carries.</summary>
    /// <summary>A stream event without a member a consumer dereferences, as the typed error a whole answer gives.</summary>
    private static InferenceResponseException MissingInEvent(EventMemberMissing missing, bool generation, HttpResponseMessage response) =>
        new(generation ? "text-generation" : "chat-completion", missing.Member, response.StatusCode, ErrorParser.RequestId(response), missing.EventData, response.RequestMessage?.RequestUri, missing);

    private static void Observe<T>(InferenceTelemetry.Operation operation, T item)
    {
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
