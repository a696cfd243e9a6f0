using System;
using System.Net;

namespace HuggingFace.Inference;

/// <summary>
/// A successful answer that the task's spec does not allow: <c>null</c>, or without a member the spec
/// requires (a chat completion without <c>choices</c>). The library never hands such an answer on as a
/// half-filled object (which would fail later with a NullReferenceException) or as null: it fails here,
/// naming the task and the member, with the status, request id, body and URL of the answer.
/// </summary>
public sealed class InferenceResponseException : HfHubHttpException
{
    /// <summary>Creates the exception.</summary>
    public InferenceResponseException(string task, string member, HttpStatusCode statusCode, string? requestId, string? responseBody, Uri? requestUri, Exception? innerException = null)
        : base(statusCode, $"The {task} answer is not what the task's spec allows: {Describe(member)}.", requestId, responseBody, requestUri, innerException)
    {
        Task = task;
        Member = member;
    }

    /// <summary>The task whose answer it was (<c>chat-completion</c>, <c>text-generation</c> …).</summary>
    public string Task { get; }

    /// <summary>The JSON path of the missing member (<c>choices</c>, <c>[0].generated_text</c>), or <c>$</c> when the whole answer is null.</summary>
    public string Member { get; }

    private static string Describe(string member) => member == "$" ? "the answer is null" : $"the required member '{member}' is missing or null";
}
