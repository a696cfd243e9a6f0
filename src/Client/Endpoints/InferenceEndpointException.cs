using System;

namespace HuggingFace.Inference.Endpoints;

/// <summary>An endpoint cannot do what was asked: it failed, its update failed, or it has no URL yet.</summary>
public class InferenceEndpointException : HuggingFaceException
{
    /// <summary>Creates the exception.</summary>
    public InferenceEndpointException(string message, InferenceEndpointStatus? state = null, Exception? innerException = null)
        : base(message, innerException)
    {
        State = state;
    }

    /// <summary>The endpoint's state when this happened, if known.</summary>
    public InferenceEndpointStatus? State { get; }
}

/// <summary><see cref="InferenceEndpoint.WaitAsync"/> ran out of time before the endpoint was running and healthy.</summary>
public sealed class InferenceEndpointTimeoutException(string message, InferenceEndpointStatus? state) : InferenceEndpointException(message, state);
