namespace HuggingFace.Inference.Testing;

/// <summary>An answer the server gives instead of the task's, for the next request(s): errors, loading, delays.</summary>
public sealed record ScriptedResponse
{
    /// <summary>The status code.</summary>
    public int Status { get; init; } = 200;

    /// <summary>The body; null for none.</summary>
    public string? Body { get; init; }

    /// <summary>A binary body (an image), used instead of <see cref="Body"/> when set.</summary>
    public byte[]? BodyBytes { get; init; }

    /// <summary>The Content-Type of the body.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A raw event stream to send chunk by chunk (each flushed), instead of <see cref="Body"/>.</summary>
    public IReadOnlyList<string>? Chunks { get; init; }

    /// <summary>Resets the connection after the last of the <see cref="Chunks"/> instead of ending the stream.</summary>
    public bool ResetAfterChunks { get; init; }

    /// <summary>How long to wait between two <see cref="Chunks"/>.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Cuts the connection after sending this many bytes of the body (0: before the headers), to test network failures.</summary>
    public int? AbortAfterBytes { get; init; }

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>After the delay, answer as the task normally would (a slow server) instead of with <see cref="Body"/>.</summary>
    public bool ThenAnswerNormally { get; init; }

    // Hostile answers (see HostileAnswers): a body written by code, for sizes no test should hold in memory.

    /// <summary>Writes the body itself (after the status, <see cref="ContentType"/> and <see cref="Headers"/>), until done or the client leaves.</summary>
    public Func<Stream, CancellationToken, Task>? WriteBody { get; init; }

    /// <summary>503 "model is loading", as the serverless API says it.</summary>
    public static ScriptedResponse Loading(double estimatedSeconds = 0.01) => new()
    {
        Status = 503,
        Body = $$"""{"error":"Model is currently loading","estimated_time":{{estimatedSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""",
    };

    /// <summary>An error with the serverless API's body shape and a request id.</summary>
    public static ScriptedResponse Error(int status, string message, string? requestId = "req-test-0001") => new()
    {
        Status = status,
        Body = System.Text.Json.JsonSerializer.Serialize(new { error = message }),
        Headers = requestId == null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["x-request-id"] = requestId },
    };

    /// <summary>A 200 event stream of raw chunks (<c>data: …\n\n</c>, comments, CRLF …), sent with a pause between them.</summary>
    public static ScriptedResponse Stream(TimeSpan chunkDelay, params string[] chunks) => new() { Chunks = chunks, ChunkDelay = chunkDelay, ContentType = "text/event-stream" };

    /// <summary>The connection reset before any answer.</summary>
    public static ScriptedResponse ResetBeforeHeaders() => new() { AbortAfterBytes = 0 };

    /// <summary>A 429 asking the client to wait <paramref name="retryAfterSeconds"/>.</summary>
    public static ScriptedResponse TooManyRequests(int retryAfterSeconds) => new()
    {
        Status = 429,
        Body = "{\"error\":\"Rate limit reached\"}",
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary>A redirect to <paramref name="location"/>.</summary>
    public static ScriptedResponse Redirect(Uri location, int status = 307) => new()
    {
        Status = status,
        Headers = new Dictionary<string, string> { ["Location"] = location.ToString() },
    };

    /// <summary>The task's normal answer after a delay.</summary>
    public static ScriptedResponse Slow(TimeSpan delay) => new() { Delay = delay, ThenAnswerNormally = true };
}
