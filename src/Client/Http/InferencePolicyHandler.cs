using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Marks each request of a client of this library (the Endpoints client's Refit interfaces) with the client's
/// transport, so that the <see cref="InferencePolicyHandler"/> further down a shared chain sends it with that
/// client's options and token.
/// </summary>
internal sealed class PolicyCallHandler(InferenceTransport transport, RequestCredentials credentials = RequestCredentials.Client) : DelegatingHandler
{
    private readonly PolicyCall _call = new(transport, null, null, credentials);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(PolicyCall.Key, _call);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(PolicyCall.Key, _call);
        return base.Send(request, cancellationToken);
    }
}

/// <summary>
/// The client's request policies as a <see cref="DelegatingHandler"/>, for the Refit interfaces (and any
/// <see cref="HttpClient"/>): every request it sends goes through the same transport as
/// <see cref="InferenceClient"/>'s calls: the token (and the rule that credentials never follow a
/// redirect to another host: redirects are followed here, not by the socket handler), the client's
/// headers, retries after a 429 or a connection failure and while a model loads, the overall timeout,
/// the response size cap, a telemetry activity per call and <see cref="HfHubHttpException"/> (status,
/// server message, request id) for every error answer.
/// </summary>
/// <remarks>
/// Handlers placed before it (outer) see each call once; handlers after it (its inner handlers:
/// <c>AddHttpMessageHandler</c> on the builders the library's registrations return, or
/// <c>AddHuggingFaceHttpMessageHandler(…, eachAttempt: true)</c>) see each attempt, with the token
/// already set. The primary handler must not follow redirects itself (<c>AllowAutoRedirect = false</c>),
/// or it would carry the token along. In the chain of <c>AddHuggingFaceInference</c>'s HttpClient it also
/// marks the place where <see cref="InferenceClient"/> and the Endpoints client run their own policies.
/// </remarks>
public sealed class InferencePolicyHandler : DelegatingHandler
{
    private readonly InferenceClientOptions? _options;
    private readonly RequestCredentials _credentials;
    private InferenceTransport? _transport;

    /// <summary>Policies from <paramref name="options"/> (token, retries, timeout, size cap, headers), sending through <see cref="DelegatingHandler.InnerHandler"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public InferencePolicyHandler(InferenceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Policies of an existing transport, sending through its HttpClient (the inner handler is not used).</summary>
    internal InferencePolicyHandler(InferenceTransport transport, RequestCredentials credentials = RequestCredentials.Client)
    {
        _transport = transport;
        _credentials = credentials;
    }

    /// <summary>Whether POST, PUT, PATCH and DELETE are retried too (inference calls are; management writes are not). Default: only GET and HEAD.</summary>
    public bool RetryWrites { get; init; }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        (ClientCall(request) is { } call ? SendClientCallAsync(call, request, async: true, cancellationToken) : SendCoreAsync(request, async: true, cancellationToken)).AsTask();

    /// <inheritdoc/>
    /// <remarks>Synchronous all the way down (the transport's synchronous path), not a wait on the asynchronous one.</remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pending = ClientCall(request) is { } call ? SendClientCallAsync(call, request, async: false, cancellationToken) : SendCoreAsync(request, async: false, cancellationToken);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The InferenceClient call a request belongs to, when it comes through handlers before this one.</summary>
    private static PolicyCall? ClientCall(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(PolicyCall.Key, out var call) && call.CreateRequest != null ? call : null;
    }

    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(PolicyCall.Key, out var call);

