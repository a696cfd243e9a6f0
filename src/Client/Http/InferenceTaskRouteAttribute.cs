using System;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Declares a task interface's wire rules, Refit-style: the task, how the body is formed, how the
/// answer is read, the pipeline segment and the Accept header. Generated from specs/inference/tasks.json.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false)]
public sealed class InferenceTaskRouteAttribute(string task, RequestBodyForm body, ResponseForm response) : Attribute
{
    /// <summary>The task name.</summary>
    public string Task { get; } = task;

    /// <summary>How the body is formed.</summary>
    public RequestBodyForm Body { get; } = body;

    /// <summary>How the answer is read.</summary>
    public ResponseForm Response { get; } = response;

    /// <summary>The <c>/pipeline/{task}</c> segment of model-id URLs, if any.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The Accept header, if any.</summary>
    public string? Accept { get; init; }
}
