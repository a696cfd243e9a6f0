using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Providers;

/// <summary>
/// One runner for every queued provider job: from the submit answer to the final answer. Each pattern
/// says where its status is (a URL from the answer, or the registry's poll route), which states are
/// pending, done or failed; the runner polls with a growing interval until done, a final failure, the
/// deadline, or cancellation. Status and result URLs from an answer are only trusted for their path: they
/// are put under the router's provider path (or the direct base), so the token goes nowhere else.
/// </summary>
internal sealed class ProviderJobs
{
    private readonly InferenceTransport _transport;
    private readonly ProviderRouter _router;

    public ProviderJobs(InferenceTransport transport, ProviderRouter router)
    {
        _transport = transport;
        _router = router;
    }

    /// <summary>The first wait between polls; tests shorten it. Null: the pattern's own (0.5 s to 5 s).</summary>
    internal TimeSpan? PollInterval { get; set; }

    /// <summary>How long a job may run when the client has no timeout: 15 minutes for video, 5 for anything else.</summary>
    public static TimeSpan DefaultDeadline(string task) => task.Contains("video", StringComparison.Ordinal) ? TimeSpan.FromMinutes(15) : TimeSpan.FromMinutes(5);

    /// <summary>Polls the job <paramref name="submitted"/> started until it is done; returns the answer the answer form reads.</summary>
    public async ValueTask<byte[]> RunAsync(ProviderRoute route, string task, byte[] submitted, RequestCredentials credentials, Func<HttpRequestMessage, HttpRequestMessage> authorize, bool async, CancellationToken cancellationToken)
    {
        var job = route.Entry!.Job;
        var answer = Parse(submitted, route, task, InferenceProviderPhase.Submit);
        var watch = new JobWatch(route, task, job, ProviderJobProgressExtensions.For(this));
        watch.Report(answer, State(job, answer));
        if (job != ProviderJobForm.FalQueue && State(job, answer) == JobState.Done)
        {
            return submitted; // finished already (replicate's Prefer: wait held the connection until it did)
        }

        if (State(job, answer) == JobState.Failed)
        {
            throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Submit, HttpStatusCode.OK, $"The job failed: {FailureMessage(answer) ?? "the provider gave no reason"}.");
        }

