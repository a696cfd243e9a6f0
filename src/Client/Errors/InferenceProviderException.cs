using System;
using System.Net;

namespace HuggingFace.Inference;

/// <summary>Which step of a call through an Inference Provider failed.</summary>
public enum InferenceProviderPhase
{
    /// <summary>Asking the Hub which providers serve the model, or choosing one of them.</summary>
    Mapping,

    /// <summary>Sending the request (or submitting the job).</summary>
    Submit,

    /// <summary>Polling a queued job's status.</summary>
    Poll,

    /// <summary>Fetching or reading a finished job's result.</summary>
    Result,

    /// <summary>Downloading the output file the provider pointed to.</summary>
    Download,
}

/// <summary>
/// A call through an Inference Provider failed: the server's answer (status, message, request id, as
/// for any <see cref="HfHubHttpException"/>) plus which provider, which of its model ids, which task
/// and which step. A failure that is no HTTP answer (no provider serves the model, a job that failed)
/// has the status of the answer that said so.
/// </summary>
public sealed class InferenceProviderException : HfHubHttpException
{
    /// <summary>Creates the exception.</summary>
    public InferenceProviderException(
        string? provider,
        string? providerModelId,
        string task,
        InferenceProviderPhase phase,
        HttpStatusCode statusCode,
        string? serverMessage,
        string? requestId = null,
        string? responseBody = null,
        Uri? requestUri = null,
        Exception? innerException = null)
        : base(Prefix(provider, task, phase) + Describe(statusCode, serverMessage, requestId, requestUri), statusCode, serverMessage, requestId, responseBody, requestUri, innerException)
    {
        Provider = provider;
        ProviderModelId = providerModelId;
        Task = task;
        Phase = phase;
    }

    /// <summary>The provider that answered (the router's <c>x-inference-provider</c> header when it chose), or null when none was chosen.</summary>
    public string? Provider { get; }

    /// <summary>The provider's own model id, when known.</summary>
    public string? ProviderModelId { get; }

    /// <summary>The task (<c>text-to-image</c>, <c>chat-completion</c> …).</summary>
    public string Task { get; }

    /// <summary>Which step failed.</summary>
    public InferenceProviderPhase Phase { get; }

    /// <summary>Wraps an HTTP error of a provider call, keeping its status, message, request id, body and URL.</summary>
    internal static InferenceProviderException From(HfHubHttpException error, string? provider, string? providerModelId, string task, InferenceProviderPhase phase) =>
        error as InferenceProviderException
        ?? new InferenceProviderException(
            error.ResponseProvider ?? provider,
            providerModelId,
            task,
            phase,
            error.StatusCode,
            error.ServerMessage,
            error.RequestId,
            error.ResponseBody,
            error.RequestUri,
            error);

    private static string Prefix(string? provider, string task, InferenceProviderPhase phase) =>
        $"{(provider == null ? "Inference Providers" : "Provider '" + provider + "'")} ({task}, {phase.ToString().ToLowerInvariant()}): ";
}
