using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Http;

/// <summary>
/// The one way requests leave the client: authentication, identification, the overall timeout,
/// 503 "model is loading" retries and error mapping all happen here, for every task. The
/// <c>async</c> flag lets the synchronous API share this code and still use
/// <see cref="HttpClient.Send(HttpRequestMessage, HttpCompletionOption, CancellationToken)"/>
/// instead of blocking on a task.
/// </summary>
internal sealed class InferenceTransport : IDisposable
{
    private const int MaxErrorBodyChars = 64 * 1024;

    private static readonly string UserAgent = BuildUserAgent();

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _bearer; // "Bearer <token>", built once; never logged
    private readonly string? _token;
    private readonly ILogger _logger;
    private readonly HttpMessageInvoker? _calls; // the handlers before the policies, ending in an InferencePolicyHandler; null: none
    private readonly bool _decompresses; // the client's own HttpClient: the transport asks for compressed answers and inflates them itself

    /// <summary>A transport sending each attempt through <paramref name="httpClient"/> (the handlers after the policies).</summary>
    /// <param name="options">The client's options.</param>
    /// <param name="httpClient">Where attempts go; null: the client's own.</param>
    /// <param name="calls">
    /// Handlers that see each call once, before the policies (an <see cref="IHttpClientFactory"/> chain split at its
    /// <see cref="InferencePolicyHandler"/>); null when there are none, which keeps a call's path as short as it was.
    /// </param>
    public InferenceTransport(InferenceClientOptions options, HttpClient? httpClient, HttpMessageHandler? calls = null)
    {
        Options = options;
        _logger = options.LoggerFactory?.CreateLogger("HuggingFace.Inference") ?? (ILogger)NullLogger.Instance;
        var token = TokenResolver.Resolve(options.Token, options.SendToken);
        if (token != null && token.AsSpan().IndexOfAny("\r\n\0") >= 0)
        {
            // Options.Token is checked already; this is a token found in the environment or the token file.
            throw new ArgumentException("The Hugging Face token found in the environment or the token file contains a line break or NUL.", nameof(options));
        }

        _token = token;
        _bearer = token == null ? null : "Bearer " + token;
        _http = httpClient ?? CreateHttpClient(options.Proxy, options.MaxConnectionsPerServer, decompress: false);
        _ownsHttp = httpClient == null;
        _decompresses = httpClient == null;
        CallHandlers = calls;
        _calls = calls == null ? null : new HttpMessageInvoker(calls, disposeHandler: false);
    }

    /// <summary>The handlers before the policies (see the constructor), for the clients that share this transport's chain.</summary>
    internal HttpMessageHandler? CallHandlers { get; }