        // A Refit request: of the Endpoints client's (its transport, carried by PolicyCallHandler), or of a Refit client of its own.
        var transport = call?.Transport ?? Transport();
        var credentials = call?.Credentials ?? _credentials;
        // A management call (Endpoints, catalog, Hub) is no gen_ai operation: it gets its own activity kind.
        var management = IsManagement(request);
        using var operation = management ? null : InferenceTelemetry.Start(OperationName(request), null, request.RequestUri);
        using var activity = management ? InferenceTelemetry.StartManagement(request.Method.Method, request.RequestUri!, OperationName(request)) : null;
        try
        {
            // Read once, sent again on each attempt: a stream body could be read only once.
            var body = request.Content == null ? null : await ReadBodyAsync(request.Content, async, cancellationToken).ConfigureAwait(false);
            var retryable = RetryWrites || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
            HttpResponseMessage? kept = null;
            await transport.SendAttemptsAsync(
                () => Copy(request, body),
                (response, _, _) =>
                {
                    kept = Keep(response, request, transport.Options.MaxResponseBytes);
                    return ValueTask.FromResult(true);
                },
                async,
                cancellationToken,
                call?.Retryable ?? retryable,
                credentials).ConfigureAwait(false);
            return kept!;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            operation?.Failed(exception);
            InferenceTelemetry.ManagementFailed(activity, exception);
            throw;
        }
    }

    /// <summary>
    /// The attempts of an <see cref="InferenceClient"/> call whose request the handlers before this one have seen:
    /// each attempt (the first, a retry, a redirect) builds the request again as the client does, with the method,
    /// URL and headers those handlers left on it. The final answer goes back to them
    /// as a response, an error answer included (the client raises the error once it comes back out).
    /// </summary>
    /// <remarks>
    /// The received message is never sent itself (a handler before this one may send it again, as a resilience
    /// handler's retry does, and an HttpClient refuses a message it has sent once), so it stays as those handlers
    /// left it and each attempt reads its method, URL and headers from it. No closure: the state goes to static lambdas.
    /// </remarks>
    private static ValueTask<HttpResponseMessage> SendClientCallAsync(PolicyCall call, HttpRequestMessage request, bool async, CancellationToken cancellationToken) =>
        call.Transport.SendAttemptsAsync(
            (Call: call, Received: request),
            static s => Again(s.Call, s.Received),
            static (_, response, _, _) => ValueTask.FromResult(InferenceTransport.KeepOpen(response)),
            async,
            cancellationToken,
            call.Retryable ?? true,
            call.Credentials,
            answerErrors: true);

    /// <summary>The call's request built again by the client, with the method, URL and headers of the received one.</summary>
    private static HttpRequestMessage Again(PolicyCall call, HttpRequestMessage received)
    {
        var again = call.CreateRequest!();
        again.Method = received.Method;
        again.RequestUri = received.RequestUri;
        foreach (var (name, values) in received.Headers.NonValidated)
        {
            again.Headers.Remove(name);
            _ = values.Count == 1
                ? again.Headers.TryAddWithoutValidation(name, values.ToString())
                : again.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }

        return again;
    }

    /// <summary>
    /// An <see cref="IHttpClientFactory"/> chain split at its policy handler: the handlers after it (each attempt)
    /// as an HttpClient, and the chain's top when a handler before it (each call) does anything: the factory's
    /// lifetime wrapper does not, nor a handler <paramref name="idle"/> says does nothing here. Null when the chain
    /// has no policy handler: then the whole chain is sent each attempt.
    /// </summary>
    internal static (HttpClient Attempts, HttpMessageHandler? Calls)? Split(HttpMessageHandler top, Func<DelegatingHandler, bool>? idle = null)
    {
        var before = false;
        for (var handler = top as DelegatingHandler; handler != null; handler = handler.InnerHandler as DelegatingHandler)
        {
            if (handler is InferencePolicyHandler policies)
            {
                var inner = policies.InnerHandler ?? throw new InvalidOperationException("InferencePolicyHandler has no InnerHandler to send through.");
                return (new HttpClient(inner, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, before ? top : null);
            }

            // The factory's lifetime wrapper passes requests on and does nothing else.
            before |= handler.GetType().FullName != "Microsoft.Extensions.Http.LifetimeTrackingHttpMessageHandler" && idle?.Invoke(handler) != true;
        }

        return null;
    }

    private static async ValueTask<byte[]> ReadBodyAsync(HttpContent content, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        using var stream = content.ReadAsStream(cancellationToken);
        using var copy = new System.IO.MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private InferenceTransport Transport()
    {
        if (_transport is { } existing)
        {
            return existing;
        }

        // The inner handler is set after construction (by HttpClientFactory or the caller): build on first use.
        var inner = InnerHandler ?? throw new InvalidOperationException("InferencePolicyHandler has no InnerHandler to send through: set one, or add it with AddHttpMessageHandler.");
        var created = new InferenceTransport(_options!, new HttpClient(inner, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        return Interlocked.CompareExchange(ref _transport, created, null) ?? created;
    }

    /// <summary>Refit names each request after its method (<c>GetEndpointAsync</c> → <c>GetEndpoint</c>); other requests after their HTTP method.</summary>
    /// <summary>A call of a generated Refit interface other than the inference one.</summary>
    private static bool IsManagement(HttpRequestMessage request) =>
        request.Options.TryGetValue(new HttpRequestOptionsKey<Type>(Refit.HttpRequestMessageOptions.InterfaceType), out var type)
        && type != null && type != typeof(IHfInferenceApi);

    private static string OperationName(HttpRequestMessage request) =>
        request.Options.TryGetValue(new HttpRequestOptionsKey<string>(Refit.HttpRequestMessageOptions.MethodName), out var name) && !string.IsNullOrEmpty(name)
            ? (name.EndsWith("Async", StringComparison.Ordinal) ? name[..^5] : name)
            : request.Method.Method;

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body != null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        var options = (IDictionary<string, object?>)copy.Options;
        foreach (var option in request.Options)
        {
            options[option.Key] = option.Value;
        }

        return copy;
    }

    /// <summary>The successful answer, kept open past the transport's attempt, its content capped in size.</summary>
    private static HttpResponseMessage Keep(HttpResponseMessage response, HttpRequestMessage request, long limit)
    {
        HfHubHttpException TooLarge() =>
            new(response.StatusCode, $"The answer is larger than the client's MaxResponseBytes ({limit} bytes).", ErrorParser.RequestId(response), null, InferenceTransport.WithoutQuery(request.RequestUri));

        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge();
        }

        var kept = new HttpResponseMessage(response.StatusCode)
        {
            Content = new SizeCappedContent(response.Content, limit, TooLarge),
            RequestMessage = request,
            Version = response.Version,
            ReasonPhrase = response.ReasonPhrase,
        };
        foreach (var header in response.Headers)
        {
            kept.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        // The transport disposes its response: hand the content over instead.
        response.Content = new ByteArrayContent([]);
        return kept;
    }
}