        var deadline = _transport.Options.Timeout ?? DefaultDeadline(task);
        using var timeout = new CancellationTokenSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        var statusUrl = StatusUrl(route, job, answer, task);
        var interval = PollInterval ?? InitialInterval(job);
        try
        {
            while (true)
            {
                await Delay(interval, async, token).ConfigureAwait(false);
                interval = NextInterval(interval);
                var (status, body) = await GetAsync(statusUrl, route, task, InferenceProviderPhase.Poll, credentials, authorize, async, token).ConfigureAwait(false);
                var state = State(job, status);
                watch.Polled();
                watch.Report(status, state);
                if (state == JobState.Pending)
                {
                    continue;
                }

                if (state == JobState.Failed)
                {
                    throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Poll, HttpStatusCode.OK, $"The job failed: {FailureMessage(status) ?? "the provider gave no reason"}.", responseBody: body.Length > 65536 ? null : System.Text.Encoding.UTF8.GetString(body), requestUri: InferenceTransport.WithoutQuery(statusUrl));
                }

                if (job != ProviderJobForm.FalQueue)
                {
                    return body;
                }

                // fal: the result is at the response URL, the status URL without "/status".
                var (_, result) = await GetAsync(ResultUrl(route, answer, task), route, task, InferenceProviderPhase.Result, credentials, authorize, async, token).ConfigureAwait(false);
                return result;
            }
        }
        catch (InferenceProviderException)
        {
            // Also a job whose status said done but whose result is an error (fal answers COMPLETED, then the error).
            watch.Failed();
            throw;
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new InferenceTimeoutException($"The {route.ProviderName} job ({task}) did not finish within {deadline}.", exception);
        }
    }

    private async ValueTask<(JsonNode Status, byte[] Body)> GetAsync(Uri url, ProviderRoute route, string task, InferenceProviderPhase phase, RequestCredentials credentials, Func<HttpRequestMessage, HttpRequestMessage> authorize, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var body = await _transport.SendAsync(
                () => authorize(new HttpRequestMessage(HttpMethod.Get, url)),
                (response, isAsync, token) => _transport.ReadBodyAsync(response, isAsync, token),
                async,
                cancellationToken,
                credentials: credentials).ConfigureAwait(false);
            return (Parse(body, route, task, phase), body);
        }
        catch (HfHubHttpException error)
        {
            throw InferenceProviderException.From(error, route.ProviderName, route.ProviderModelId, task, phase);
        }
    }

    private Uri StatusUrl(ProviderRoute route, ProviderJobForm job, JsonNode answer, string task)
    {
        string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        switch (job)
        {
            case ProviderJobForm.FalQueue:
                return FalUrl(route, Text(answer["response_url"]) ?? throw ProviderAnswers.Missing(route, task, "response_url"), "/status");
            case ProviderJobForm.Replicate:
                return Under(route, Text(answer["urls"]?["get"]) ?? throw ProviderAnswers.Missing(route, task, "urls.get"));
            case ProviderJobForm.Wavespeed:
                return Under(route, Text(answer["data"]?["urls"]?["get"]) ?? throw ProviderAnswers.Missing(route, task, "data.urls.get"));
            case ProviderJobForm.TogetherVideo:
            case ProviderJobForm.ZaiAsync:
                return Polled(route, Text(answer["id"]) ?? throw ProviderAnswers.Missing(route, task, "id"));
            case ProviderJobForm.NovitaAsync:
                var id = Text(answer["task_id"]) ?? throw ProviderAnswers.Missing(route, task, "task_id");
                var url = Polled(route, id);
                return url.Query.Contains("task_id", StringComparison.Ordinal) ? url : new UriBuilder(url) { Query = "task_id=" + Uri.EscapeDataString(id) }.Uri;
            default:
                throw new NotSupportedException($"The job pattern {job} is not run by this client.");
        }
    }

    private Uri ResultUrl(ProviderRoute route, JsonNode answer, string task) =>
        FalUrl(route, (answer["response_url"] is JsonValue url && url.TryGetValue<string>(out var text) ? text : null) ?? throw ProviderAnswers.Missing(route, task, "response_url"), string.Empty);

    /// <summary>fal's queue: the answer's response URL's path, on the queue (routed: the router with <c>_subdomain=queue</c>).</summary>
    private Uri FalUrl(ProviderRoute route, string responseUrl, string suffix)
    {
        var given = new Uri(responseUrl, UriKind.RelativeOrAbsolute);
        var path = (given.IsAbsoluteUri ? given.AbsolutePath : responseUrl.Split('?')[0]).TrimEnd('/') + suffix;
        var builder = new UriBuilder(ModelResolver.Combine(_router.JobBase(route, queued: true), path));
        var query = given.IsAbsoluteUri ? given.Query.TrimStart('?') : string.Empty;
        if (!route.Direct)
        {
            query = query.Length == 0 ? "_subdomain=queue" : query + "&_subdomain=queue";
        }

        builder.Query = query;
        return builder.Uri;
    }

    private Uri Under(ProviderRoute route, string url)
    {
        var given = new Uri(url, UriKind.RelativeOrAbsolute);
        var builder = new UriBuilder(ModelResolver.Combine(_router.JobBase(route, queued: false), given.IsAbsoluteUri ? given.AbsolutePath : url.Split('?')[0]));
        builder.Query = given.IsAbsoluteUri ? given.Query.TrimStart('?') : string.Empty;
        return builder.Uri;
    }

    private Uri Polled(ProviderRoute route, string id)
    {
        var template = route.Entry!.PollRoute ?? throw new InvalidOperationException($"{route.ProviderName} {route.Entry.Task} has a job but no pollRoute in its spec.");
        return ProviderRouter.Expand(_router.JobBase(route, queued: false), template, route.ProviderModelId!, route.ModelId!, id);
    }

    /// <summary>The wait after <paramref name="interval"/>: 1.5 times longer, up to 5 s (a pattern that starts above 5 s keeps its own).</summary>
    internal static TimeSpan NextInterval(TimeSpan interval) =>
        TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 1.5, Math.Max(5000, interval.TotalMilliseconds)));

    /// <summary>The first wait of each pattern: what the peers poll at (fal, novita, wavespeed 0.5 s; replicate 1 s; together 2 s; zai-org 5 s).</summary>
    internal static TimeSpan InitialInterval(ProviderJobForm job) => job switch
    {
        ProviderJobForm.TogetherVideo => TimeSpan.FromSeconds(2),
        ProviderJobForm.ZaiAsync => TimeSpan.FromSeconds(5),
        ProviderJobForm.Replicate => TimeSpan.FromSeconds(1),
        _ => TimeSpan.FromMilliseconds(500),
    };

    /// <summary>
    /// What a job's reports say: to the caller's <see cref="IProgress{T}"/> (when a scope asked for one) and, as
    /// <c>huggingface.job.status</c> events, to the call's activity.
    /// </summary>
    private sealed class JobWatch(ProviderRoute route, string task, ProviderJobForm job, IProgress<ProviderJobProgress>? progress)
    {
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _polls;

        private ProviderJobStatus? _last;
        private string? _lastWord;

        public void Polled() => _polls++;

        public void Report(JsonNode status, JobState state)
        {
            var word = StatusWord(job, status);
            var position = status["queue_position"] is JsonValue value && value.TryGetValue<int>(out var place) ? place : (int?)null;
            Send(state switch
            {
                JobState.Done => ProviderJobStatus.Completed,
                JobState.Failed => ProviderJobStatus.Failed,
                _ => IsQueued(word) ? ProviderJobStatus.Queued : ProviderJobStatus.Running,
            }, word, position);
        }

        /// <summary>The call is failing with the provider's error: a last Failed report unless one was sent.</summary>
        public void Failed()
        {
            if (_last != ProviderJobStatus.Failed)
            {
                Send(ProviderJobStatus.Failed, _lastWord, null);
            }
        }

        private void Send(ProviderJobStatus reported, string? word, int? position)
        {
            _last = reported;
            _lastWord = word;
            var activity = System.Diagnostics.Activity.Current;
            if (progress == null && activity == null)
            {
                return;
            }

            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
            activity?.AddEvent(new System.Diagnostics.ActivityEvent("huggingface.job.status", tags: new System.Diagnostics.ActivityTagsCollection
            {
                ["huggingface.job.status"] = reported.ToString(),
                ["huggingface.job.provider_status"] = word,
                ["huggingface.job.queue_position"] = position,
                ["huggingface.job.polls"] = _polls,
            }));
            // A job only runs on a provider's route, so the route always names one.
            progress?.Report(new ProviderJobProgress(route.ProviderName!, task, route.ProviderModelId, reported, word, position, _polls, elapsed));
        }

        private static bool IsQueued(string? word) => word?.ToUpperInvariant() is "IN_QUEUE" or "QUEUED" or "STARTING" or "CREATED" or "PENDING" or "TASK_STATUS_QUEUED" or "SUBMITTED";
    }

    private static string? StatusWord(ProviderJobForm job, JsonNode status)
    {
        string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return job switch
        {
            ProviderJobForm.NovitaAsync => Text(status["task"]?["status"]),
            ProviderJobForm.ZaiAsync => Text(status["task_status"]),
            ProviderJobForm.Wavespeed => Text(status["data"]?["status"]),
            _ => Text(status["status"]),
        };
    }

    private enum JobState
    {
        Pending,
        Done,
        Failed,
    }

    private static JobState State(ProviderJobForm job, JsonNode status)
    {
        string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var state = job switch
        {
            ProviderJobForm.FalQueue => Text(status["status"]),
            ProviderJobForm.Replicate => Text(status["status"]),
            ProviderJobForm.TogetherVideo => Text(status["status"]),
            ProviderJobForm.NovitaAsync => Text(status["task"]?["status"]),
            ProviderJobForm.ZaiAsync => Text(status["task_status"]),
            ProviderJobForm.Wavespeed => Text(status["data"]?["status"]),
            _ => null,
        };
        switch (state?.ToUpperInvariant())
        {
            case "COMPLETED":
            case "SUCCEEDED":
            case "SUCCESS":
            case "TASK_STATUS_SUCCEED":
                return JobState.Done;
            case "FAILED":
            case "FAIL":
            case "ERROR":
            case "CANCELED":
            case "CANCELLED":
            case "TASK_STATUS_FAILED":
                return JobState.Failed;
            default:
                return JobState.Pending;
        }
    }

    private static string? FailureMessage(JsonNode status)
    {
        var error = status["error"] ?? status["data"]?["error"] ?? status["task"]?["reason"] ?? status["message"];
        return error switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject obj => obj["message"]?.ToString() ?? obj.ToJsonString(),
            _ => null,
        };
    }

    private static JsonNode Parse(byte[] body, ProviderRoute route, string task, InferenceProviderPhase phase)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw ProviderAnswers.Missing(route, task, "a body");
        }
        catch (JsonException exception)
        {
            throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task, phase, HttpStatusCode.OK, "The provider's answer is not JSON: " + exception.Message, innerException: exception);
        }
    }

    private static async ValueTask Delay(TimeSpan delay, bool async, CancellationToken cancellationToken)
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
}