    /// <summary>
    /// The client's own HttpClient: the overall timeout is ours (it spans retries; HttpClient's would
    /// cut streams), redirects are followed by <see cref="SendAttemptsAsync{TState, T}"/> (so that credentials never
    /// follow one to another host), and a stream left early closes its connection instead of being drained.
    /// </summary>
    /// <param name="proxy">The proxy, or null for the system's.</param>
    /// <param name="maxConnectionsPerServer">Connections per server.</param>
    /// <param name="decompress">
    /// Whether the handler decompresses answers itself; false for a transport's own client, which asks for compressed
    /// answers and inflates them itself (<see cref="Inflated"/>): the handler's decompression layer costs every call an
    /// async method, the parsed <c>Accept-Encoding</c> values and an enumerator over them, compressed or not.
    /// </param>
    internal static HttpClient CreateHttpClient(System.Net.IWebProxy? proxy, int maxConnectionsPerServer = 64, bool decompress = true)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnectionsPerServer,
            AutomaticDecompression = decompress ? DecompressionMethods.All : DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxResponseDrainSize = 0,
            AllowAutoRedirect = false,
        };
        if (proxy != null)
        {
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }

        return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public InferenceClientOptions Options { get; }

    /// <summary>Whether a token will be sent (never the token itself).</summary>
    public bool HasToken => _bearer != null;

    /// <summary>
    /// Whether calls go through the router: with a Hugging Face token (<c>hf_…</c>) or none. Any other
    /// token is a provider's own key, sent only to that provider's API.
    /// </summary>
    public bool IsRouted => _token == null || _token.StartsWith("hf_", StringComparison.Ordinal);

    /// <summary>The Authorization value of a direct call to a provider (its key in the provider's scheme).</summary>
    internal string? DirectAuthorization(Providers.ProviderAuthScheme scheme) =>
        _token == null ? null : scheme == Providers.ProviderAuthScheme.Key ? "Key " + _token : _bearer;

    /// <summary>The shortest wait between 503 "loading" retries; tests shorten it.</summary>
    internal TimeSpan LoadingRetryMinimumDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between 503 "loading" retries; tests shorten it.</summary>
    internal TimeSpan LoadingRetryMaximumDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends the request <paramref name="createRequest"/> builds (again for each retry) and reads a
    /// successful answer with <paramref name="read"/>, all within the configured timeout.
    /// </summary>
    /// <remarks>
    /// With handlers before the policies, the call's first request goes through them once and the
    /// <see cref="InferencePolicyHandler"/> at their end runs the attempts (<see cref="SendAttemptsAsync{TState, T}"/>);
    /// without, the attempts run here: no request, closure or state machine more than before.
    /// </remarks>
    public ValueTask<T> SendAsync<T>(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, bool, CancellationToken, ValueTask<T>> read,
        bool async,
        CancellationToken cancellationToken,
        bool retryable = true,
        RequestCredentials credentials = RequestCredentials.Client) =>
        SendAsync((createRequest, read), static s => s.createRequest(), static (s, response, isAsync, token) => s.read(response, isAsync, token), async, cancellationToken, retryable, credentials);

    /// <summary>
    /// The same with the call's values in <paramref name="state"/>, handed to <paramref name="createRequest"/> and
    /// <paramref name="read"/>: with static lambdas, a call allocates no closure and no delegate (the hot path's form).
    /// </summary>
    public ValueTask<T> SendAsync<TState, T>(
        TState state,
        Func<TState, HttpRequestMessage> createRequest,
        Func<TState, HttpResponseMessage, bool, CancellationToken, ValueTask<T>> read,
        bool async,
        CancellationToken cancellationToken,
        bool retryable = true,
        RequestCredentials credentials = RequestCredentials.Client) =>
        _calls == null
            ? SendAttemptsAsync(state, createRequest, read, async, cancellationToken, retryable, credentials)
            : SendThroughHandlersAsync(state, createRequest, read, async, cancellationToken, retryable, credentials);

    /// <summary>
    /// One call through the handlers before the policies: they see its request once, and its final answer (an
    /// error answer as a response, so that a handler there can act on its status); the policy handler at their
    /// end finds <see cref="PolicyCall"/> in the request's options and runs this transport's attempts from there.
    /// </summary>
    private async ValueTask<T> SendThroughHandlersAsync<TState, T>(
        TState state,
        Func<TState, HttpRequestMessage> createRequest,
        Func<TState, HttpResponseMessage, bool, CancellationToken, ValueTask<T>> read,
        bool async,
        CancellationToken cancellationToken,
        bool retryable,
        RequestCredentials credentials)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = CallDeadline.Begin(Options.Timeout, cancellationToken);
        try
        {
            using var request = createRequest(state);
            request.Options.Set(PolicyCall.Key, new PolicyCall(this, () => createRequest(state), retryable, credentials));
            using var response = async
                ? await _calls!.SendAsync(request, deadline.Token).ConfigureAwait(false)
                : _calls!.Send(request, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                // The policies' final error answer, or one a handler before them gave by itself: an error as any other.
                throw CreateException(response, await ReadTextAsync(response, async, deadline.Token).ConfigureAwait(false), request.RequestUri);
            }

            return await read(state, response, async, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.TimedOut)
        {
            throw deadline.Expired(exception);
        }
    }

    /// <summary>The attempts of one call (the policy handler's form, with delegates).</summary>
    internal ValueTask<T> SendAttemptsAsync<T>(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, bool, CancellationToken, ValueTask<T>> read,
        bool async,
        CancellationToken cancellationToken,
        bool retryable = true,
        RequestCredentials credentials = RequestCredentials.Client,
        bool answerErrors = false) =>
        SendAttemptsAsync((createRequest, read), static s => s.createRequest(), static (s, response, isAsync, token) => s.read(response, isAsync, token), async, cancellationToken, retryable, credentials, answerErrors);

    /// <summary>
    /// The attempts of one call: retries, redirects, 503 waits, all within the configured timeout. An error answer
    /// raises <see cref="HfHubHttpException"/>, or with <paramref name="answerErrors"/> goes to <paramref name="read"/>
    /// with its body (up to 64 K characters) still readable.
    /// </summary>
    internal async ValueTask<T> SendAttemptsAsync<TState, T>(
        TState state,
        Func<TState, HttpRequestMessage> createRequest,
        Func<TState, HttpResponseMessage, bool, CancellationToken, ValueTask<T>> read,
        bool async,
        CancellationToken cancellationToken,
        bool retryable = true,
        RequestCredentials credentials = RequestCredentials.Client,
        bool answerErrors = false)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Within a call that has its deadline already (InferenceClient's), on that deadline's own token: that deadline, no second one.
        // No call deadline at all and no limit: the caller's token alone, and no deadline object per call.
        var ambient = CallDeadline.Joining(cancellationToken);
        var unlimited = ambient == null && Options.Timeout == null && !CallDeadline.IsAmbient;
        using var owned = ambient == null && !unlimited ? CallDeadline.Begin(Options.Timeout, cancellationToken) : null;
        var deadline = ambient ?? owned ?? CallDeadline.Unlimited;
        var token = unlimited ? cancellationToken : deadline.Token;
        var retries = 0;
        var loadingAttempts = 0;
        TimeSpan? loadingSince = null;
        Uri? redirectedTo = null;
        var redirectedAsGet = false;
        var redirects = 0;
        try
        {
            while (true)
            {
                using var request = createRequest(state);
                var origin = request.RequestUri!;
                if (redirectedTo != null)
                {
                    request.RequestUri = redirectedTo;
                }

                if (redirectedAsGet)
                {
                    // 301/302/303 after a POST: what browsers and RFC 9110 practice do, a GET without the body.
                    request.Method = HttpMethod.Get;
                    request.Content?.Dispose();
                    request.Content = null;
                }

                // Credentials and the client's headers go only to the host the request was meant for.
                if (redirectedTo == null || SameOrigin(origin, redirectedTo))
                {
                    Authorize(request, credentials);
                }
                else
                {
                    // A provider key set by the caller must not follow either.
                    request.Headers.Remove("Authorization");
                    request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                }

                HttpResponseMessage response;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var logDebug = _logger.IsEnabled(LogLevel.Debug); // the arguments cost a string and boxes per call
                if (logDebug)
                {
                    _logger.LogDebug("HuggingFace.Inference {Method} {Url} started", request.Method, WithoutQuery(request.RequestUri));
                }

                try
                {
                    AskForCompression(request);
                    response = async
                        ? await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false)
                        : _http.Send(request, HttpCompletionOption.ResponseHeadersRead, token);
                    Inflated(response);
                    if (logDebug)
                    {
                        _logger.LogDebug("HuggingFace.Inference {Method} {Url} answered {Status} after {Milliseconds:F0} ms", request.Method, WithoutQuery(request.RequestUri), (int)response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
                catch (HttpRequestException failure) when (retryable && retries < Options.MaxRetries && !token.IsCancellationRequested)
                {
                    // No answer at all (refused, reset before the headers): nothing was processed, so try again.
                    retries++;
                    var wait = Backoff(retries);
                    LogRetry($"retry {retries} of {Options.MaxRetries} after a connection failure ({failure.Message}); waiting {wait.TotalMilliseconds:F0} ms");
                    await DelayAsync(Clamp(wait, deadline), async, token).ConfigureAwait(false);
                    continue;
                }

                using (response)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        return await read(state, response, async, token).ConfigureAwait(false);
                    }

                    if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location && redirects < MaxRedirects)
                    {
                        redirects++;
                        redirectedTo = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
                        redirectedAsGet |= ChangesToGet(response.StatusCode, request.Method);
                        continue;
                    }

                    var body = await ReadTextAsync(response, async, token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && ErrorParser.LoadingEstimate(body) is { } estimate)
                    {
                        var delay = LoadingDelay(loadingAttempts++, estimate);
                        if (deadline.Limit == null)
                        {
                            // No timeout: loading is still bounded (ModelLoadingTimeout), or a model that never loads would hang the call.
                            loadingSince ??= deadline.Elapsed;
                            var waited = deadline.Elapsed - loadingSince.Value;
                            if (waited + delay > Options.ModelLoadingTimeout)
                            {
                                throw new InferenceTimeoutException($"The model at {WithoutQuery(request.RequestUri)} was still loading after {waited.TotalSeconds:F0} s; the client waits at most ModelLoadingTimeout ({Options.ModelLoadingTimeout}) when Timeout is null. {Redact(ErrorParser.Message(response, body))}");
                            }
                        }

                        await DelayAsync(Clamp(delay, deadline), async, token).ConfigureAwait(false);
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.TooManyRequests && retryable && retries < Options.MaxRetries)
                    {
                        retries++;
                        var wait = RetryAfter(response) ?? Backoff(retries);
                        LogRetry($"retry {retries} of {Options.MaxRetries} after 429 Too Many Requests; waiting {wait.TotalMilliseconds:F0} ms");
                        await DelayAsync(Clamp(wait, deadline), async, token).ConfigureAwait(false);
                        continue;
                    }

                    if (answerErrors)
                    {
                        response.Content = WithBody(response.Content, body);
                        return await read(state, response, async, token).ConfigureAwait(false);
                    }

                    throw CreateException(response, body, request.RequestUri);
                }
            }
        }
        catch (OperationCanceledException exception) when (deadline.TimedOut)
        {
            throw deadline.Expired(exception);
        }
    }

    private const int MaxRedirects = 5;

    /// <summary>What the client's own HttpClient asks for: what <see cref="Inflated"/> reads (RFC 9110's deflate, zlib-wrapped, is never asked for).</summary>
    private const string AcceptedEncodings = "gzip, br";

    /// <summary>On the client's own HttpClient, a request asks for a compressed answer unless it says what it accepts itself.</summary>
    private void AskForCompression(HttpRequestMessage request)
    {
        if (_decompresses && !request.Headers.NonValidated.Contains("Accept-Encoding"))
        {
            // A string kept as it is: nothing parsed, nothing enumerated when the request is written.
            request.Headers.TryAddWithoutValidation("Accept-Encoding", AcceptedEncodings);
        }
    }

    /// <summary>
    /// On the client's own HttpClient, an answer whose last <c>Content-Encoding</c> is gzip, br or deflate gets content
    /// that reads inflated, without its length (the compressed one) or that encoding, as the handler's own decompression
    /// does: the size cap counts the inflated bytes, and every reader (bodies, streams, error texts) sees them.
    /// An answer without an encoding costs one header lookup.
    /// </summary>
    private void Inflated(HttpResponseMessage response)
    {
        if (!_decompresses || !response.Content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return;
        }

        string? last = null;
        foreach (var value in values)
        {
            // "gzip, br" in one line or in two: the last coding applied is the first to undo.
            var comma = value.LastIndexOf(',');
            last = (comma < 0 ? value : value[(comma + 1)..]).Trim();
        }

        var method = last switch
        {
            _ when string.Equals(last, "gzip", StringComparison.OrdinalIgnoreCase) || string.Equals(last, "x-gzip", StringComparison.OrdinalIgnoreCase) => DecompressionMethods.GZip,
            _ when string.Equals(last, "br", StringComparison.OrdinalIgnoreCase) => DecompressionMethods.Brotli,
            _ when string.Equals(last, "deflate", StringComparison.OrdinalIgnoreCase) => DecompressionMethods.Deflate,
            _ => DecompressionMethods.None,
        };
        if (method != DecompressionMethods.None)
        {
            response.Content = new InflatedContent(response.Content, method);
        }
    }

    /// <summary>The longest single retry wait without a timeout: a hostile <c>Retry-After: 5000000</c> must not park a call for two months.</summary>
    internal static readonly TimeSpan MaxRetryWait = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A wait no longer than <see cref="MaxRetryWait"/>. A wait that reaches past the call's deadline becomes a
    /// wait for the deadline itself (infinite, ended by the deadline's token): a timer that ends a hair before
    /// the deadline must not start a retry the call has no time left for.
    /// </summary>
    private static TimeSpan Clamp(TimeSpan wait, CallDeadline deadline)
    {
        if (wait < TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        if (deadline.Remaining is { } left && wait >= left)
        {
            return System.Threading.Timeout.InfiniteTimeSpan;
        }

        return wait > MaxRetryWait ? MaxRetryWait : wait;
    }

    /// <summary>A header's seconds as a wait: never negative, never past <see cref="MaxRetryWait"/>, NaN and infinities included.</summary>
    private static TimeSpan SafeSeconds(double seconds) =>
        double.IsNaN(seconds) || seconds <= 0 ? TimeSpan.Zero
        : seconds >= MaxRetryWait.TotalSeconds ? MaxRetryWait
        : TimeSpan.FromSeconds(seconds);

    /// <summary>301/302/303 turn a POST (303: anything but GET and HEAD) into a GET without a body; 307/308 keep both.</summary>
    private static bool ChangesToGet(HttpStatusCode status, HttpMethod method) =>
        (status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && method == HttpMethod.Post)
        || (status == HttpStatusCode.SeeOther && method != HttpMethod.Get && method != HttpMethod.Head);

    /// <summary>The first wait between retries; tests shorten it.</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Exponential backoff with ±25% jitter, so that many clients do not retry in step; at most 8 s.</summary>
    private TimeSpan Backoff(int retry)
    {
        var exponential = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
        var jittered = exponential * (0.75 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, 8000));
    }

    /// <summary>
    /// How long a 429 says to wait: <c>Retry-After</c> (seconds or a date), else the IETF rate-limit
    /// headers (<c>RateLimit-Reset: 5</c>, or <c>RateLimit: …;t=5</c> / <c>reset=5</c>).
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return SafeSeconds(delta.TotalSeconds);
            }

            if (retryAfter.Date is { } date)
            {
                return SafeSeconds((date - DateTimeOffset.UtcNow).TotalSeconds);
            }
        }

        if (response.Headers.TryGetValues("RateLimit-Reset", out var resets) && double.TryParse(resets.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return SafeSeconds(seconds);
        }

        if (response.Headers.TryGetValues("RateLimit", out var values))
        {
            var match = System.Text.RegularExpressions.Regex.Match(string.Join(",", values), @"(?:^|[;,\s])(?:t|reset)=(\d+(?:\.\d+)?)");
            if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var reset))
            {
                return SafeSeconds(reset);
            }
        }

        return null;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>Logs a warning about a call (a provider in staging, …); never with the token.</summary>
    internal void LogWarning(string message) => _logger.LogWarning("HuggingFace.Inference: {Warning}", message);

    /// <summary>Logs a retry (never with the token: messages hold URLs without queries, statuses and reasons).</summary>
    internal void LogRetry(string message) => _logger.LogWarning("HuggingFace.Inference retry: {Reason}", message);

    /// <summary>Whether <paramref name="healthUrl"/> answers 200 (any error answer means not healthy); not retried.</summary>
    public async Task<bool> IsHealthyAsync(Uri healthUrl, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, healthUrl),
                (response, _, _) => ValueTask.FromResult(response.StatusCode == HttpStatusCode.OK),
                async: true,
                cancellationToken,
                retryable: false).ConfigureAwait(false);
        }
        catch (HfHubHttpException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends a request whose answer is a stream: returns the successful response with only its
    /// headers read (the caller reads and disposes it). Errors, 503 retries and the timeout apply
    /// until the headers arrive; a stream then runs as long as the server sends.
    /// </summary>
    public async ValueTask<HttpResponseMessage> OpenStreamAsync(Func<HttpRequestMessage> createRequest, bool async, CancellationToken cancellationToken, RequestCredentials credentials = RequestCredentials.Client)
    {
        HttpResponseMessage? kept = null;
        await SendAsync(
            createRequest,
            (response, _, _) =>
            {
                kept = KeepOpen(response);
                return ValueTask.FromResult(true);
            },
            async,
            cancellationToken,
            credentials: credentials).ConfigureAwait(false);
        return kept!;
    }

    /// <summary>An error answer's content again after its body was read: the text, with the original content headers but the length.</summary>
    private static HttpContent WithBody(HttpContent read, string? body)
    {
        var again = new ByteArrayContent(body == null ? [] : Encoding.UTF8.GetBytes(body));
        foreach (var header in read.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                again.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        read.Dispose();
        return again;
    }

    /// <summary>The response kept open past the attempt's <c>using</c>: its content handed to a new message.</summary>
    internal static HttpResponseMessage KeepOpen(HttpResponseMessage response)
    {
        var kept = new HttpResponseMessage(response.StatusCode) { Content = response.Content, RequestMessage = response.RequestMessage, Version = response.Version, ReasonPhrase = response.ReasonPhrase };
        foreach (var header in response.Headers)
        {
            kept.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = new ByteArrayContent([]);
        return kept;
    }

    /// <summary>
    /// Downloads a binary input from a URL with none of the client's headers: no token, no cookies,
    /// no bill-to. The URL belongs to someone else.
    /// </summary>
    public async ValueTask<(byte[] Bytes, string? ContentType)> DownloadAsync(Uri url, bool async, CancellationToken cancellationToken)
    {
        using var deadline = CallDeadline.Begin(Options.Timeout, cancellationToken);
        try
        {
            return await DownloadCoreAsync(url, async, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.TimedOut)
        {
            throw deadline.Expired(exception);
        }
    }

    private async ValueTask<(byte[] Bytes, string? ContentType)> DownloadCoreAsync(Uri url, bool async, CancellationToken cancellationToken)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            AskForCompression(request);
            using var response = async
                ? await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false)
                : _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Inflated(response);

            // Downloads carry no credentials, so they may follow redirects anywhere (a file server to its CDN).
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location && redirects < MaxRedirects)
            {
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await ReadTextAsync(response, async, cancellationToken).ConfigureAwait(false);
                throw CreateException(response, body, current);
            }

            var bytes = await ReadBodyAsync(response, async, cancellationToken).ConfigureAwait(false);
            return (bytes, response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>
    /// An answer's whole body, refusing one larger than <see cref="InferenceClientOptions.MaxResponseBytes"/>
    /// (counted after decompression). Memory stays within the cap plus one small segment: the body is
    /// read into segments whose total never passes the cap by more than one byte, so a server sending
    /// more fails as soon as the cap is passed; only the first small segment is pooled (returned
    /// cleared), so no large buffer stays resident after the call.
    /// </summary>
    /// <exception cref="HfHubHttpException">The answer is larger than the cap.</exception>
    public async ValueTask<byte[]> ReadBodyAsync(HttpResponseMessage response, bool async, CancellationToken cancellationToken)
    {
        var limit = Math.Min(Options.MaxResponseBytes, Array.MaxLength);
        var declared = response.Content.Headers.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(response, Options.MaxResponseBytes);
        }

        var stream = async
            ? await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
            : response.Content.ReadAsStream(cancellationToken);
        using (stream)
        using (CancelSyncReads(response, async, cancellationToken))
        {
            // A declared length is read straight into an array of that size: no copy, no scratch
            // buffer. Otherwise (or when a handler changed the body and there is more than declared)
            // segments grow from 16 KiB, doubling up to 4 MiB each.
            var body = new SegmentedBody(limit, declared);
            try
            {
                while (true)
                {
                    var read = await ReadChunkAsync(stream, body.Space(), async, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return body.ToArray();
                    }

                    if (!body.Advance(read))
                    {
                        throw TooLarge(response, Options.MaxResponseBytes);
                    }
                }
            }
            finally
            {
                body.Release();
            }
        }
    }

    /// <summary>
    /// A synchronous read (<see cref="Stream.Read(Span{byte})"/>) ignores cancellation, so a body
    /// dripping a byte a second would block a sync call past its timeout: disposing the response
    /// when the token fires aborts the connection, and the blocked read returns with an error that
    /// <see cref="ReadChunkAsync"/> reports as the cancellation. Async reads take the token themselves.
    /// </summary>
    internal static CancellationTokenRegistration CancelSyncReads(HttpResponseMessage response, bool async, CancellationToken cancellationToken) =>
        async || !cancellationToken.CanBeCanceled ? default : cancellationToken.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);

    /// <summary>An answer read in segments: the first a declared length's exact array or 16 KiB from the pool, later ones allocated.</summary>
    private struct SegmentedBody
    {
        private const int FirstSegment = 16 * 1024;
        private const int LargestSegment = 4 * 1024 * 1024;

        private readonly long _limit;
        private readonly byte[]? _exact;
        private byte[]? _pooled;
        private System.Collections.Generic.List<byte[]>? _full;
        private byte[] _current;
        private int _filled;
        private long _count;

        public SegmentedBody(long limit, long? declared)
        {
            _limit = limit;
            if (declared is { } known)
            {
                _exact = new byte[known];
                _current = _exact;
            }
            else
            {
                _pooled = ArrayPool<byte>.Shared.Rent(FirstSegment);
                _current = _pooled;
            }
        }

        /// <summary>Where the next read goes; a full segment is kept and a new one started, never past the cap + 1 byte in all.</summary>
        public Memory<byte> Space()
        {
            if (_filled == _current.Length)
            {
                if (_current == _exact)
                {
                    // After a full exact array, usually only the end of the body is left to see. The exact array
                    // stays out of the list (ToArray puts it first): a body exactly as long as declared, the
                    // common case, allocates nothing more.
                    _pooled = ArrayPool<byte>.Shared.Rent(FirstSegment);
                    _current = _pooled;
                }
                else
                {
                    // Room for one byte past the cap: reading it is how a body over the cap is noticed.
                    var room = _limit + 1 - _count;
                    (_full ??= []).Add(_current);
                    var size = Math.Min(Math.Min(Math.Max(_current.Length * 2L, FirstSegment), LargestSegment), room);
                    _current = GC.AllocateUninitializedArray<byte>((int)size);
                }

                _filled = 0;
            }

            return _current.AsMemory(_filled);
        }

        /// <summary>Counts <paramref name="read"/> bytes; false when the body is now over the cap.</summary>
        public bool Advance(int read)
        {
            _filled += read;
            _count += read;
            return _count <= _limit;
        }

        public readonly byte[] ToArray()
        {
            if (_exact != null && _count == _exact.Length)
            {
                return _exact;
            }

            if (_full == null && _current != _pooled && _filled == _current.Length)
            {
                return _current;
            }

            var result = GC.AllocateUninitializedArray<byte>((int)_count);
            var at = 0;
            if (_exact != null && _current != _exact)
            {
                // The exact array was filled and more came after it.
                _exact.CopyTo(result, 0);
                at = _exact.Length;
            }

            foreach (var segment in _full ?? [])
            {
                segment.CopyTo(result, at);
                at += segment.Length;
            }

            _current.AsSpan(0, _filled).CopyTo(result.AsSpan(at));
            return result;
        }

        /// <summary>The pooled segment goes back cleared (it held the answer); allocated ones are left to the GC.</summary>
        public void Release()
        {
            if (_pooled != null)
            {
                var used = _current == _pooled ? _filled : _pooled.Length;
                _pooled.AsSpan(0, used).Clear();
                ArrayPool<byte>.Shared.Return(_pooled);
                _pooled = null;
            }
        }
    }

    private static async ValueTask<int> ReadChunkAsync(Stream stream, Memory<byte> into, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return async
                ? await stream.ReadAsync(into, cancellationToken).ConfigureAwait(false)
                : stream.Read(into.Span);
        }
        catch (Exception failure) when (failure is IOException or ObjectDisposedException or HttpRequestException && cancellationToken.IsCancellationRequested)
        {
            // A sync read aborted by CancelSyncReads, or an async one cut as the token fired.
            throw new OperationCanceledException("The answer was still being read when the call was cancelled.", failure, cancellationToken);
        }
        catch (IOException failure)
        {
            // As HttpClient's own content methods do: a network failure is an HttpRequestException.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection failed while the answer was being read: " + failure.Message, failure);
        }
    }

    private static HfHubHttpException TooLarge(HttpResponseMessage response, long limit) =>
        new(response.StatusCode, $"The answer is larger than the client's MaxResponseBytes ({limit} bytes).", ErrorParser.RequestId(response), null, response.RequestMessage?.RequestUri);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Authorize(HttpRequestMessage request, RequestCredentials credentials)
    {
        // Without validation: both values are ours and fixed, and parsing them cost every call.
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (credentials == RequestCredentials.HubToken)
        {
            // The Hub gets a Hugging Face token only: a provider's key is never sent to huggingface.co.
            if (_bearer != null && IsRouted)
            {
                request.Headers.TryAddWithoutValidation("Authorization", _bearer);
            }

            return;
        }

        if (credentials == RequestCredentials.Client && _bearer != null && !request.Headers.Contains("Authorization"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", _bearer);
        }

        if (credentials == RequestCredentials.Client && !string.IsNullOrEmpty(Options.BillTo))
        {
            request.Headers.TryAddWithoutValidation("X-HF-Bill-To", Options.BillTo);
        }

        // Counted first: enumerating the frozen dictionary allocates its enumerator, on every call.
        if (Options.Headers.Count > 0)
        {
            foreach (var (name, value) in Options.Headers)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (credentials == RequestCredentials.Client && Options.Cookies.Count > 0)
        {
            var cookies = new StringBuilder();
            foreach (var (name, value) in Options.Cookies)
            {
                cookies.Append(cookies.Length == 0 ? string.Empty : "; ").Append(name).Append('=').Append(value);
            }

            request.Headers.TryAddWithoutValidation("Cookie", cookies.ToString());
        }
    }

    private TimeSpan LoadingDelay(int attempt, double estimatedSeconds)
    {
        // Wait what the server estimates, but at most an exponentially growing cap (1, 2, 4, 8, 10 s…).
        var cap = TimeSpan.FromSeconds(Math.Min(LoadingRetryMaximumDelay.TotalSeconds, Math.Pow(2, attempt)));
        var estimate = SafeSeconds(estimatedSeconds);
        var delay = estimate < cap ? estimate : cap;
        return delay < LoadingRetryMinimumDelay ? LoadingRetryMinimumDelay : delay;
    }

    private static async ValueTask DelayAsync(TimeSpan delay, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        else if (cancellationToken.WaitHandle.WaitOne(delay))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async ValueTask<string?> ReadTextAsync(HttpResponseMessage response, bool async, CancellationToken cancellationToken)
    {
        var stream = async
            ? await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)
            : response.Content.ReadAsStream(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var abort = CancelSyncReads(response, async, cancellationToken);
        var buffer = new char[MaxErrorBodyChars];
        var length = 0;
        while (length < buffer.Length)
        {
            int read;
            try
            {
                read = async
                    ? await reader.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)
                    : reader.Read(buffer.AsSpan(length));
            }
            catch (Exception failure) when (failure is IOException or ObjectDisposedException or HttpRequestException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The error answer was still being read when the call was cancelled.", failure, cancellationToken);
            }

            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length == 0 ? null : new string(buffer, 0, length);
    }

    internal HfHubHttpException CreateException(HttpResponseMessage response, string? body, Uri? url)
    {
        body = Redact(body);
        return new(response.StatusCode, Redact(ErrorParser.Message(response, body)), ErrorParser.RequestId(response), body, WithoutQuery(url))
        {
            ResponseProvider = ProviderHeader(response),
        };
    }

    /// <summary>
    /// Server text with the client's own token blanked: a server (or a proxy) that echoes the request's
    /// Authorization header back must not put the token into an exception, a log line or a bug report.
    /// </summary>
    internal string? Redact(string? text) =>
        text == null || _token == null || _token.Length < 8 || !text.Contains(_token, StringComparison.Ordinal)
            ? text
            : text.Replace(_token, "[redacted token]", StringComparison.Ordinal);

    /// <summary>The provider the router says answered (<c>x-inference-provider</c>), if it says.</summary>
    internal static string? ProviderHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-inference-provider", out var values) ? values.FirstOrDefault() : null;

    /// <summary>A URL fit for an exception, a log line or a tag: no query, fragment or user info (any may hold a key).</summary>
    internal static Uri? WithoutQuery(Uri? url) =>
        url == null ? null
        : !url.IsAbsoluteUri ? new Uri(url.OriginalString.Split('?', '#')[0], UriKind.Relative)
        : url.Query.Length == 0 && url.Fragment.Length == 0 && url.UserInfo.Length == 0 ? url
        : new UriBuilder(url) { Query = string.Empty, Fragment = string.Empty, UserName = string.Empty, Password = string.Empty }.Uri;

    private static string BuildUserAgent()
    {
        var version = typeof(InferenceTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+');
        if (plus >= 0)
        {
            version = version[..plus];
        }

        return $"HuggingFace.Inference/{version} ({RuntimeInformation.FrameworkDescription.Replace('(', '[').Replace(')', ']')}; {RuntimeInformation.OSDescription.Replace('(', '[').Replace(')', ']')})";
    }
}

/// <summary>
/// A call of a client of this library sent through handlers before the policies, carried in the request's
/// options: the <see cref="InferencePolicyHandler"/> that receives it runs the attempts with this transport
/// (its options, token and inner chain), not with its own.
/// </summary>
/// <param name="Transport">The calling client's transport.</param>
/// <param name="CreateRequest">Builds the request again for a later attempt; null for a request built by Refit (its body is buffered instead).</param>
/// <param name="Retryable">Whether the call may be retried (null: as the policy handler decides from the method).</param>
/// <param name="Credentials">What the attempts carry.</param>
internal sealed record PolicyCall(InferenceTransport Transport, Func<HttpRequestMessage>? CreateRequest, bool? Retryable, RequestCredentials Credentials)
{
    public static readonly HttpRequestOptionsKey<PolicyCall> Key = new("HuggingFace.Inference.PolicyCall");
}

/// <summary>An answer's content read inflated (see <see cref="InferenceTransport"/>'s <c>Inflated</c>); disposing it disposes the compressed one.</summary>
internal sealed class InflatedContent : HttpContent
{
    private readonly HttpContent _compressed;
    private readonly DecompressionMethods _method;

    public InflatedContent(HttpContent compressed, DecompressionMethods method)
    {
        _compressed = compressed;
        _method = method;
        foreach (var header in compressed.Headers.NonValidated)
        {
            if (string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // the compressed length: the inflated one is not known
            }

            if (string.Equals(header.Key, "Content-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                // Every coding but the last one, which this content undoes.
                var codings = string.Join(",", header.Value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                foreach (var coding in codings.AsSpan(0, codings.Length - 1))
                {
                    Headers.TryAddWithoutValidation(header.Key, coding);
                }

                continue;
            }

            foreach (var value in header.Value)
            {
                Headers.TryAddWithoutValidation(header.Key, value);
            }
        }
    }

    private Stream Inflate(Stream compressed) => _method switch
    {
        DecompressionMethods.GZip => new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress),
        DecompressionMethods.Brotli => new System.IO.Compression.BrotliStream(compressed, System.IO.Compression.CompressionMode.Decompress),
        _ => new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionMode.Decompress),
    };

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => Inflate(_compressed.ReadAsStream(cancellationToken));

    protected override async Task<Stream> CreateContentReadStreamAsync() => Inflate(await _compressed.ReadAsStreamAsync().ConfigureAwait(false));

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Inflate(await _compressed.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) => await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var inflated = Inflate(await _compressed.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        await inflated.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var inflated = Inflate(_compressed.ReadAsStream(cancellationToken));
        inflated.CopyTo(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _compressed.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>What a request carries besides the User-Agent.</summary>
internal enum RequestCredentials
{
    /// <summary>The token, bill-to, the client's headers and cookies: an inference call through the router or to an endpoint.</summary>
    Client,

    /// <summary>A Hugging Face token only (none when the token is a provider's key): a Hub API call.</summary>
    HubToken,

    /// <summary>The client's headers; the caller sets the provider key's Authorization itself: a direct call to a provider.</summary>
    Direct,
}
