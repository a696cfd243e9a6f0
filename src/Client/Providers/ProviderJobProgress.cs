using System;
using System.Threading;

namespace HuggingFace.Inference;

/// <summary>Where a queued provider job is (the provider's own word for it is <see cref="ProviderJobProgress.ProviderStatus"/>).</summary>
public enum ProviderJobStatus
{
    /// <summary>Accepted and waiting for a worker (fal IN_QUEUE, together queued, replicate starting …).</summary>
    Queued,

    /// <summary>Being worked on (fal IN_PROGRESS, together in_progress, replicate processing …).</summary>
    Running,

    /// <summary>Done: the result is being fetched.</summary>
    Completed,

    /// <summary>The provider says the job failed; the call throws <see cref="InferenceProviderException"/>.</summary>
    Failed,
}

/// <summary>
/// One report about a queued provider job (a text-to-video on fal-ai, a replicate prediction …): sent when the job is
/// submitted, after every status poll, and when it ends. Reports go to the <see cref="IProgress{T}"/> given to
/// <see cref="ProviderJobProgressExtensions.ReportJobProgress"/>.
/// </summary>
/// <param name="Provider">The provider running the job.</param>
/// <param name="Task">The task ("text-to-video" …).</param>
/// <param name="ProviderModelId">The model's id at the provider.</param>
/// <param name="Status">Where the job is.</param>
/// <param name="ProviderStatus">The provider's status word, as it sent it (null when it sent none).</param>
/// <param name="QueuePosition">The job's place in the provider's queue when the provider says (fal does), else null.</param>
/// <param name="Polls">How many status polls have been answered so far.</param>
/// <param name="Elapsed">The time since the job was submitted.</param>
public sealed record ProviderJobProgress(string Provider, string Task, string? ProviderModelId, ProviderJobStatus Status, string? ProviderStatus, int? QueuePosition, int Polls, TimeSpan Elapsed);

/// <summary>Progress of an <see cref="InferenceClient"/>'s queued provider jobs.</summary>
public static class ProviderJobProgressExtensions
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>
    /// Sends a report about every queued provider job that <paramref name="client"/> runs in the current async flow
    /// (the calls awaited after this one) to <paramref name="progress"/>, until the returned scope is disposed.
    /// The generated task methods take no progress argument; this scope reaches them all.
    /// </summary>
    /// <example><code>
    /// using (client.ReportJobProgress(new Progress&lt;ProviderJobProgress&gt;(p => Console.Write($"\r{p.Status} {p.Elapsed:mm\:ss}"))))
    /// {
    ///     var video = await client.TextToVideoAsync("A cat on a skateboard", model: "Wan-AI/Wan2.2-TI2V-5B");
    /// }
    /// </code></example>
    public static IDisposable ReportJobProgress(this InferenceClient client, IProgress<ProviderJobProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(progress);

        // Set in a method that is not async, so the value stays in the caller's flow.
        var scope = new Scope(client.Jobs, progress, Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>The progress receiver for <paramref name="jobs"/> in the current flow, or null.</summary>
    internal static IProgress<ProviderJobProgress>? For(Providers.ProviderJobs jobs)
    {
        for (var scope = Current.Value; scope != null; scope = scope.Outer)
        {
            if (!scope.Disposed && ReferenceEquals(scope.Jobs, jobs))
            {
                return scope.Progress;
            }
        }

        return null;
    }

    private sealed class Scope(Providers.ProviderJobs jobs, IProgress<ProviderJobProgress> progress, Scope? outer) : IDisposable
    {
        public Providers.ProviderJobs Jobs { get; } = jobs;

        public IProgress<ProviderJobProgress> Progress { get; } = progress;

        public Scope? Outer { get; } = outer;

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Disposed = true;
            if (ReferenceEquals(Current.Value, this))
            {
                Current.Value = Outer;
            }
        }
    }
}
