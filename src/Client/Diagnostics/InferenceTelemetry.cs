using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace HuggingFace.Inference.Diagnostics;

/// <summary>
/// The client's traces and metrics, named <c>HuggingFace.Inference</c>, following the OpenTelemetry
/// semantic conventions for generative AI: one activity per inference call (task methods, chat and text
/// generation, <c>Post</c>, <c>Send</c>; not the utility reads) (<c>gen_ai.operation.name</c>,
/// <c>gen_ai.provider.name</c>, the request and response model, the response id, token usage, finish
/// reasons, <c>error.type</c>), and the histograms <c>gen_ai.client.operation.duration</c>,
/// <c>gen_ai.client.token.usage</c> and, for streams, <c>gen_ai.client.operation.time_to_first_chunk</c>.
/// Inference Endpoints management calls get an <c>endpoints {method}</c> activity without gen_ai tags.
/// Tags never carry the token, prompts or answers.
/// </summary>
public static class InferenceTelemetry
{
    /// <summary>The name of the ActivitySource and the Meter.</summary>
    public const string Name = "HuggingFace.Inference";

    private const string Provider = "huggingface";

    private static readonly string Version = typeof(InferenceTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static readonly ActivitySource Source = new(Name, Version);

    private static readonly Meter Meter = new(Name, Version);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "How long a call took.");

    private static readonly Histogram<long> Tokens = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used, by gen_ai.token.type (input or output).");

    private static readonly Histogram<double> FirstChunk = Meter.CreateHistogram<double>("gen_ai.client.operation.time_to_first_chunk", "s", "How long a stream took to deliver its first chunk.");

    /// <summary>
    /// Whether anyone listens to a call's activity or its duration: an <see cref="ActivityListener"/> sampling this
    /// source, or a <see cref="MeterListener"/> enabled on the duration histogram. When nobody does, an
    /// <see cref="Operation"/> would measure nothing, and the hot path starts none.
    /// </summary>
    internal static bool IsListened => Source.HasListeners() || Duration.Enabled;

    /// <summary>
    /// Starts measuring one call. <paramref name="operation"/> is a task name or a gen_ai operation; feature
    /// extraction is reported under the conventions' well-known name <c>embeddings</c> (with <c>huggingface.task</c>
    /// saying which task), other tasks under their own names.
    /// </summary>
    internal static Operation Start(string operation, string? model, Uri? server) =>
        operation == "feature-extraction" ? new("embeddings", model, server, task: operation) : new(operation, model, server);

    /// <summary>
    /// Starts the activity of one Inference Endpoints management call (<c>endpoints {method}</c>): not a gen_ai
    /// operation, so no gen_ai tags or histograms; HttpClient's own <c>http.client.request.duration</c> measures it.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The URL called (its query is left out).</param>
    /// <param name="operation">The interface method's name (<c>ListHardware</c>), as <c>huggingface.operation</c>, when known.</param>
    internal static Activity? StartManagement(string method, Uri url, string? operation = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("endpoints " + method, ActivityKind.Client);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("server.address", url.Host);
        activity?.SetTag("server.port", url.Port);

        // The path names the namespace and endpoint; the query (paging) is left out like everywhere else.
        activity?.SetTag("url.path", url.AbsolutePath);
        if (operation != null)
        {
            activity?.SetTag("huggingface.operation", operation);
        }

        return activity;
    }

