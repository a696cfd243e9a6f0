using System;

namespace HuggingFace.Inference;

/// <summary>
/// The root of every error this library raises about a call it made: an error answer
/// (<see cref="HfHubHttpException"/>, <see cref="InferenceProviderException"/>), a call that ran out of
/// time (<see cref="InferenceTimeoutException"/>), an error inside a stream
/// (<see cref="TextGenerationException"/>) and an endpoint that cannot do what was asked
/// (<see cref="Endpoints.InferenceEndpointException"/>). One <c>catch (HuggingFaceException)</c> takes
/// them all; argument errors stay <see cref="ArgumentException"/> and cancellation stays
/// <see cref="OperationCanceledException"/>, as in the rest of .NET.
/// </summary>
public abstract class HuggingFaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected HuggingFaceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
