using System;
using System.Diagnostics;
using System.Threading;

namespace HuggingFace.Inference.Http;

/// <summary>
/// One deadline for a whole call (<see cref="InferenceClientOptions.Timeout"/>): the provider lookup, an
/// input URL's download, every attempt, every retry wait, job polls and the answer's body share it.
/// </summary>
/// <remarks>
/// The deadline is ambient (an <see cref="AsyncLocal{T}"/>) rather than a parameter: a call's steps sit in
/// several layers (routing, inputs, jobs, the transport) and a nested step, however it is reached, must
/// not start a fresh timeout of its own. An async method that begins a deadline sees it vanish when it
/// returns (the execution context is restored), synchronous twins included, so it never leaks to a
/// caller. Work shared between calls (the Hub mapping cache's fetch) detaches itself with <see cref="Detach"/>.
/// </remarks>
internal sealed class CallDeadline : IDisposable
{
    private static readonly AsyncLocal<CallDeadline?> Ambient = new();

    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _caller;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CallDeadline? _outer;
    private readonly CallDeadline? _previous;
    private readonly bool _installed;

    private CallDeadline(TimeSpan? limit, CancellationToken cancellationToken, CallDeadline? outer)
    {
        _caller = cancellationToken;
        _outer = outer;
        if (outer != null)
        {
            // A nested step: the outer deadline, plus whatever token the step was given (a job's own deadline).
            Limit = outer.Limit;
            _started = outer._started;
            var shared = outer.Token;
            if (cancellationToken.CanBeCanceled && cancellationToken != shared && cancellationToken != outer._caller)
            {
                _linked = CancellationTokenSource.CreateLinkedTokenSource(shared, cancellationToken);
            }

            Token = _linked?.Token ?? shared;
            return;
        }

        Limit = limit;
        if (limit is { } span)
        {
            _timeout = new CancellationTokenSource(span);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        }

        Token = _linked?.Token ?? cancellationToken;
        if (limit == null)
        {
            // Without a limit the deadline is only the caller's token: a nested step given that token, or one of
            // its own (which the call's code links to the caller's itself, as ProviderJobs does), ends the same
            // way with or without it. Not installing it keeps the execution context the default one, which
            // every await below (HttpClient's included) would otherwise capture and restore: a cost per call.
            return;
        }

        _previous = Ambient.Value;
        Ambient.Value = this;
        _installed = true;
    }

    /// <summary>The call's token: the caller's cancellation and the deadline.</summary>
    public CancellationToken Token { get; }

    /// <summary>The client's timeout, or null when the call has none.</summary>
    public TimeSpan? Limit { get; }

    /// <summary>Whether the deadline (not the caller) ended the call.</summary>
    public bool TimedOut => _outer?.TimedOut ?? (_timeout?.IsCancellationRequested == true && !_caller.IsCancellationRequested);

    /// <summary>How long the call has run.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>The time left before the deadline (at least zero), or null when there is none.</summary>
    public TimeSpan? Remaining => Limit is { } limit ? (limit - Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero) : null;

    /// <summary>
    /// The ambient deadline when <paramref name="cancellationToken"/> is its own token (a step of the call that made
    /// it, given nothing else to honour): that step needs no deadline object of its own. Else null.
    /// </summary>
    public static CallDeadline? Joining(CancellationToken cancellationToken) =>
        Ambient.Value is { } ambient && ambient.Token == cancellationToken ? ambient : null;

    /// <summary>Whether a call's deadline is under way in this flow.</summary>
    public static bool IsAmbient => Ambient.Value != null;

    /// <summary>
    /// A deadline without a limit, shared: what a step outside any deadline of a client without a timeout reads its
    /// limit, remaining time and elapsed time from (elapsed is only ever compared with itself). Its token is none:
    /// such a step uses its caller's. Never disposed, never installed.
    /// </summary>
    public static CallDeadline Unlimited { get; } = new(null, CancellationToken.None, null);

    /// <summary>The deadline of the call under way, or a new one of <paramref name="limit"/> when none is.</summary>
    public static CallDeadline Begin(TimeSpan? limit, CancellationToken cancellationToken) =>
        new(limit, cancellationToken, Ambient.Value);

    /// <summary>Work shared by several calls runs under none of their deadlines (call inside an async method).</summary>
    public static void Detach() => Ambient.Value = null;

    /// <summary>The exception for a call the deadline ended.</summary>
    public InferenceTimeoutException Expired(Exception cause) =>
        new($"The call did not complete within the client's timeout of {Limit}.", cause);

    public void Dispose()
    {
        if (_installed && Ambient.Value == this)
        {
            Ambient.Value = _previous;
        }

        _linked?.Dispose();
        _timeout?.Dispose();
    }
}
