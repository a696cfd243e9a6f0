using System;

namespace HuggingFace.Inference.Endpoints;

/// <summary>An endpoint cannot do what was asked: it failed, its update failed, or it has no URL yet.</summary>
public class InferenceEndpointException : HuggingFaceException
{
    /// <summary>Creates the exception.</summary>
    public InferenceEndpointException(string message, EndpointState? state = null, Exception? innerException = null)
        : base(message, innerException)
    {
        State = state;
    }

    /// <summary>The endpoint's state when this happened, if known.</summary>
    public EndpointState? State { get; }
}

/// <summary><see cref="InferenceEndpoint.WaitAsync"/> ran out of time before the endpoint was running and healthy.</summary>
public sealed class InferenceEndpointTimeoutException(string message, EndpointState? state) : InferenceEndpointException(message, state);