    /// <summary>Marks a management call's activity as failed, with the status code (or exception type) as <c>error.type</c>.</summary>
    internal static void ManagementFailed(Activity? activity, Exception exception)
    {
        if (activity == null)
        {
            return;
        }

        activity.SetTag("error.type", exception is HfHubHttpException http ? ((int)http.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : exception.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
    }

    /// <summary>One call's activity and measurements; disposing it records the duration.</summary>
    internal sealed class Operation : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly string _operation;
        private readonly string? _model;
        private readonly Uri? _server;
        private string? _responseModel;
        private string? _error;
        private bool _firstChunkSeen;

        public Operation(string operation, string? model, Uri? server, string? task = null)
        {
            // A model may be an endpoint URL: its query or user info (a key) goes into no span name or tag.
            if (model != null && (model.Contains('?', StringComparison.Ordinal) || model.Contains('@', StringComparison.Ordinal)) && Uri.TryCreate(model, UriKind.Absolute, out var url))
            {
                model = Http.InferenceTransport.WithoutQuery(url)!.ToString();
            }

            _operation = operation;
            _model = model;
            _server = server;
            // Nothing is built (not even the activity's name) unless someone listens: calls are hot paths.
            Activity = Source.HasListeners() ? Source.StartActivity(model == null ? operation : operation + " " + model, ActivityKind.Client) : null;
            if (Activity != null)
            {
                Activity.SetTag("gen_ai.operation.name", operation);
                Activity.SetTag("gen_ai.provider.name", Provider);
                Activity.SetTag("gen_ai.request.model", model);
                Activity.SetTag("server.address", server?.Host);
                Activity.SetTag("server.port", server?.Port);
                if (task != null)
                {
                    Activity.SetTag("huggingface.task", task);
                }
            }
        }

        public Activity? Activity { get; }

        public void Response(string? id, string? model, string? finishReason)
        {
            _responseModel = model ?? _responseModel;
            Activity?.SetTag("gen_ai.response.id", id);
            Activity?.SetTag("gen_ai.response.model", model);
            if (finishReason != null)
            {
                Activity?.SetTag("gen_ai.response.finish_reasons", new[] { finishReason });
            }
        }

        public void Usage(long? input, long? output)
        {
            if (input is { } inputTokens)
            {
                Activity?.SetTag("gen_ai.usage.input_tokens", inputTokens);
                if (Tokens.Enabled)
                {
                    Tokens.Record(inputTokens, Tags(("gen_ai.token.type", "input")));
                }
            }

            if (output is { } outputTokens)
            {
                Activity?.SetTag("gen_ai.usage.output_tokens", outputTokens);
                if (Tokens.Enabled)
                {
                    Tokens.Record(outputTokens, Tags(("gen_ai.token.type", "output")));
                }
            }
        }

        /// <summary>A stream delivered a chunk; the first one records the time to first chunk.</summary>
        public void Chunk()
        {
            if (!_firstChunkSeen)
            {
                _firstChunkSeen = true;
                if (FirstChunk.Enabled)
                {
                    FirstChunk.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, Tags());
                }

                Activity?.AddEvent(new ActivityEvent("gen_ai.first_chunk"));
            }
        }

        /// <summary>
        /// The Inference Provider that serves the call (chosen by the client, or named by the router's
        /// <c>x-inference-provider</c> header): <c>huggingface.inference.provider</c>.
        /// </summary>
        public void InferenceProvider(string? provider)
        {
            if (provider != null)
            {
                Activity?.SetTag("huggingface.inference.provider", provider);
            }
        }

        /// <summary>The answer came from the response cache: no request was sent.</summary>
        public void CacheHit() => Activity?.SetTag("huggingface.cache.hit", true);

        public void Failed(Exception exception)
        {
            _error = exception is HfHubHttpException http ? ((int)http.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : exception.GetType().FullName;
            Activity?.SetTag("error.type", _error);
            Activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        }

        public void Dispose()
        {
            if (Duration.Enabled)
            {
                Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, Tags());
            }

            Activity?.Dispose();
        }

        private TagList Tags(params (string Key, object? Value)[] extra)
        {
            var tags = new TagList
            {
                { "gen_ai.operation.name", _operation },
                { "gen_ai.provider.name", Provider },
                { "gen_ai.request.model", _model },
                { "gen_ai.response.model", _responseModel },
                { "server.address", _server?.Host },
            };
            if (_error != null)
            {
                tags.Add("error.type", _error);
            }

            foreach (var (key, value) in extra)
            {
                tags.Add(key, value);
            }

            return tags;
        }
    }
}
