using System;
using System.Net;

namespace HuggingFace.Inference;

/// <summary>
/// An error a text-generation server (TGI) reported inside a stream that had started with 200, as
/// <c>{"error": "…", "error_type": "…"}</c> or <c>{"error": {"message": "…", "http_status_code": …}}</c>.
/// The subclasses name the TGI error types; any other type is this class itself.
/// </summary>
public class TextGenerationException : HuggingFaceException
{
    /// <summary>Creates the exception from the server's message and error type.</summary>
    public TextGenerationException(string serverMessage, string? errorType, HttpStatusCode? statusCode = null)
        : base(errorType == null ? serverMessage : $"{errorType}: {serverMessage}")
    {
        ServerMessage = serverMessage;
        ErrorType = errorType;
        StatusCode = statusCode;
    }

    /// <summary>The server's message.</summary>
    public string ServerMessage { get; }

    /// <summary>TGI's <c>error_type</c> (<c>generation</c>, <c>overloaded</c>, <c>validation</c>, <c>incomplete_generation</c>, …), if given.</summary>
    public string? ErrorType { get; }

    /// <summary>The HTTP status the error event carried (<c>http_status_code</c>), if any; the same type as <see cref="HfHubHttpException.StatusCode"/>.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The exception for an error event: the subclass its type names.</summary>
    public static TextGenerationException For(string message, string? errorType, HttpStatusCode? statusCode) => errorType switch
    {
        "generation" => new GenerationException(message, statusCode),
        "incomplete_generation" => new IncompleteGenerationException(message, statusCode),
        "overloaded" => new OverloadedException(message, statusCode),
        "validation" => new TextGenerationValidationException(message, statusCode),
        _ => new TextGenerationException(message, errorType, statusCode),
    };
}

/// <summary>The model failed while generating (TGI <c>generation</c>).</summary>
public sealed class GenerationException(string message, HttpStatusCode? statusCode = null) : TextGenerationException(message, "generation", statusCode);

/// <summary>Generation stopped before it finished (TGI <c>incomplete_generation</c>).</summary>
public sealed class IncompleteGenerationException(string message, HttpStatusCode? statusCode = null) : TextGenerationException(message, "incomplete_generation", statusCode);

/// <summary>The server is overloaded (TGI <c>overloaded</c>); trying later may work.</summary>
public sealed class OverloadedException(string message, HttpStatusCode? statusCode = null) : TextGenerationException(message, "overloaded", statusCode);

/// <summary>
/// The server refused the request's parameters (TGI <c>validation</c>; Python's <c>ValidationError</c>).
/// Not called <c>ValidationException</c>, which would collide with
/// <c>System.ComponentModel.DataAnnotations.ValidationException</c> in most ASP.NET Core files.
/// </summary>
public sealed class TextGenerationValidationException(string message, HttpStatusCode? statusCode = null) : TextGenerationException(message, "validation", statusCode);
