using System;
using System.Net;

namespace HuggingFace.Inference;

/// <summary>
/// The server answered with an error status. Carries what is needed to act on it: the status, the
/// server's own message, the request id to quote to support, and the raw body. Never the token.
/// </summary>
public class HfHubHttpException : HuggingFaceException
{
    /// <summary>Creates the exception from an error answer.</summary>
    public HfHubHttpException(HttpStatusCode statusCode, string? serverMessage, string? requestId, string? responseBody, Uri? requestUri, Exception? innerException = null)
        : base(Describe(statusCode, serverMessage, requestId, requestUri), innerException)
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        RequestId = requestId;
        ResponseBody = responseBody;
        RequestUri = Http.InferenceTransport.WithoutQuery(requestUri);
    }

    /// <summary>Creates the exception with a message of the derived class's own.</summary>
    protected HfHubHttpException(string message, HttpStatusCode statusCode, string? serverMessage, string? requestId, string? responseBody, Uri? requestUri, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        RequestId = requestId;
        ResponseBody = responseBody;
        RequestUri = Http.InferenceTransport.WithoutQuery(requestUri);
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error message the server gave (body <c>error</c>, <c>errors[].message</c>, or <c>X-Error-Message</c>), if any.</summary>
    public string? ServerMessage { get; }

    /// <summary>The request id the server gave (<c>x-request-id</c>, <c>x-amzn-trace-id</c>, …), if any.</summary>
    public string? RequestId { get; }

    /// <summary>The answer's body as text (cut at 64 KiB), if any.</summary>
    public string? ResponseBody { get; }

    /// <summary>The URL called, without its query string and user info (either may hold keys).</summary>
    public Uri? RequestUri { get; }

    /// <summary>The provider the router named in its <c>x-inference-provider</c> header, if any.</summary>
    internal string? ResponseProvider { get; init; }

    /// <summary>The most of a server's message that <see cref="Exception.Message"/> repeats; <see cref="ServerMessage"/> has it all.</summary>
    internal const int MaxMessageChars = 1024;

    private protected static string Describe(HttpStatusCode status, string? serverMessage, string? requestId, Uri? uri)
    {
        var text = $"{(int)status} {status}";
        if (Http.InferenceTransport.WithoutQuery(uri) is { } safe)
        {
            text += $" for {safe}";
        }

        if (!string.IsNullOrWhiteSpace(serverMessage))
        {
            // A server may send a whole page as its message (48 KB were seen): Message stays readable in a log.
            text += serverMessage.Length <= MaxMessageChars
                ? $": {serverMessage}"
                : $": {serverMessage[..MaxMessageChars]}… ({serverMessage.Length - MaxMessageChars} more characters in ServerMessage)";
        }

        if (!string.IsNullOrWhiteSpace(requestId))
        {
            text += $" (request id: {requestId})";
        }

        return text;
    }
}

/// <summary>
/// The call did not complete within <see cref="InferenceClientOptions.Timeout"/> (a model still loading
/// included). It derives from <see cref="HuggingFaceException"/>, not <see cref="TimeoutException"/>, so
/// that one base catches every error of the library; the cancellation that ended the call is
/// <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class InferenceTimeoutException : HuggingFaceException
{
    /// <summary>Creates the exception.</summary>
    public InferenceTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
